package org.latentlens.index;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes an index directory atomically.
 *
 * <p>The data files go to a fresh generation folder {@code data-<n>} (written under a temporary name,
 * flushed to disk, then renamed); only then is {@code index.json}, which names that folder, replaced by an
 * atomic rename. A crash before that rename leaves the previous {@code index.json} pointing at the
 * previous, untouched generation; after it, the new one. Older generations are deleted last. Nothing
 * written depends on the clock, so equal inputs give byte-identical directories.
 */
final class IndexWriter {
    static final String MANIFEST = "index.json";
    static final String FORMAT = "latentlens-index";

    private IndexWriter() {
    }

    static void write(Path dir, ContextualIndex index, StorageType dtype, IndexInfo info) throws IOException {
        Files.createDirectories(dir);
        int gen = nextGeneration(dir);
        String dataName = "data-" + gen;
        Path tmp = dir.resolve(".tmp-" + dataName);
        deleteTree(tmp);
        Files.createDirectories(tmp);

        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode m = json.createObjectNode();
        m.put("format", FORMAT);
        m.put("formatVersion", IndexFiles.VERSION_CURRENT);
        m.put("modelId", info.modelId());
        m.put("hiddenSize", index.hiddenSize());
        m.put("dtype", dtype.label());
        m.put("normalized", true);
        m.put("similarity", "cosine (dot product of unit-length rows)");
        m.put("dataDir", dataName);
        m.put("totalRows", index.size());

        writeStrings(tmp.resolve("sentences.str"), index.sentences());
        writeStrings(tmp.resolve("tokens.str"), index.tokenStrings());
        ObjectNode s = m.putObject("sentences");
        s.put("file", "sentences.str");
        s.put("count", index.sentences().size());
        ObjectNode ts = m.putObject("tokenStrings");
        ts.put("file", "tokens.str");
        ts.put("count", index.tokenStrings().size());

        Map<RowTable, String> rowFiles = new IdentityHashMap<>();
        ArrayNode layers = m.putArray("layers");
        for (ContextualIndex.Layer l : index.layerMap().values()) {
            String rowsName = rowFiles.get(l.rows());
            if (rowsName == null) {
                rowsName = "rows-" + rowFiles.size() + ".rows";
                rowFiles.put(l.rows(), rowsName);
                writeRows(tmp.resolve(rowsName), l.rows());
            }
            String vecName = "layer_" + l.number() + ".vec";
            writeVectors(tmp.resolve(vecName), l.number(), l.store(), dtype);
            ObjectNode ln = layers.addObject();
            ln.put("layer", l.number());
            ln.put("rows", l.store().rows());
            ln.put("vectors", vecName);
            ln.put("rowTable", rowsName);
        }
        ObjectNode corpus = m.putObject("corpus");
        corpus.put("source", info.corpusSource());
        corpus.put("sha256", info.corpusSha256());
        corpus.put("sentences", info.corpusSentences());
        m.set("options", json.valueToTree(info.options()));

        fsyncDir(tmp);
        Path data = dir.resolve(dataName);
        deleteTree(data);
        Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE);
        fsyncDir(dir);

        Path manifestTmp = dir.resolve(".tmp-" + MANIFEST);
        byte[] bytes = (json.writeValueAsString(m) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(manifestTmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(manifestTmp, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDir(dir);

        // only now may the previous generation go
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if ((n.startsWith("data-") && !n.equals(dataName)) || (n.startsWith(".tmp-data-"))) {
                    deleteTree(p);
                }
            }
        }
    }

    /**
     * The next generation number: one more than the generation the current {@code index.json} names, 1 when
     * there is none. Folders of unpublished generations (left by a crash) do not count, so a rerun after a
     * crash writes exactly what an uninterrupted run would have.
     */
    private static int nextGeneration(Path dir) {
        Path mf = dir.resolve(MANIFEST);
        if (Files.isRegularFile(mf)) {
            try {
                String data = new ObjectMapper().readTree(mf.toFile()).path("dataDir").asText("");
                if (data.startsWith("data-")) {
                    return Integer.parseInt(data.substring(5)) + 1;
                }
            } catch (IOException | NumberFormatException e) {
                // an unreadable manifest is replaced by this write
            }
        }
        return 1;
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            List<Path> all = new ArrayList<>(s.toList());
            java.util.Collections.reverse(all);
            for (Path x : all) {
                Files.deleteIfExists(x);
            }
        }
    }

    static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the data files themselves were synced
        }
    }

    private static IndexFiles.ChecksumOutput create(Path file) throws IOException {
        OutputStream os = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new IndexFiles.ChecksumOutput(new BufferedOutputStream(os, 1 << 20));
    }

    private static void finish(Path file, IndexFiles.ChecksumOutput out) throws IOException {
        out.writeFooter();
        out.close();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    static void writeStrings(Path file, StringTable strings) throws IOException {
        int n = strings.size();
        List<byte[]> encoded = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            encoded.add(strings.get(i).getBytes(StandardCharsets.UTF_8));
        }
        try (IndexFiles.ChecksumOutput out = create(file)) {
            ByteBuffer h = IndexFiles.header("strings");
            h.putLong(n);
            out.write(h.array());
            ByteBuffer offs = ByteBuffer.allocate(8 * (n + 1)).order(ByteOrder.LITTLE_ENDIAN);
            long o = 0;
            offs.putLong(0);
            for (byte[] b : encoded) {
                o += b.length;
                offs.putLong(o);
            }
            out.write(offs.array());
            for (byte[] b : encoded) {
                out.write(b);
            }
            finish(file, out);
        }
    }

    static void writeRows(Path file, RowTable rows) throws IOException {
        int n = rows.size();
        try (IndexFiles.ChecksumOutput out = create(file)) {
            ByteBuffer h = IndexFiles.header("rows");
            h.putLong(n);
            out.write(h.array());
            ByteBuffer b = ByteBuffer.allocate(4 * 4096).order(ByteOrder.LITTLE_ENDIAN);
            for (int c = 0; c < 4; c++) {
                for (int r = 0; r < n; r++) {
                    int v = switch (c) {
                        case 0 -> rows.tokenId(r);
                        case 1 -> rows.tokenStr(r);
                        case 2 -> rows.sentence(r);
                        default -> rows.position(r);
                    };
                    b.putInt(v);
                    if (!b.hasRemaining()) {
                        out.write(b.array(), 0, b.position());
                        b.clear();
                    }
                }
            }
            out.write(b.array(), 0, b.position());
            finish(file, out);
        }
    }

    static void writeVectors(Path file, int layer, VectorStore store, StorageType dtype) throws IOException {
        int n = store.rows();
        int dim = store.dim();
        try (IndexFiles.ChecksumOutput out = create(file)) {
            ByteBuffer h = IndexFiles.header("vectors");
            h.putInt(dtype.code());
            h.putInt(dim);
            h.putLong(n);
            h.putInt(layer);
            h.putInt(1); // flags: bit 0 = rows are unit length
            out.write(h.array());
            int block = Math.max(1, (1 << 20) / dim);
            float[] f = new float[block * dim];
            ByteBuffer b = ByteBuffer.allocate(block * dim * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < n; r += block) {
                int c = Math.min(block, n - r);
                store.read(r, c, f, 0);
                b.clear();
                if (dtype == StorageType.FLOAT32) {
                    b.asFloatBuffer().put(f, 0, c * dim);
                    b.position(c * dim * 4);
                } else {
                    for (int i = 0; i < c * dim; i++) {
                        b.putShort(Float16.fromFloat(f[i]));
                    }
                }
                out.write(b.array(), 0, b.position());
            }
            finish(file, out);
        }
    }
}
