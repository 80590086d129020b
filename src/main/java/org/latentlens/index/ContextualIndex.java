package org.latentlens.index;

import org.latentlens.hub.HubClient;

import java.io.IOException;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A bank of contextual token embeddings, one matrix of unit-length rows per model layer, searched by
 * cosine similarity and merged across layers.
 *
 * <pre>{@code
 * try (ContextualIndex index = ContextualIndex.open(Path.of("indices/qwen2"))) {
 *     List<List<Neighbor>> hits = index.search(hiddenStates, 5);        // all layers
 *     List<List<Neighbor>> l8 = index.search(hiddenStates, 5, 8);       // layer 8 only
 * }
 * }</pre>
 *
 * <p>Semantics follow the original Python {@code ContextualIndex.search}: queries are L2-normalised,
 * each layer contributes its top-k, the candidates are merged across layers and sorted by similarity.
 * Unlike the original, a layer with fewer than k rows is fine, equal similarities are ordered by layer
 * then row, and no [queries x rows] matrix is ever built. Searches may run concurrently.
 */
public final class ContextualIndex implements AutoCloseable {
    private final int hiddenSize;
    private final SortedMap<Integer, Layer> layers;
    private final StringTable sentences;
    private final StringTable tokenStrings;
    private final IndexInfo info;
    private final Path directory;

    /** One layer: its rows and their metadata. */
    record Layer(int number, VectorStore store, RowTable rows) {
    }

    ContextualIndex(int hiddenSize, SortedMap<Integer, Layer> layers, StringTable sentences, StringTable tokenStrings,
                    IndexInfo info, Path directory) {
        this.hiddenSize = hiddenSize;
        this.layers = Collections.unmodifiableSortedMap(new TreeMap<>(layers));
        this.sentences = sentences;
        this.tokenStrings = tokenStrings;
        this.info = info == null ? IndexInfo.unknown() : info;
        this.directory = directory;
    }

    /**
     * Opens an index written by this library ({@link #save}, {@code build-index} or {@code import}). Opening
     * maps the files and checks their headers, lengths and the metadata checksums; it does not read the
     * vectors (see {@link #verify()}), so it takes milliseconds whatever the index size.
     *
     * @param dir the index directory (holding {@code index.json})
     * @return the index
     * @throws IndexFormatException for a damaged, too old or too new index, naming the file
     * @throws IOException if the files cannot be read
     */
    public static ContextualIndex open(Path dir) throws IOException {
        return IndexReader.open(dir);
    }

    /**
     * An index from a local folder or the HuggingFace Hub ({@code org/name} or {@code org/name@revision}):
     * our format when the folder or repo has {@code index.json}, else the original Python format, of which only
     * the requested layers' {@code layer_N/embeddings_cache.pt} files are downloaded. Downloads go to the
     * huggingface_hub cache (shared with Python), resume, and are verified; see {@link HubClient}.
     *
     * <pre>{@code
     * ContextualIndex idx = ContextualIndex.fromPretrained("McGill-NLP/contextual_embeddings-llama3.1-8b", 1, 31);
     * }</pre>
     *
     * @param pathOrRepo a folder or a repo id
     * @param layers the layers to load; none means all
     * @return the index
     * @throws IOException when it cannot be fetched or read
     */
    public static ContextualIndex fromPretrained(String pathOrRepo, int... layers) throws IOException {
        return fromPretrained(null, pathOrRepo, layers);
    }

    /**
     * As {@link #fromPretrained(String, int...)}, with explicit Hub settings.
     *
     * @param settings endpoint, token, cache and offline mode; null for those of the environment
     * @param pathOrRepo a folder or a repo id
     * @param layers the layers to load; none means all
     * @return the index
     * @throws IOException when it cannot be fetched or read
     */
    public static ContextualIndex fromPretrained(org.latentlens.hub.HubSettings settings, String pathOrRepo, int... layers)
            throws IOException {
        Path dir;
        try (HubClient hub = settings == null ? new HubClient() : new HubClient(settings)) {
            dir = hub.indexFolder(pathOrRepo, layers.length == 0 ? null : layers);
        }
        if (java.nio.file.Files.isRegularFile(dir.resolve("index.json"))) {
            return IndexReader.open(dir, layers);
        }
        return fromDirectory(dir, layers);
    }

    /**
     * Reads an index in the original Python format ({@code layer_N/embeddings_cache.pt}) into memory,
     * through a restricted unpickler that refuses anything but tensors, lists, dicts and strings. Rows are
     * L2-normalised as the original does. For large indices prefer {@code latentlens import} and
     * {@link #open}, which need no heap.
     *
     * @param dir the directory holding {@code layer_N/} folders
     * @param layers the layers to read (none = all)
     * @return the index
     * @throws IOException if a file cannot be read or is not a valid torch.save archive
     */
    public static ContextualIndex fromDirectory(Path dir, int... layers) throws IOException {
        return PythonIndexImporter.read(dir, layers);
    }

    /**
     * Converts an index in the original Python format into this library's format in {@code out}, streaming
     * each layer's rows (normalised on the way) so the vectors never need heap. Same result as
     * {@code fromDirectory(from, layers).save(out, dtype)}.
     *
     * @param from the directory holding {@code layer_N/} folders
     * @param out the index directory to write (replaced atomically)
     * @param dtype row storage
     * @param layers the layers to convert (none = all)
     * @throws IOException if a file cannot be read or written, or is not a valid torch.save archive
     */
    public static void importPython(Path from, Path out, StorageType dtype, int... layers) throws IOException {
        PythonIndexImporter.importTo(from, out, dtype, layers);
    }

    /**
     * Builds an in-memory index from vectors and row metadata. Rows are copied and L2-normalised.
     *
     * @param hiddenSize D
     * @param vectors per layer, row-major [N, D]
     * @param rows per layer, the N rows' metadata
     * @return the index
     * @throws IllegalArgumentException if a layer's vectors and rows disagree, naming the layer
     */
    public static ContextualIndex of(int hiddenSize, Map<Integer, float[]> vectors, Map<Integer, List<RowInfo>> rows) {
        if (hiddenSize <= 0) {
            throw new IllegalArgumentException("hiddenSize must be positive, got " + hiddenSize);
        }
        if (!vectors.keySet().equals(rows.keySet())) {
            throw new IllegalArgumentException("vectors have layers " + new TreeSet<>(vectors.keySet())
                    + " but rows have layers " + new TreeSet<>(rows.keySet()));
        }
        Map<String, Integer> sentenceIds = new LinkedHashMap<>();
        Map<String, Integer> tokenIds = new LinkedHashMap<>();
        SortedMap<Integer, Layer> out = new TreeMap<>();
        for (Map.Entry<Integer, float[]> e : vectors.entrySet()) {
            int layer = e.getKey();
            float[] v = e.getValue();
            List<RowInfo> meta = rows.get(layer);
            if (v.length != (long) meta.size() * hiddenSize) {
                throw new IllegalArgumentException("layer " + layer + ": " + v.length + " values are not " + meta.size()
                        + " rows of width " + hiddenSize);
            }
            ArrayVectorStore store = new ArrayVectorStore(meta.size(), hiddenSize);
            float[] row = new float[hiddenSize];
            for (int r = 0; r < meta.size(); r++) {
                System.arraycopy(v, r * hiddenSize, row, 0, hiddenSize);
                normalize(row, 0, hiddenSize);
                store.write(r, row, 0);
            }
            out.put(layer, new Layer(layer, store, rowTable(meta, sentenceIds, tokenIds)));
        }
        return new ContextualIndex(hiddenSize, out, StringTable.of(new ArrayList<>(sentenceIds.keySet())),
                StringTable.of(new ArrayList<>(tokenIds.keySet())), IndexInfo.unknown(), null);
    }

    /**
     * Wraps stored rows without metadata (neighbours then have empty strings and -1 ids), for banks of
     * raw vectors such as the search benchmark's. Rows are used as given: they must be unit length.
     *
     * @param stores per layer, its rows; all of one width
     * @return the index
     * @throws IllegalArgumentException if the widths differ or there are no layers
     */
    public static ContextualIndex ofStores(Map<Integer, ? extends VectorStore> stores) {
        if (stores.isEmpty()) {
            throw new IllegalArgumentException("no layers given");
        }
        int dim = -1;
        SortedMap<Integer, Layer> out = new TreeMap<>();
        Map<Integer, RowTable> byLength = new java.util.HashMap<>();
        for (Map.Entry<Integer, ? extends VectorStore> e : stores.entrySet()) {
            VectorStore st = e.getValue();
            if (dim >= 0 && st.dim() != dim) {
                throw new IllegalArgumentException("layer " + e.getKey() + " has rows of width " + st.dim()
                        + " but other layers have " + dim);
            }
            dim = st.dim();
            int n = st.rows();
            // layers of equal length share one (empty) metadata table, written once by save()
            RowTable rt = byLength.computeIfAbsent(n, len -> {
                int[] minus = new int[len];
                Arrays.fill(minus, -1);
                int[] zero = new int[len];
                return RowTable.of(minus, zero, zero, minus);
            });
            out.put(e.getKey(), new Layer(e.getKey(), st, rt));
        }
        return new ContextualIndex(dim, out, StringTable.of(List.of("")), StringTable.of(List.of("")),
                IndexInfo.unknown(), null);
    }

    static RowTable rowTable(List<RowInfo> meta, Map<String, Integer> sentenceIds, Map<String, Integer> tokenIds) {
        int n = meta.size();
        int[] tid = new int[n];
        int[] ts = new int[n];
        int[] sent = new int[n];
        int[] pos = new int[n];
        for (int r = 0; r < n; r++) {
            RowInfo m = meta.get(r);
            tid[r] = m.tokenId();
            ts[r] = tokenIds.computeIfAbsent(m.tokenStr() == null ? "" : m.tokenStr(), k -> tokenIds.size());
            sent[r] = sentenceIds.computeIfAbsent(m.caption() == null ? "" : m.caption(), k -> sentenceIds.size());
            pos[r] = m.position();
        }
        return RowTable.of(tid, ts, sent, pos);
    }

    /**
     * Scales a vector to unit length in place, as {@code torch.nn.functional.normalize} does:
     * {@code x / max(||x||, 1e-12)}.
     *
     * @param v values
     * @param off first value
     * @param len number of values
     */
    public static void normalize(float[] v, int off, int len) {
        double ss = 0;
        for (int i = 0; i < len; i++) {
            double x = v[off + i];
            ss += x * x;
        }
        float norm = (float) Math.max(Math.sqrt(ss), 1e-12);
        for (int i = 0; i < len; i++) {
            v[off + i] = v[off + i] / norm;
        }
    }

    /** @return the layer numbers, ascending */
    public List<Integer> layers() {
        return List.copyOf(layers.keySet());
    }

    /** @return D, the width of every row */
    public int hiddenSize() {
        return hiddenSize;
    }

    /**
     * @param layer a layer number
     * @return the number of rows stored for it
     */
    public int rows(int layer) {
        return layer(layer).store().rows();
    }

    /** @return the number of rows over all layers (as Python's {@code len(index)}) */
    public long size() {
        long n = 0;
        for (Layer l : layers.values()) {
            n += l.store().rows();
        }
        return n;
    }

    /** @return where the index was opened from, or {@code null} for an in-memory index */
    public Path directory() {
        return directory;
    }

    /** @return provenance: model, corpus and build options */
    public IndexInfo info() {
        return info;
    }

    /**
     * @param layer a layer number
     * @return how that layer's rows are stored
     */
    public StorageType storageType(int layer) {
        return layer(layer).store().storageType();
    }

    /**
     * @param layer a layer number
     * @param row a row index
     * @return the row's metadata
     */
    public RowInfo row(int layer, int row) {
        Layer l = layer(layer);
        RowTable t = l.rows();
        return new RowInfo(tokenStrings.get(t.tokenStr(row)), t.tokenId(row), sentences.get(t.sentence(row)),
                t.position(row));
    }

    /**
     * @param layer a layer number
     * @param row a row index
     * @return the stored unit-length vector as float32
     */
    public float[] vector(int layer, int row) {
        return layer(layer).store().row(row);
    }

    /**
     * @param layer a layer number
     * @return the layer's rows as a store, for reading in bulk
     */
    public VectorStore vectors(int layer) {
        return layer(layer).store();
    }

    Layer layer(int layer) {
        Layer l = layers.get(layer);
        if (l == null) {
            throw new IllegalArgumentException("layer " + layer + " is not in this index; available layers: "
                    + layers.keySet());
        }
        return l;
    }

    SortedMap<Integer, Layer> layerMap() {
        return layers;
    }

    StringTable sentences() {
        return sentences;
    }

    StringTable tokenStrings() {
        return tokenStrings;
    }

    /**
     * Nearest neighbours of several query vectors.
     *
     * @param queries T vectors of width D (need not be normalised)
     * @param topK neighbours per query
     * @param layers layers to search (none = all)
     * @return per query, the top-k neighbours over the searched layers, most similar first
     * @throws IllegalArgumentException for an unknown layer (naming the available ones), a query of the
     *     wrong width, a non-finite value, or {@code topK < 1}
     */
    public List<List<Neighbor>> search(float[][] queries, int topK, int... layers) {
        if (queries.length == 0) {
            return List.of();
        }
        float[] flat = new float[queries.length * hiddenSize];
        for (int t = 0; t < queries.length; t++) {
            if (queries[t].length != hiddenSize) {
                throw new IllegalArgumentException("query " + t + " has dimension " + queries[t].length
                        + " but the index has hidden size " + hiddenSize);
            }
            System.arraycopy(queries[t], 0, flat, t * hiddenSize, hiddenSize);
        }
        return toNeighbors(searchHits(flat, queries.length, topK, layers));
    }

    /**
     * Nearest neighbours of one query vector.
     *
     * @param query a vector of width D
     * @param topK neighbours
     * @param layers layers to search (none = all)
     * @return a list holding one list: the query's neighbours, most similar first
     */
    public List<List<Neighbor>> search(float[] query, int topK, int... layers) {
        if (query.length != hiddenSize) {
            throw new IllegalArgumentException("query has dimension " + query.length + " but the index has hidden size "
                    + hiddenSize + (query.length % hiddenSize == 0 && query.length > 0
                    ? " (for " + (query.length / hiddenSize) + " queries use search(float[][], ...) or searchHits)" : ""));
        }
        return toNeighbors(searchHits(query, 1, topK, layers));
    }

    /**
     * Nearest neighbours of T query vectors given as one row-major array, as raw hits (layer, row,
     * similarity), for callers that need row numbers (benchmarks, renderers).
     *
     * @param queries row-major [T, D] (need not be normalised; not modified)
     * @param t T
     * @param topK neighbours per query
     * @param layers layers to search (none = all)
     * @return per query, its hits, most similar first
     */
    public List<List<SearchHit>> searchHits(float[] queries, int t, int topK, int... layers) {
        return searchThreads(queries, t, topK, Runtime.getRuntime().availableProcessors(), layers);
    }

    List<List<SearchHit>> searchThreads(float[] queries, int t, int topK, int threads, int... layers) {
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1, got " + topK);
        }
        if (this.layers.isEmpty()) {
            throw new IllegalStateException("the index is empty: no layers loaded");
        }
        if (t < 0 || queries.length != (long) t * hiddenSize) {
            throw new IllegalArgumentException("queries hold " + queries.length + " values, not " + t + " x " + hiddenSize
                    + " (the index has hidden size " + hiddenSize + ")");
        }
        List<ExactSearcher.Layer> selected = new ArrayList<>();
        if (layers == null || layers.length == 0) {
            for (Layer l : this.layers.values()) {
                selected.add(new ExactSearcher.Layer(l.number(), l.store()));
            }
        } else {
            for (int n : new TreeSet<>(Arrays.stream(layers).boxed().toList())) {
                Layer l = layer(n);
                selected.add(new ExactSearcher.Layer(l.number(), l.store()));
            }
        }
        float[] q = queries.clone();
        for (int i = 0; i < t; i++) {
            for (int d = 0; d < hiddenSize; d++) {
                float x = q[i * hiddenSize + d];
                if (!Float.isFinite(x)) {
                    throw new IllegalArgumentException("query " + i + " holds a non-finite value (" + x + ") at dimension " + d);
                }
            }
            normalize(q, i * hiddenSize, hiddenSize);
        }
        if (t == 0) {
            return List.of();
        }
        return ExactSearcher.search(q, t, hiddenSize, selected, topK, threads);
    }

    private List<List<Neighbor>> toNeighbors(List<List<SearchHit>> hits) {
        List<List<Neighbor>> out = new ArrayList<>(hits.size());
        for (List<SearchHit> h : hits) {
            List<Neighbor> ns = new ArrayList<>(h.size());
            for (SearchHit s : h) {
                RowInfo r = row(s.layer(), s.row());
                ns.add(new Neighbor(r.tokenStr(), s.similarity(), r.caption(), r.position(), r.tokenId(), s.layer()));
            }
            out.add(ns);
        }
        return out;
    }

    /**
     * Writes the index in this library's format, atomically: after a crash the directory holds either the
     * previous index or this one, never a mix.
     *
     * @param dir the index directory (created if missing; an index already there is replaced)
     * @param dtype how to store the rows
     * @throws IOException if writing fails
     */
    public void save(Path dir, StorageType dtype) throws IOException {
        IndexWriter.write(dir, this, dtype, info);
    }

    /**
     * Same as {@link #save(Path, StorageType)} with other provenance.
     *
     * @param dir the index directory
     * @param dtype how to store the rows
     * @param info provenance to record
     * @throws IOException if writing fails
     */
    public void save(Path dir, StorageType dtype, IndexInfo info) throws IOException {
        IndexWriter.write(dir, this, dtype, info);
    }

    /**
     * Reads every file of an opened index and compares it with its CRC32 checksum.
     *
     * @throws CorruptIndexException naming the first damaged file
     * @throws IOException if a file cannot be read
     */
    public void verify() throws IOException {
        if (directory == null) {
            return;
        }
        IndexReader.verify(directory);
    }

    /** Mapped files are released by the garbage collector; closing marks the end of use. */
    @Override
    public void close() {
        // MappedByteBuffers cannot be unmapped explicitly in Java 17; nothing else holds resources.
    }

    @Override
    public String toString() {
        return "ContextualIndex(layers=" + layers.keySet() + ", total_embeddings="
                + NumberFormat.getIntegerInstance(Locale.US).format(size()) + ", hidden_dim=" + hiddenSize + ")";
    }
}
