package org.latentlens.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.latentlens.LatentLens;
import org.latentlens.corpus.Corpus;
import org.latentlens.index.BuildOptions;
import org.latentlens.index.ContextualIndex;
import org.latentlens.index.IndexBuilder;
import org.latentlens.index.Neighbor;
import org.latentlens.lens.ContextualLens;
import org.latentlens.lens.EmbeddingLens;
import org.latentlens.lens.LensEntry;
import org.latentlens.lens.LensResult;
import org.latentlens.lens.LogitLens;
import org.latentlens.lens.TokenStates;
import org.latentlens.model.Model;
import org.latentlens.model.embedded.EmbeddedModels;
import org.latentlens.render.CaptionSnippet;
import org.latentlens.render.HtmlPage;
import org.latentlens.render.LayerCurves;
import org.latentlens.render.LensReadout;
import org.latentlens.render.NeighbourTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latentlens demo}: LatentLens on a real model with no setup. Loads the embedded all-MiniLM-L6-v2
 * (from Maven Central), builds (once, then cached) a contextual index of a subset of the bundled
 * concepts.txt, and shows for ambiguous words each layer's neighbours under the three lenses, in the
 * terminal and in an offline HTML report.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Show LatentLens on the embedded all-MiniLM-L6-v2 model (index built on first run, then cached).")
public final class DemoCommand implements Callable<Integer> {

    /** Sentences with an ambiguous word each, in pairs of senses. */
    static final List<String[]> EXAMPLES = List.of(
            new String[] {"She sat on the bank of the river.", "bank"},
            new String[] {"The bank raised interest rates.", "bank"},
            new String[] {"The bat flew out of the cave at dusk.", "bat"},
            new String[] {"He swung the bat and hit the ball.", "bat"},
            new String[] {"The plant needs water and sunlight.", "plant"},
            new String[] {"The plant closed and the workers lost their jobs.", "plant"});

    /** Index layers: MiniLM has 6 blocks; state 6 is the last block's output (BERT has no final norm). */
    static final int[] LAYERS = {1, 2, 4, 6};

    @Option(names = "--every", defaultValue = "8",
            description = "index every N-th line of concepts.txt, so the subset spans every concept letter "
                    + "(default: ${DEFAULT-VALUE}; 1 = the whole file)")
    int every;

    @Option(names = "--top-k", defaultValue = "3", description = "neighbours per lens (default: ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--rebuild", description = "rebuild the cached index")
    boolean rebuild;

    @Option(names = "--report", description = "HTML report file (default: <cache>/demo/latentlens-demo.html)")
    Path report;

    @Option(names = "--cache-dir", description = "cache directory (default: $XDG_CACHE_HOME/latentlens or ~/.cache/latentlens)")
    Path cacheDir;

    @Option(names = "--color", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "highlight tokens with ANSI colours when writing to a terminal")
    boolean color;

    @Override
    public Integer call() throws IOException {
        Path cache = cacheDir != null ? cacheDir : EmbeddedModels.cacheRoot();
        boolean ansi = color && System.console() != null && System.getenv("NO_COLOR") == null;
        System.out.println("LatentLens demo: what do a transformer's hidden states encode?");
        System.out.println("Model: all-MiniLM-L6-v2 (6-layer BERT encoder, from the Maven Central artifact "
                + EmbeddedModels.MINILM_ARTIFACT + ")");
        try (Model model = LatentLens.loadModel("embedded")) {
            Corpus all = Corpus.bundled();
            List<String> corpus = subset(all.sentences(), every);
            String key = String.format(Locale.ROOT, "all-MiniLM-L6-v2-concepts-every%d-%s", Math.max(1, every), all.sha256().substring(0, 12));
            Path indexDir = cache.resolve("indices").resolve(key);
            ContextualIndex index = openOrBuild(model, corpus, all, indexDir);
            System.out.printf("Index: %,d sentences of concepts.txt, layers %s, %,d rows per layer (cached in %s)%n%n",
                    corpus.size(), java.util.Arrays.toString(LAYERS), index.rows(LAYERS[LAYERS.length - 1]), indexDir);
            LogitLens logit = new LogitLens(model);
            if (!logit.applies()) {
                System.out.println("LogitLens: not applicable here. " + logit.whyNot() + ".");
                System.out.println();
            }
            HtmlPage page = HtmlPage.titled("LatentLens demo: all-MiniLM-L6-v2")
                    .paragraph("Each ambiguous word's hidden state at layers " + java.util.Arrays.toString(LAYERS)
                            + ", read three ways: LatentLens (nearest contextual embeddings from " + corpus.size()
                            + " concepts.txt sentences, merged across index layers), EmbeddingLens (nearest input "
                            + "embeddings) and LogitLens" + (logit.applies() ? "." : " (" + logit.whyNot() + ")."));
            Map<Integer, List<List<Neighbor>>> topByLayer = new LinkedHashMap<>();
            try (EmbeddingLens emb = new EmbeddingLens(model)) {
                ContextualLens latent = new ContextualLens(index).distinctContexts();
                for (String[] ex : EXAMPLES) {
                    TokenStates in = TokenStates.ofText(model, ex[0]);
                    int pos = find(in, ex[1]);
                    LensResult lr = latent.read(in, topK, LAYERS);
                    LensResult er = emb.read(in, topK, LAYERS);
                    LensResult gr = logit.applies() ? logit.read(in, topK, LAYERS) : null;
                    printBlock(ex, pos, lr, er, gr, ansi);
                    addToReport(page, ex, in, pos, lr, er, gr, topByLayer);
                }
            }
            page.add(LayerCurves.meanTopSimilarity("target words", topByLayer).build());
            Path out = report != null ? report : cache.resolve("demo").resolve("latentlens-demo.html");
            page.write(out);
            System.out.println("HTML report (tables and a per-layer chart, works offline): " + out.toAbsolutePath());
        }
        return 0;
    }

    /** Every n-th line, starting with the first: a deterministic subset spread evenly over the corpus. */
    static List<String> subset(List<String> all, int n) {
        if (n <= 1) {
            return all;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += n) {
            out.add(all.get(i));
        }
        return out;
    }

    private ContextualIndex openOrBuild(Model model, List<String> corpus, Corpus all, Path dir) throws IOException {
        if (!rebuild && Files.isRegularFile(dir.resolve("index.json"))) {
            try {
                return ContextualIndex.open(dir);
            } catch (IOException | RuntimeException e) {
                System.out.println("Cached index at " + dir + " is unusable (" + e.getMessage() + "); rebuilding.");
            }
        }
        System.out.printf("Building the index once (%,d sentences; later runs reuse it)...%n", corpus.size());
        BuildOptions opts = BuildOptions.builder().optLayers(LAYERS).optBatchSize(64).build();
        return IndexBuilder.build(model, corpus, all.source() + (every > 1 ? " (every " + every + "th line)" : ""), opts, dir);
    }

    /** The first token of the sentence that spells the word (WordPiece or byte-level marks ignored). */
    static int find(TokenStates in, String word) {
        for (int i = 0; i < in.size(); i++) {
            String t = in.label(i).strip().replace("##", "").replace("\u0120", "").toLowerCase(Locale.ROOT);
            if (t.equals(word)) {
                return i;
            }
        }
        throw new IllegalStateException("the word '" + word + "' is not a single token in this tokenization");
    }

    private void printBlock(String[] ex, int pos, LensResult lr, LensResult er, LensResult gr, boolean ansi) {
        String word = ex[1];
        System.out.println(bold("\"" + word + "\"", ansi) + " in: " + ex[0]);
        System.out.printf("  %-5s  %-62s  %-30s%s%n", "layer", "LatentLens: nearest contextual neighbours (sim, in context)",
                "EmbeddingLens (cosine)", gr == null ? "" : "  LogitLens (prob)");
        for (int layer : lr.layers()) {
            List<LensEntry> ln = lr.at(layer, pos);
            List<LensEntry> en = er.at(layer, pos);
            for (int r = 0; r < topK; r++) {
                String left = "";
                if (r < ln.size()) {
                    LensEntry e = ln.get(r);
                    CaptionSnippet s = CaptionSnippet.of(e.caption(), e.captionPosition(), e.display(), 38);
                    String snippet = s.before() + (ansi ? "\u001b[1;33m" + s.mark() + "\u001b[0m" : "[" + s.mark() + "]") + s.after();
                    int visible = s.before().length() + s.mark().length() + s.after().length() + (ansi ? 0 : 2);
                    String head = String.format(Locale.ROOT, "%-10s %.2f L%d ", clip(e.display().strip(), 10), e.score(),
                            e.contextualLayer());
                    left = head + snippet + " ".repeat(Math.max(0, 62 - head.length() - visible));
                }
                String mid = r < en.size() ? String.format(Locale.ROOT, "%-22s %.2f", clip(en.get(r).display().strip(), 22),
                        en.get(r).score()) : "";
                String right = "";
                if (gr != null && r < gr.at(layer, pos).size()) {
                    LensEntry g = gr.at(layer, pos).get(r);
                    right = String.format(Locale.ROOT, "  %-14s %.3f", clip(g.display().strip(), 14), g.score());
                }
                System.out.printf("  %-5s  %s  %-30s%s%n", r == 0 ? Integer.toString(layer) : "", left, mid, right);
            }
        }
        System.out.println();
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "\u2026";
    }

    private static String bold(String s, boolean ansi) {
        return ansi ? "\u001b[1m" + s + "\u001b[0m" : s;
    }

    private static void addToReport(HtmlPage page, String[] ex, TokenStates in, int pos, LensResult lr, LensResult er,
                                    LensResult gr, Map<Integer, List<List<Neighbor>>> topByLayer) {
        page.heading("\u201c" + ex[1] + "\u201d in: " + ex[0]);
        NeighbourTable.Builder nt = NeighbourTable.builder().title("LatentLens neighbours of \u201c" + ex[1] + "\u201d");
        List<LensReadout> readouts = new ArrayList<>();
        for (int layer : lr.layers()) {
            List<Neighbor> ns = new ArrayList<>();
            for (LensEntry e : lr.at(layer, pos)) {
                ns.add(new Neighbor(e.display(), (float) e.score(), e.caption(), e.captionPosition(), (int) e.tokenId(),
                        e.contextualLayer()));
            }
            nt.add(layer, pos, in.label(pos), ns);
            topByLayer.computeIfAbsent(layer, k -> new ArrayList<>()).add(ns);
            for (LensResult r : gr == null ? List.of(lr, er) : List.of(lr, er, gr)) {
                List<org.latentlens.render.LensEntry> top = new ArrayList<>();
                for (LensEntry e : r.at(layer, pos)) {
                    top.add(new org.latentlens.render.LensEntry(e.display(), e.score()));
                }
                readouts.add(new LensReadout(r.lens(), layer, pos, in.label(pos), top));
            }
        }
        page.add(nt.build());
        page.add(org.latentlens.render.LensComparison.of(readouts));
    }
}
