package org.latentlens.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a HuggingFace checkpoint in safetensors form: one file, or shards listed by
 * {@code model.safetensors.index.json}. Float32 tensors are returned as zero-copy views of the mapped
 * files; BF16 and F16 tensors are widened to float32 in Java.
 */
public final class SafetensorsCheckpoint implements WeightSource {
    /** The index file HuggingFace writes beside sharded checkpoints. */
    public static final String INDEX_FILE = "model.safetensors.index.json";
    /** The single-file checkpoint name. */
    public static final String SINGLE_FILE = "model.safetensors";

    private final String description;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> byName;

    private SafetensorsCheckpoint(String description, List<SafetensorsFile> files, Map<String, SafetensorsFile> byName) {
        this.description = description;
        this.files = files;
        this.byName = byName;
    }

    /**
     * Opens the weights of a model folder: {@code model.safetensors.index.json} if present, else
     * {@code model.safetensors}.
     *
     * @param folder a HuggingFace model folder
     * @return the checkpoint
     * @throws TensorFormatException if the folder holds no safetensors weights, naming what was looked for
     */
    public static SafetensorsCheckpoint openFolder(Path folder) {
        Path index = folder.resolve(INDEX_FILE);
        if (Files.isRegularFile(index)) {
            return openIndex(index);
        }
        Path single = folder.resolve(SINGLE_FILE);
        if (Files.isRegularFile(single)) {
            return openFiles(single.toString(), List.of(single));
        }
        String hint = "";
        try (var s = Files.list(folder)) {
            List<String> other = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".safetensors") || n.endsWith(".bin") || n.endsWith(".pt")).sorted().toList();
            if (!other.isEmpty()) {
                hint = " (found " + other + "; pass a .safetensors file explicitly, or convert .bin pickles to safetensors)";
            }
        } catch (IOException e) {
            hint = " (" + e.getMessage() + ")";
        }
        throw new TensorFormatException("no weights in " + folder + ": expected " + SINGLE_FILE + " or " + INDEX_FILE + hint);
    }

    /**
     * Opens a sharded checkpoint from its index file.
     *
     * @param indexFile a {@code model.safetensors.index.json}
     * @return the checkpoint
     */
    public static SafetensorsCheckpoint openIndex(Path indexFile) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(indexFile.toFile());
        } catch (IOException e) {
            throw new TensorFormatException("cannot read shard index " + indexFile + ": " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new TensorFormatException("shard index " + indexFile + " has no \"weight_map\" object");
        }
        Path dir = indexFile.getParent();
        Map<String, String> tensorToShard = new LinkedHashMap<>();
        map.fields().forEachRemaining(e -> tensorToShard.put(e.getKey(), e.getValue().asText()));
        List<String> shardNames = tensorToShard.values().stream().distinct().sorted().toList();
        List<Path> shards = new ArrayList<>();
        for (String s : shardNames) {
            Path p = dir.resolve(s).normalize();
            if (!p.startsWith(dir.normalize())) {
                throw new TensorFormatException("shard index " + indexFile + " names a shard outside its folder: " + s);
            }
            if (!Files.isRegularFile(p)) {
                throw new TensorFormatException("shard index " + indexFile + " lists " + s + ", which is missing");
            }
            shards.add(p);
        }
        SafetensorsCheckpoint cp = openFiles(indexFile.toString(), shards);
        for (Map.Entry<String, String> e : tensorToShard.entrySet()) {
            SafetensorsFile f = cp.byName.get(e.getKey());
            if (f == null || !f.path().getFileName().toString().equals(e.getValue())) {
                cp.close();
                throw new TensorFormatException("shard index " + indexFile + " places tensor '" + e.getKey() + "' in "
                        + e.getValue() + " but " + (f == null ? "no shard holds it" : "it is in " + f.path().getFileName()));
            }
        }
        return cp;
    }

    /**
     * Opens one or more safetensors files as one weight source.
     *
     * @param description how to name this source in messages
     * @param paths the files; a tensor name may appear in only one of them
     * @return the checkpoint
     */
    public static SafetensorsCheckpoint openFiles(String description, List<Path> paths) {
        List<SafetensorsFile> files = new ArrayList<>();
        Map<String, SafetensorsFile> byName = new LinkedHashMap<>();
        try {
            for (Path p : paths) {
                SafetensorsFile f = SafetensorsFile.open(p);
                files.add(f);
                for (String n : f.names()) {
                    SafetensorsFile prev = byName.put(n, f);
                    if (prev != null) {
                        throw new TensorFormatException("tensor '" + n + "' appears in both " + prev.path() + " and " + p);
                    }
                }
            }
        } catch (RuntimeException e) {
            files.forEach(SafetensorsFile::close);
            throw e;
        }
        return new SafetensorsCheckpoint(description, files, Collections.unmodifiableMap(byName));
    }

    @Override
    public Set<String> names() {
        return byName.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        return file(name).info(name);
    }

    private SafetensorsFile file(String name) {
        SafetensorsFile f = byName.get(name);
        if (f == null) {
            throw new MissingTensorException("tensor '" + name + "' is missing from " + description);
        }
        return f;
    }

    @Override
    public ByteBuffer loadFloat32(String name) {
        SafetensorsFile f = file(name);
        return toFloat32(f.info(name), f.raw(name));
    }

    @Override
    public ByteBuffer loadFloat32Rows(String name, long firstRow, long rows) {
        SafetensorsFile f = file(name);
        return toFloat32(f.info(name), f.rawRows(name, firstRow, rows));
    }

    /** 16-bit rows on their way to float32. */
    private static final ThreadScratch RAW = new ThreadScratch(32 << 20);

    /** Reads with positional file reads (nothing stays mapped), widening 16-bit floats on the way. */
    @Override
    public void readFloat32Rows(String name, long firstRow, long rows, ByteBuffer dst) {
        SafetensorsFile f = file(name);
        TensorInfo info = f.info(name);
        switch (info.dtype()) {
            case F32 -> f.readRows(name, firstRow, rows, dst);
            case BF16, F16 -> {
                long rowElems = info.shape().length == 0 ? 1 : info.numElements() / Math.max(1, info.shape()[0]);
                ByteBuffer raw = RAW.get(rows * rowElems * 2);
                f.readRows(name, firstRow, rows, raw);
                raw.flip();
                FloatConversions.widenInto(raw, info.dtype(), dst);
            }
            default -> throw new TensorFormatException("tensor '" + info.name() + "' in " + info.source() + " has dtype "
                    + info.dtype() + "; weights must be F32, F16 or BF16");
        }
    }

    private static ByteBuffer toFloat32(TensorInfo info, ByteBuffer raw) {
        return switch (info.dtype()) {
            case F32 -> raw;
            case BF16, F16 -> FloatConversions.widenToFloat32(raw, info.dtype());
            default -> throw new TensorFormatException("tensor '" + info.name() + "' in " + info.source() + " has dtype "
                    + info.dtype() + "; weights must be F32, F16 or BF16");
        };
    }

    /**
     * Reads an integer tensor (I64 or I32) as longs, for inputs such as {@code input_ids}.
     *
     * @param name a tensor name
     * @return the values in row-major order
     */
    public long[] loadLongs(String name) {
        SafetensorsFile f = file(name);
        TensorInfo info = f.info(name);
        ByteBuffer raw = f.raw(name).order(ByteOrder.LITTLE_ENDIAN);
        int n = Math.toIntExact(info.numElements());
        long[] out = new long[n];
        switch (info.dtype()) {
            case I64 -> raw.asLongBuffer().get(out);
            case I32 -> {
                var ib = raw.asIntBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = ib.get(i);
                }
            }
            default -> throw new TensorFormatException("tensor '" + name + "' in " + info.source() + " has dtype "
                    + info.dtype() + "; expected I64 or I32");
        }
        return out;
    }

    /**
     * Reads a float tensor as a Java array (for test fixtures and small tensors).
     *
     * @param name a tensor name
     * @return the values in row-major order
     */
    public float[] loadFloats(String name) {
        ByteBuffer b = loadFloat32(name);
        float[] out = new float[b.remaining() / 4];
        b.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    @Override
    public void close() {
        for (SafetensorsFile f : files) {
            try {
                f.close();
            } catch (UncheckedIOException ignored) {
                // closing a read-only channel cannot lose data; keep closing the others
            }
        }
    }

    @Override
    public String toString() {
        return "SafetensorsCheckpoint(" + description + ", " + byName.size() + " tensors in " + files.size() + " file(s))";
    }
}
