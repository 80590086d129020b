package org.latentlens.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.latentlens.model.ForwardOptions;
import org.latentlens.model.HiddenStates;
import org.latentlens.model.Model;
import org.latentlens.model.TokenBatch;
import org.latentlens.tokenizer.TextTokenizer;

/**
 * Builds a contextual index: runs a model over a corpus and keeps, per layer, the hidden state of each
 * new token context.
 *
 * <pre>{@code
 * try (Model model = LatentLens.loadModel(Path.of("models/qwen2"))) {
 *     ContextualIndex index = IndexBuilder.build(model, sentences, "my-corpus.txt",
 *             BuildOptions.builder().optLayers(1, 8, 16).build(), Path.of("indices/qwen2"));
 * }
 * }</pre>
 *
 * <p>What becomes a row (one decision per position, shared by all layers, first come first served in
 * corpus order):
 * <ul>
 *   <li>special tokens are skipped (or positions 0 and 1, with {@link BuildOptions.PositionRule#SKIP_FIRST_TWO_POSITIONS});</li>
 *   <li>causal models: a position whose whole prefix of token ids was already kept is skipped, compared
 *       exactly through a {@link PrefixTrie} (no hashing);</li>
 *   <li>bidirectional encoders: a position's state depends on the whole sentence, so only identical
 *       (sentence, position) pairs are duplicates: a repeated sentence adds nothing;</li>
 *   <li>at most {@code maxContextsPerToken} rows per token id.</li>
 * </ul>
 * Each sentence is tokenised alone and the batch is right-padded, so positions and prefixes never depend on
 * padding. Sentences longer than {@code maxLength} tokens are truncated, with a warning on stderr and a count
 * in {@code index.json}.
 *
 * <p>Rows stream to part files in {@code <out>/.build/} as they are made. After every batch the part files
 * are flushed to disk and then a small checkpoint ({@code state.json}) is replaced atomically. A build that
 * is killed resumes from the last checkpoint when rerun with the same model, corpus and options: part files
 * are cut back to the checkpoint's lengths and the dedup state is rebuilt by replaying the finished
 * sentences' token ids (no model run). The finished index is byte-identical to an uninterrupted build's.
 */
public final class IndexBuilder {
    static final String WORK_DIR = ".build";
    private static final int STATE_VERSION = 1;

    /** Observes a build's progress; used by tests to stop a build at a chosen point. */
    interface Listener {
        /** Rows of batch {@code batch} are written to the part files but not yet checkpointed. */
        default void rowsWritten(int batch) {
        }

        /** Batch {@code batch} is checkpointed. */
        default void checkpointed(int batch) {
        }
    }

    private IndexBuilder() {
    }

    /**
     * Builds an index over a list of sentences.
     *
     * @param model a loaded model with a tokenizer (not closed here)
     * @param corpus the sentences, in order
     * @param corpusSource a label for the corpus recorded in {@code index.json} (a file name, "concepts.txt", ...)
     * @param options build options
     * @param out the index directory (an index already there is replaced atomically at the end)
     * @return the finished index, opened from {@code out}
     * @throws IOException if writing fails
     * @throws IllegalArgumentException for invalid options for this model (for example a layer beyond its depth)
     */
    public static ContextualIndex build(Model model, List<String> corpus, String corpusSource, BuildOptions options,
                                        Path out) throws IOException {
        return build(model, corpus, corpusSource, options, out, new Listener() { });
    }

    /**
     * Builds an index over a list of sentences, labelled {@code "list"}.
     *
     * @param model a loaded model with a tokenizer
     * @param corpus the sentences
     * @param options build options
     * @param out the index directory
     * @return the finished index
     * @throws IOException if writing fails
     */
    public static ContextualIndex build(Model model, List<String> corpus, BuildOptions options, Path out) throws IOException {
        return build(model, corpus, "list", options, out);
    }

    static ContextualIndex build(Model model, List<String> corpus, String corpusSource, BuildOptions options, Path out,
                                 Listener listener) throws IOException {
        int[] layers = options.layersFor(model.numLayers());
        TextTokenizer tok = model.tokenizer();
        int dim = model.hiddenSize();
        String sha = sha256(corpus);
        Map<String, Object> optionMap = options.asMap(layers);
        ObjectMapper json = new ObjectMapper();
        ObjectNode fingerprint = json.createObjectNode();
        fingerprint.put("stateVersion", STATE_VERSION);
        fingerprint.put("modelId", model.id());
        fingerprint.put("numLayers", model.numLayers());
        fingerprint.put("hiddenSize", dim);
        fingerprint.put("causal", model.isCausal());
        fingerprint.put("corpusSha256", sha);
        fingerprint.put("corpusSentences", corpus.size());
        fingerprint.set("options", json.valueToTree(optionMap));

        Files.createDirectories(out);
        Path work = out.resolve(WORK_DIR);
        Path statePath = work.resolve("state.json");
        Dedup dedup = new Dedup(tok, model.isCausal(), options);
        int[] truncated = {0};
        int start = 0;
        int batchNo = 0;
        long rows = 0;
        Map<String, Long> partBytes = new LinkedHashMap<>();
        if (Files.isRegularFile(statePath)) {
            JsonNode st = json.readTree(statePath.toFile());
            if (st.path("fingerprint").equals(fingerprint) && partsIntact(work, st.path("partBytes"))) {
                start = st.get("sentencesDone").asInt();
                batchNo = st.get("batchesDone").asInt();
                rows = st.get("rows").asLong();
                for (int s = 0; s < start; s++) {
                    dedup.decide(s, corpus.get(s), encode(tok, corpus.get(s), options.maxLength(), s, truncated, false));
                }
                if (dedup.rows != rows) {
                    throw new IllegalStateException(statePath + ": replaying " + start + " sentences gave " + dedup.rows
                            + " rows but the checkpoint has " + rows + "; the tokenizer changed since the build started. "
                            + "Delete " + work + " to start over.");
                }
                st.get("partBytes").fields().forEachRemaining(e -> partBytes.put(e.getKey(), e.getValue().asLong()));
                System.err.println("latentlens: resuming the build in " + work + " after " + start + " of "
                        + corpus.size() + " sentences (" + rows + " rows)");
            } else {
                System.err.println("latentlens: " + work + " holds an unfinished build of another model, corpus or "
                        + "options; starting over");
            }
        }
        if (start == 0) {
            truncated[0] = 0;
            dedup = new Dedup(tok, model.isCausal(), options);
            IndexWriter.deleteTree(work);
            Files.createDirectories(work);
            partBytes.clear();
        }

        Parts parts = new Parts(work, layers, partBytes);
        long startNanos = System.nanoTime();
        long tokensDone = 0;
        ProgressBar bar = options.showProgress() && options.progress() == null ? new ProgressBarBuilder().setTaskName("Building index")
                .setInitialMax(corpus.size()).setUnit(" sent", 1).showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).startsFrom(start, java.time.Duration.ZERO)
                .build() : null;
        ForwardOptions fwd = ForwardOptions.builder().optStates(layers).build();
        ByteBuffer vecBuf = ByteBuffer.allocate(dim * options.dtype().bytes()).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer rowBuf = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[dim];
        try {
            for (int s0 = start; s0 < corpus.size(); s0 += options.batchSize()) {
                int s1 = Math.min(corpus.size(), s0 + options.batchSize());
                List<long[]> seqs = new ArrayList<>();
                List<Integer> which = new ArrayList<>();
                for (int s = s0; s < s1; s++) {
                    long[] ids = encode(tok, corpus.get(s), options.maxLength(), s, truncated, true);
                    if (ids.length > 0) {
                        seqs.add(ids);
                        which.add(s);
                    }
                }
                if (!seqs.isEmpty()) {
                    TokenBatch batch = TokenBatch.of(seqs, tok.padTokenId());
                    HiddenStates hs = model.hiddenStates(batch, fwd);
                    int seqLen = hs.seqLen();
                    for (int b = 0; b < seqs.size(); b++) {
                        int s = which.get(b);
                        long[] ids = seqs.get(b);
                        tokensDone += ids.length;
                        for (int[] row : dedup.decide(s, corpus.get(s), ids)) {
                            int p = row[3];
                            rowBuf.clear();
                            rowBuf.putInt(row[0]).putInt(row[1]).putInt(row[2]).putInt(p);
                            parts.rows.write(rowBuf.array());
                            for (int li = 0; li < layers.length; li++) {
                                System.arraycopy(hs.state(layers[li]), ((b * seqLen) + p) * dim, v, 0, dim);
                                ContextualIndex.normalize(v, 0, dim);
                                vecBuf.clear();
                                if (options.dtype() == StorageType.FLOAT32) {
                                    for (float x : v) {
                                        vecBuf.putFloat(x);
                                    }
                                } else {
                                    for (float x : v) {
                                        vecBuf.putShort(Float16.fromFloat(x));
                                    }
                                }
                                parts.layer[li].write(vecBuf.array());
                            }
                        }
                    }
                }
                listener.rowsWritten(batchNo);
                parts.sync();
                batchNo++;
                rows = dedup.rows;
                ObjectNode st = json.createObjectNode();
                st.set("fingerprint", fingerprint);
                st.put("sentencesDone", s1);
                st.put("batchesDone", batchNo);
                st.put("rows", rows);
                st.set("partBytes", json.valueToTree(parts.lengths()));
                writeAtomically(statePath, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(st));
                listener.checkpointed(batchNo - 1);
                if (options.progress() != null) {
                    double secs = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
                    options.progress().update(s1, corpus.size(), tokensDone / secs, rows);
                }
                if (bar != null) {
                    bar.stepTo(s1);
                    double secs = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
                    bar.setExtraMessage(String.format(java.util.Locale.ROOT, " | %.0f tok/s, %d rows", tokensDone / secs, rows));
                }
            }
        } finally {
            parts.close();
            if (bar != null) {
                bar.close();
            }
        }
        if (truncated[0] > 3) {
            System.err.println("latentlens: warning: " + truncated[0] + " sentences were longer than maxLength="
                    + options.maxLength() + " tokens and were truncated");
        }

        // publish: wrap the part files as an index and write it atomically into out
        int n = (int) dedup.rows;
        int[][] cols = parts.readRowColumns(n);
        SortedMap<Integer, ContextualIndex.Layer> ls = new TreeMap<>();
        RowTable rt = RowTable.of(cols[0], cols[1], cols[2], cols[3]);
        for (int li = 0; li < layers.length; li++) {
            VectorStore store = new MappedVectorStore(parts.layerPath(li), 0, n, dim, options.dtype());
            ls.put(layers[li], new ContextualIndex.Layer(layers[li], store, rt));
        }
        Map<String, Object> recorded = new LinkedHashMap<>(optionMap);
        recorded.put("truncatedSentences", truncated[0]);
        recorded.put("causal", model.isCausal());
        IndexInfo info = new IndexInfo(model.id(), corpusSource, sha, corpus.size(), recorded);
        ContextualIndex built = new ContextualIndex(dim, ls, StringTable.of(dedup.sentences),
                StringTable.of(dedup.tokenStrings), info, null);
        IndexWriter.write(out, built, options.dtype(), info);
        IndexWriter.deleteTree(work);
        return ContextualIndex.open(out);
    }

    /** Tokenises one sentence, truncating to maxLength with a warning (counted in {@code truncated}). */
    private static long[] encode(TextTokenizer tok, String text, int maxLength, int index, int[] truncated,
                                 boolean warn) {
        long[] ids = tok.encode(text).ids();
        if (ids.length > maxLength) {
            truncated[0]++;
            if (warn) {
                if (truncated[0] <= 3) {
                    System.err.println("latentlens: warning: sentence " + index + " has " + ids.length
                            + " tokens; truncated to maxLength=" + maxLength);
                }
            }
            ids = java.util.Arrays.copyOf(ids, maxLength);
        }
        return ids;
    }

    /** SHA-256 of the corpus as UTF-8 lines, each followed by a newline. */
    static String sha256(List<String> corpus) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String s : corpus) {
                md.update(s.getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            StringBuilder sb = new StringBuilder();
            for (byte b : md.digest()) {
                sb.append(String.format("%02x", b));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean partsIntact(Path work, JsonNode lengths) throws IOException {
        if (!lengths.isObject()) {
            return false;
        }
        for (var it = lengths.fields(); it.hasNext(); ) {
            var e = it.next();
            Path p = work.resolve(e.getKey());
            if (!Files.isRegularFile(p) || Files.size(p) < e.getValue().asLong()) {
                return false;
            }
        }
        return true;
    }

    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Which positions become rows; the same code runs live and when replaying after a restart. */
    static final class Dedup {
        private final TextTokenizer tok;
        private final boolean causal;
        private final BuildOptions options;
        private final PrefixTrie trie = new PrefixTrie();
        private final Set<String> seenSentences = new HashSet<>();
        private final Map<Long, Integer> counts = new HashMap<>();
        private final Map<Long, Integer> tokenStringIndex = new HashMap<>();
        private final Map<String, Integer> tokenStringIds = new HashMap<>();
        final List<String> tokenStrings = new ArrayList<>();
        final List<String> sentences = new ArrayList<>();
        long rows;

        Dedup(TextTokenizer tok, boolean causal, BuildOptions options) {
            this.tok = tok;
            this.causal = causal;
            this.options = options;
        }

        /**
         * @return the rows kept from this sentence: {tokenId, tokenStringIndex, sentenceIndex, position}
         */
        List<int[]> decide(int sentence, String text, long[] ids) {
            List<int[]> out = new ArrayList<>();
            if (!causal && !seenSentences.add(text)) {
                return out;
            }
            int node = PrefixTrie.ROOT;
            int sentenceIndex = -1;
            for (int p = 0; p < ids.length; p++) {
                long id = ids[p];
                if (causal) {
                    node = trie.child(node, id);
                }
                boolean skip = options.positionRule() == BuildOptions.PositionRule.SKIP_SPECIAL_TOKENS
                        ? tok.isSpecial(id) : p < 2;
                if (skip || (causal && trie.seen(node))) {
                    continue;
                }
                int c = counts.getOrDefault(id, 0);
                if (c >= options.maxContextsPerToken()) {
                    continue; // the prefix is not marked: a later identical prefix is judged again, as in the original
                }
                if (causal) {
                    trie.markSeen(node);
                }
                counts.put(id, c + 1);
                if (sentenceIndex < 0) {
                    sentenceIndex = sentences.size();
                    sentences.add(text);
                }
                Integer ts = tokenStringIndex.get(id);
                if (ts == null) {
                    String str = tok.tokenString(id);
                    ts = tokenStringIds.computeIfAbsent(str, k -> tokenStrings.size());
                    if (ts == tokenStrings.size()) {
                        tokenStrings.add(str);
                    }
                    tokenStringIndex.put(id, ts);
                }
                out.add(new int[] {(int) id, ts, sentenceIndex, p});
                rows++;
            }
            return out;
        }
    }

    /** The part files of a build: rows.part and one layer_L.part per layer, appended through buffers. */
    private static final class Parts implements AutoCloseable {
        private final Path work;
        private final int[] layers;
        private final FileChannel[] channels;
        final OutputStream rows;
        final OutputStream[] layer;

        Parts(Path work, int[] layers, Map<String, Long> keep) throws IOException {
            this.work = work;
            this.layers = layers;
            channels = new FileChannel[layers.length + 1];
            layer = new OutputStream[layers.length];
            channels[0] = open(work.resolve("rows.part"), keep.getOrDefault("rows.part", 0L));
            rows = new BufferedOutputStream(Channels.newOutputStream(channels[0]), 1 << 16);
            for (int i = 0; i < layers.length; i++) {
                String name = "layer_" + layers[i] + ".part";
                channels[i + 1] = open(work.resolve(name), keep.getOrDefault(name, 0L));
                layer[i] = new BufferedOutputStream(Channels.newOutputStream(channels[i + 1]), 1 << 20);
            }
        }

        /** Opens a part file cut back to the checkpointed length (bytes after it belong to an unfinished batch). */
        private static FileChannel open(Path p, long length) throws IOException {
            FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            ch.truncate(length);
            ch.position(length);
            return ch;
        }

        Path layerPath(int i) {
            return work.resolve("layer_" + layers[i] + ".part");
        }

        void sync() throws IOException {
            rows.flush();
            for (OutputStream o : layer) {
                o.flush();
            }
            for (FileChannel ch : channels) {
                ch.force(false);
            }
        }

        Map<String, Long> lengths() throws IOException {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("rows.part", channels[0].size());
            for (int i = 0; i < layers.length; i++) {
                m.put("layer_" + layers[i] + ".part", channels[i + 1].size());
            }
            return m;
        }

        int[][] readRowColumns(int n) throws IOException {
            int[][] cols = new int[4][n];
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(work.resolve("rows.part"))).order(ByteOrder.LITTLE_ENDIAN);
            if (b.remaining() != (long) n * 16) {
                throw new CorruptIndexException(work.resolve("rows.part") + ": holds " + b.remaining() + " bytes, expected "
                        + (long) n * 16 + " for " + n + " rows");
            }
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < 4; c++) {
                    cols[c][r] = b.getInt();
                }
            }
            return cols;
        }

        @Override
        public void close() throws IOException {
            rows.close();
            for (OutputStream o : layer) {
                o.close();
            }
        }
    }
}
