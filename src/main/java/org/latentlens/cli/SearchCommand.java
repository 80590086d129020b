package org.latentlens.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.latentlens.LatentLens;
import org.latentlens.index.ContextualIndex;
import org.latentlens.index.Neighbor;
import org.latentlens.model.ForwardOptions;
import org.latentlens.model.HiddenStates;
import org.latentlens.model.Model;
import org.latentlens.model.TokenBatch;
import org.latentlens.tokenizer.Encoding;
import org.latentlens.tokenizer.TextTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latentlens search}: the nearest contextual neighbours of every token of a text, taken from one
 * hidden-state layer of the model and searched in the index (all its layers, merged, unless restricted).
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Show the nearest contextual neighbours of each token of a text.")
public final class SearchCommand implements Callable<Integer> {
    @Option(names = "--index", required = true, description = "index directory")
    Path index;

    @Option(names = "--model", required = true, description = "the model the index was built with (folder, or 'embedded')")
    String model;

    @Option(names = "--text", required = true, description = "the text whose tokens are looked up")
    String text;

    @Option(names = "--layer", description = "hidden-state layer of the text to use as queries (default: the index's last layer)")
    Integer layer;

    @Option(names = "--index-layers", split = ",", description = "index layers to search (default: all)")
    int[] indexLayers;

    @Option(names = "--top-k", defaultValue = "5", description = "neighbours per token (default ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    @Option(names = "--width", defaultValue = "60", description = "caption characters shown around the token (default ${DEFAULT-VALUE})")
    int width;

    @Override
    public Integer call() throws Exception {
        try (ContextualIndex idx = ContextualIndex.open(index); Model m = LatentLens.loadModel(model)) {
            if (m.hiddenSize() != idx.hiddenSize()) {
                throw new IllegalArgumentException("the model has hidden size " + m.hiddenSize() + " but the index "
                        + index + " has " + idx.hiddenSize() + (idx.info().modelId() != null
                        ? "; it was built with " + idx.info().modelId() : ""));
            }
            int q = layer != null ? layer : idx.layers().get(idx.layers().size() - 1);
            if (q < 0 || q > m.numLayers()) {
                throw new IllegalArgumentException("--layer " + q + " is outside 0.." + m.numLayers());
            }
            TextTokenizer tok = m.tokenizer();
            Encoding enc = tok.encode(text);
            HiddenStates hs = m.hiddenStates(TokenBatch.of(List.of(enc.ids()), tok.padTokenId()),
                    ForwardOptions.builder().optStates(q).build());
            int d = m.hiddenSize();
            int n = enc.length();
            float[][] queries = new float[n][d];
            for (int p = 0; p < n; p++) {
                System.arraycopy(hs.state(q), p * d, queries[p], 0, d);
            }
            List<List<Neighbor>> res = idx.search(queries, topK, indexLayers == null ? new int[0] : indexLayers);
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            if (json) {
                printJson(out, enc, tok, res, q);
            } else {
                printTable(out, enc, tok, res, q);
            }
        }
        return 0;
    }

    private void printJson(PrintStream out, Encoding enc, TextTokenizer tok, List<List<Neighbor>> res, int q) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("text", text);
        root.put("queryLayer", q);
        ArrayNode tokens = root.putArray("tokens");
        for (int p = 0; p < enc.length(); p++) {
            ObjectNode t = tokens.addObject();
            t.put("position", p);
            t.put("tokenId", enc.ids()[p]);
            t.put("token", tok.tokenString(enc.ids()[p]));
            ArrayNode ns = t.putArray("neighbors");
            for (Neighbor nb : res.get(p)) {
                ObjectNode o = ns.addObject();
                o.put("tokenStr", nb.tokenStr());
                o.put("similarity", nb.similarity());
                o.put("caption", nb.caption());
                o.put("position", nb.position());
                o.put("tokenId", nb.tokenId());
                o.put("contextualLayer", nb.contextualLayer());
            }
        }
        out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    private void printTable(PrintStream out, Encoding enc, TextTokenizer tok, List<List<Neighbor>> res, int q) {
        out.printf(Locale.ROOT, "%s  (queries: hidden state %d; index %s)%n", text, q, index);
        for (int p = 0; p < enc.length(); p++) {
            out.printf(Locale.ROOT, "%n[%d] %s%n", p, quote(tok.tokenString(enc.ids()[p])));
            int rank = 1;
            for (Neighbor nb : res.get(p)) {
                out.printf(Locale.ROOT, "  %d. %.4f  L%-3d %-16s %s%n", rank++, nb.similarity(), nb.contextualLayer(),
                        quote(nb.tokenStr()), excerpt(tok, nb));
            }
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }

    /** The caption cut to about {@code width} characters around the token, which is shown in [brackets]. */
    String excerpt(TextTokenizer tok, Neighbor nb) {
        String c = nb.caption();
        int start = -1;
        int end = -1;
        if (nb.position() >= 0) {
            Encoding e = tok.encode(c);
            if (nb.position() < e.length() && e.charStart()[nb.position()] >= 0) {
                start = e.charStart()[nb.position()];
                end = e.charEnd()[nb.position()];
            }
        }
        if (start < 0) {
            String t = nb.tokenStr().strip();
            start = t.isEmpty() ? -1 : c.indexOf(t);
            end = start < 0 ? -1 : start + t.length();
        }
        if (start < 0) {
            return c.length() <= width ? c : c.substring(0, width) + "...";
        }
        int half = Math.max(5, (width - (end - start)) / 2);
        int from = Math.max(0, start - half);
        int to = Math.min(c.length(), end + half);
        return (from > 0 ? "..." : "") + c.substring(from, start) + "[" + c.substring(start, end) + "]" + c.substring(end, to)
                + (to < c.length() ? "..." : "");
    }
}
