package org.latentlens.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.latentlens.io.DType;
import org.latentlens.io.TensorFormatException;
import org.latentlens.io.torch.TorchArchive;
import org.latentlens.io.torch.TorchTensor;

/**
 * Reads the original Python library's index directory: {@code metadata.json} (optional) and
 * {@code layer_<L>/embeddings_cache.pt}, each a torch.save dict with {@code embeddings} (float16 or
 * float32 [N, D]), {@code metadata} (a list of dicts with {@code token_str}, {@code token_id},
 * {@code caption}, {@code position}) and optionally {@code token_to_indices} (ignored, as the original
 * does). Rows are L2-normalised after widening to float32, like the original's {@code from_directory}.
 */
final class PythonIndexImporter {
    private PythonIndexImporter() {
    }

    static ContextualIndex read(Path dir, int... wanted) throws IOException {
        List<TorchArchive> open = new ArrayList<>();
        try {
            return read(dir, false, open, wanted);
        } finally {
            for (TorchArchive a : open) {
                a.close();
            }
        }
    }

    /**
     * Converts to this library's format without holding the rows in memory: each layer's embeddings are
     * streamed from its archive, normalised and written row by row.
     */
    static void importTo(Path dir, Path out, StorageType dtype, int... wanted) throws IOException {
        List<TorchArchive> open = new ArrayList<>();
        try {
            ContextualIndex streaming = read(dir, true, open, wanted);
            streaming.save(out, dtype);
        } finally {
            for (TorchArchive a : open) {
                a.close();
            }
        }
    }

    private static ContextualIndex read(Path dir, boolean stream, List<TorchArchive> open, int... wanted)
            throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new FileNotFoundException(dir + " is not a directory");
        }
        SortedMap<Integer, Path> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!n.startsWith("layer_") || !Files.isDirectory(p)) {
                    continue;
                }
                int layer;
                try {
                    layer = Integer.parseInt(n.substring("layer_".length()));
                } catch (NumberFormatException e) {
                    continue;
                }
                Path pt = p.resolve("embeddings_cache.pt");
                if (Files.isRegularFile(pt)) {
                    files.put(layer, pt);
                }
            }
        }
        if (files.isEmpty()) {
            throw new FileNotFoundException("No embeddings_cache.pt files found in " + dir
                    + ". Expected directory structure: layer_N/embeddings_cache.pt");
        }
        for (int w : wanted) {
            if (!files.containsKey(w)) {
                throw new FileNotFoundException(dir + ": no layer_" + w + "/embeddings_cache.pt (found layers "
                        + files.keySet() + ")");
            }
        }
        if (wanted.length > 0) {
            files.keySet().retainAll(Arrays.stream(wanted).boxed().toList());
        }
        Integer declaredDim = null;
        Path metaJson = dir.resolve("metadata.json");
        if (Files.isRegularFile(metaJson)) {
            JsonNode m = new ObjectMapper().readTree(metaJson.toFile());
            if (m.has("hidden_dim")) {
                declaredDim = m.get("hidden_dim").asInt();
            }
        }
        Map<String, Integer> sentenceIds = new LinkedHashMap<>();
        Map<String, Integer> tokenIds = new LinkedHashMap<>();
        SortedMap<Integer, ContextualIndex.Layer> layers = new TreeMap<>();
        int dim = -1;
        for (Map.Entry<Integer, Path> e : files.entrySet()) {
            Path pt = e.getValue();
            TorchArchive a = TorchArchive.open(pt);
            open.add(a);
            {
                Object root = a.load();
                if (!(root instanceof Map<?, ?> cache)) {
                    throw new TensorFormatException(pt + ": expected a dict with 'embeddings' and 'metadata', found "
                            + typeName(root));
                }
                if (!(cache.get("embeddings") instanceof TorchTensor emb)) {
                    throw new TensorFormatException(pt + ": 'embeddings' is missing or not a tensor (found "
                            + typeName(cache.get("embeddings")) + ")");
                }
                if (emb.shape().length != 2 || (emb.dtype() != DType.F16 && emb.dtype() != DType.F32)) {
                    throw new TensorFormatException(pt + ": 'embeddings' is " + emb + "; expected a float16 or float32 [N, D] matrix");
                }
                if (!(cache.get("metadata") instanceof List<?> meta)) {
                    throw new TensorFormatException(pt + ": 'metadata' is missing or not a list (found "
                            + typeName(cache.get("metadata")) + ")");
                }
                int n = (int) emb.shape()[0];
                int d = (int) emb.shape()[1];
                if (meta.size() != n) {
                    throw new TensorFormatException(pt + ": 'embeddings' has " + n + " rows but 'metadata' has " + meta.size());
                }
                if (dim >= 0 && d != dim) {
                    throw new TensorFormatException(pt + ": rows have width " + d + " but earlier layers have " + dim);
                }
                if (declaredDim != null && d != declaredDim) {
                    throw new TensorFormatException(pt + ": rows have width " + d + " but metadata.json says hidden_dim "
                            + declaredDim);
                }
                dim = d;
                List<RowInfo> rows = new ArrayList<>(n);
                for (int r = 0; r < n; r++) {
                    rows.add(rowInfo(pt, r, meta.get(r)));
                }
                if (stream) {
                    if (!emb.isContiguous()) {
                        throw new TensorFormatException(pt + ": 'embeddings' is a strided view (" + emb
                                + "); convert it with ContextualIndex.fromDirectory(...).save(...) instead");
                    }
                    layers.put(e.getKey(), new ContextualIndex.Layer(e.getKey(), new StreamedRows(a, emb, pt),
                            ContextualIndex.rowTable(rows, sentenceIds, tokenIds)));
                    continue;
                }
                ArrayVectorStore store = new ArrayVectorStore(n, d);
                float[] buf = new float[d];
                try (var in = a.openData(emb)) {
                    for (int r = 0; r < n; r++) {
                        TorchArchive.readInto(in, emb.dtype(), buf, 0, d);
                        ContextualIndex.normalize(buf, 0, d);
                        store.write(r, buf, 0);
                    }
                } catch (TensorFormatException notContiguous) {
                    if (emb.isContiguous()) {
                        throw notContiguous;
                    }
                    float[] all = a.readFloats(emb);
                    for (int r = 0; r < n; r++) {
                        System.arraycopy(all, r * d, buf, 0, d);
                        ContextualIndex.normalize(buf, 0, d);
                        store.write(r, buf, 0);
                    }
                }
                layers.put(e.getKey(), new ContextualIndex.Layer(e.getKey(), store,
                        ContextualIndex.rowTable(rows, sentenceIds, tokenIds)));
            }
        }
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("importedFrom", "original Python format (layer_N/embeddings_cache.pt)");
        return new ContextualIndex(dim, layers, StringTable.of(new ArrayList<>(sentenceIds.keySet())),
                StringTable.of(new ArrayList<>(tokenIds.keySet())),
                new IndexInfo(null, null, null, -1, options), null);
    }

    /**
     * A layer's rows read once, front to back, from its archive and normalised on the way: enough for
     * {@link IndexWriter}, which reads every layer sequentially, and it needs no heap for the vectors.
     */
    private static final class StreamedRows implements VectorStore {
        private final TorchArchive archive;
        private final TorchTensor emb;
        private final Path file;
        private final int rows;
        private final int dim;
        private java.io.DataInputStream in;
        private int next;

        StreamedRows(TorchArchive archive, TorchTensor emb, Path file) {
            this.archive = archive;
            this.emb = emb;
            this.file = file;
            this.rows = (int) emb.shape()[0];
            this.dim = (int) emb.shape()[1];
        }

        @Override
        public int rows() {
            return rows;
        }

        @Override
        public int dim() {
            return dim;
        }

        @Override
        public StorageType storageType() {
            return emb.dtype() == DType.F16 ? StorageType.FLOAT16 : StorageType.FLOAT32;
        }

        @Override
        public synchronized void read(int first, int count, float[] dst, int dstOffset) {
            try {
                if (in == null || first != next) {
                    if (first != 0) {
                        throw new IllegalStateException(file + ": streamed rows must be read in order from row 0");
                    }
                    if (in != null) {
                        in.close();
                    }
                    in = archive.openData(emb);
                    next = 0;
                }
                for (int r = 0; r < count; r++) {
                    TorchArchive.readInto(in, emb.dtype(), dst, dstOffset + r * dim, dim);
                    ContextualIndex.normalize(dst, dstOffset + r * dim, dim);
                }
                next = first + count;
                if (next == rows) {
                    in.close();
                    in = null;
                }
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(file + ": " + ex.getMessage(), ex);
            }
        }
    }

    private static RowInfo rowInfo(Path pt, int r, Object o) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new TensorFormatException(pt + ": metadata row " + r + " is " + typeName(o) + ", expected a dict");
        }
        return new RowInfo(str(pt, r, m, "token_str"), num(pt, r, m, "token_id"), str(pt, r, m, "caption"),
                num(pt, r, m, "position"));
    }

    private static String str(Path pt, int r, Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return "";
        }
        if (!(v instanceof String s)) {
            throw new TensorFormatException(pt + ": metadata row " + r + " field '" + key + "' is " + typeName(v)
                    + ", expected a string");
        }
        return s;
    }

    private static int num(Path pt, int r, Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return -1;
        }
        if (!(v instanceof Number x)) {
            throw new TensorFormatException(pt + ": metadata row " + r + " field '" + key + "' is " + typeName(v)
                    + ", expected an integer");
        }
        return x.intValue();
    }

    private static String typeName(Object o) {
        return o == null ? "None" : o instanceof Object[] ? "a tuple" : o.getClass().getSimpleName();
    }
}
