package org.latentlens.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Opens an index directory written by {@link IndexWriter}. */
final class IndexReader {
    private IndexReader() {
    }

    private static JsonNode manifest(Path dir) throws IOException {
        Path mf = dir.resolve(IndexWriter.MANIFEST);
        if (!Files.isRegularFile(mf)) {
            if (Files.isDirectory(dir) && Files.isDirectory(dir.resolve("layer_1")) || hasPythonLayers(dir)) {
                throw new NoSuchFileException(mf.toString(), null, "no index.json: this looks like an index in the "
                        + "original Python format; read it with ContextualIndex.fromDirectory or convert it with "
                        + "'latentlens import --from " + dir + " --out DIR'");
            }
            throw new NoSuchFileException(mf.toString(), null, "no index.json: not a LatentLens index directory "
                    + "(or one whose first write was interrupted)");
        }
        JsonNode m;
        try {
            m = new ObjectMapper().readTree(mf.toFile());
        } catch (JsonProcessingException e) {
            throw new CorruptIndexException(mf + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (m == null || !m.isObject() || !IndexWriter.FORMAT.equals(m.path("format").asText())) {
            throw new CorruptIndexException(mf + ": \"format\" is not \"" + IndexWriter.FORMAT + "\"");
        }
        if (!m.path("formatVersion").isInt()) {
            throw new CorruptIndexException(mf + ": \"formatVersion\" is missing");
        }
        int v = m.get("formatVersion").asInt();
        if (v < IndexFiles.VERSION_START) {
            throw new IndexFormatTooOldException(mf.toString(), v, IndexFiles.VERSION_START);
        }
        if (v > IndexFiles.VERSION_CURRENT) {
            throw new IndexFormatTooNewException(mf.toString(), v, IndexFiles.VERSION_CURRENT);
        }
        return m;
    }

    private static boolean hasPythonLayers(Path dir) {
        try (var s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("layer_")
                    && Files.isRegularFile(p.resolve("embeddings_cache.pt")));
        } catch (IOException e) {
            return false;
        }
    }

    private static JsonNode require(JsonNode n, String field, Path mf) throws CorruptIndexException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new CorruptIndexException(mf + ": field \"" + field + "\" is missing");
        }
        return v;
    }

    static ContextualIndex open(Path dir) throws IOException {
        return open(dir, new int[0]);
    }

    /**
     * Opens only some layers: the files of the others need not exist (a partial download from the Hub).
     *
     * @param dir the index directory
     * @param only the layers to open; none means all
     * @return the index
     * @throws IOException if a file cannot be read
     */
    static ContextualIndex open(Path dir, int[] only) throws IOException {
        JsonNode m = manifest(dir);
        java.util.Set<Integer> wanted = new java.util.HashSet<>();
        for (int l : only) {
            wanted.add(l);
        }
        Path mf = dir.resolve(IndexWriter.MANIFEST);
        Path data = dir.resolve(require(m, "dataDir", mf).asText());
        int hidden = require(m, "hiddenSize", mf).asInt();
        StorageType dtype;
        try {
            dtype = StorageType.parse(require(m, "dtype", mf).asText());
        } catch (IllegalArgumentException e) {
            throw new CorruptIndexException(mf + ": " + e.getMessage());
        }
        StringTable sentences = StringTable.open(data.resolve(require(require(m, "sentences", mf), "file", mf).asText()));
        StringTable tokens = StringTable.open(data.resolve(require(require(m, "tokenStrings", mf), "file", mf).asText()));
        Map<String, RowTable> rowTables = new HashMap<>();
        SortedMap<Integer, ContextualIndex.Layer> layers = new TreeMap<>();
        for (JsonNode ln : require(m, "layers", mf)) {
            int layer = require(ln, "layer", mf).asInt();
            if (only.length > 0 && !wanted.remove(layer)) {
                continue;
            }
            long rows = require(ln, "rows", mf).asLong();
            String rowsName = require(ln, "rowTable", mf).asText();
            RowTable rt = rowTables.get(rowsName);
            if (rt == null) {
                rt = RowTable.open(data.resolve(rowsName));
                rowTables.put(rowsName, rt);
            }
            if (rt.size() != rows) {
                throw new CorruptIndexException(data.resolve(rowsName) + ": holds " + rt.size() + " rows but layer "
                        + layer + " has " + rows + " in index.json");
            }
            Path vec = data.resolve(require(ln, "vectors", mf).asText());
            VectorStore store = openVectors(vec, layer, rows, hidden, dtype);
            layers.put(layer, new ContextualIndex.Layer(layer, store, rt));
        }
        if (!wanted.isEmpty()) {
            throw new IllegalArgumentException("layers " + new java.util.TreeSet<>(wanted) + " are not in the index at "
                    + dir + "; available: " + layers.keySet());
        }
        JsonNode corpus = m.path("corpus");
        Map<String, Object> options = new LinkedHashMap<>();
        JsonNode opts = m.path("options");
        if (opts.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = opts.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                options.put(e.getKey(), new ObjectMapper().treeToValue(e.getValue(), Object.class));
            }
        }
        IndexInfo info = new IndexInfo(text(m.get("modelId")), text(corpus.get("source")), text(corpus.get("sha256")),
                corpus.path("sentences").asLong(-1), options);
        return new ContextualIndex(hidden, layers, sentences, tokens, info, dir);
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static VectorStore openVectors(Path vec, int layer, long rows, int hidden, StorageType dtype) throws IOException {
        ByteBuffer h = IndexFiles.check(vec, "vectors", false);
        StorageType t = StorageType.ofCode(h.getInt());
        int dim = h.getInt();
        long n = h.getLong();
        int fileLayer = h.getInt();
        if (t != dtype) {
            throw new CorruptIndexException(vec + ": holds " + (t == null ? "an unknown dtype" : t.label())
                    + " rows but index.json says " + dtype.label());
        }
        if (dim != hidden || n != rows || fileLayer != layer) {
            throw new CorruptIndexException(vec + ": header says layer " + fileLayer + ", " + n + " x " + dim
                    + " but index.json says layer " + layer + ", " + rows + " x " + hidden);
        }
        long expected = IndexFiles.HEADER_BYTES + n * dim * t.bytes() + IndexFiles.FOOTER_BYTES;
        long size = Files.size(vec);
        if (size != expected || n > Integer.MAX_VALUE) {
            throw new CorruptIndexException(vec + ": " + n + " x " + dim + " " + t.label() + " rows need " + expected
                    + " bytes, the file has " + size);
        }
        return new MappedVectorStore(vec, IndexFiles.HEADER_BYTES, (int) n, dim, t);
    }

    static void verify(Path dir) throws IOException {
        JsonNode m = manifest(dir);
        Path data = dir.resolve(m.get("dataDir").asText());
        try (var s = Files.list(data)) {
            for (Path p : s.sorted().toList()) {
                String n = p.getFileName().toString();
                String kind = n.endsWith(".vec") ? "vectors" : n.endsWith(".rows") ? "rows" : n.endsWith(".str") ? "strings" : null;
                if (kind != null) {
                    IndexFiles.check(p, kind, true);
                }
            }
        }
    }
}
