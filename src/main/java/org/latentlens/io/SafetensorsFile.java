package org.latentlens.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One safetensors file, memory-mapped lazily, tensor by tensor, so files of any size open instantly and
 * no single mapping exceeds what a {@link ByteBuffer} can address.
 *
 * <p>Format (safetensors 0.x): an unsigned little-endian 64-bit header length N, then N bytes of UTF-8
 * JSON mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets
 * relative to the end of the header), plus an optional {@code "__metadata__"} string map; then the data.
 * Every entry is validated when the file is opened: a truncated or corrupt file fails here, naming the
 * file and the entry, not later with a wrong number.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Upper bound on the JSON header; real headers of 100+ GB checkpoints are a few MB. */
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private record Entry(TensorInfo info, long begin, long end) {
    }

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, Entry> entries,
                            Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
    }

    /**
     * Opens and validates a safetensors file.
     *
     * @param path the file
     * @return the open file
     * @throws TensorFormatException if the header is truncated, not JSON, or describes data outside the file
     * @throws UncheckedIOException if the file cannot be read
     */
    public static SafetensorsFile open(Path path) {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UncheckedIOException("safetensors file " + path + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open safetensors file " + path + ": " + e.getMessage(), e);
        }
        try {
            long size = ch.size();
            if (size < 8) {
                throw new TensorFormatException("safetensors file " + path + " is truncated: " + size
                        + " bytes, too short for the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES) {
                throw new TensorFormatException("safetensors file " + path + " has a corrupt header: it declares a "
                        + headerLen + "-byte JSON header (expected 1.." + MAX_HEADER_BYTES + ")");
            }
            if (8 + headerLen > size) {
                throw new TensorFormatException("safetensors file " + path + " is truncated: its header declares "
                        + headerLen + " bytes of JSON but the file has only " + (size - 8) + " bytes after the length");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8);
            String json = new String(hb.array(), StandardCharsets.UTF_8);
            JsonNode root;
            try {
                root = JSON.readTree(json);
            } catch (JsonProcessingException e) {
                throw new TensorFormatException("safetensors file " + path + " has a corrupt header (not valid JSON: "
                        + e.getOriginalMessage() + ")", e);
            }
            if (root == null || !root.isObject()) {
                throw new TensorFormatException("safetensors file " + path + " has a corrupt header: expected a JSON object");
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            Map<String, Entry> entries = new LinkedHashMap<>();
            Map<String, String> meta = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String name = f.getKey();
                JsonNode v = f.getValue();
                if (name.equals("__metadata__")) {
                    v.fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                entries.put(name, parseEntry(path, name, v, dataLen));
            }
            return new SafetensorsFile(path, ch, dataStart, Collections.unmodifiableMap(entries),
                    Collections.unmodifiableMap(meta));
        } catch (RuntimeException | IOException e) {
            try {
                ch.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot read safetensors file " + path + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    private static Entry parseEntry(Path path, String name, JsonNode v, long dataLen) {
        String where = "safetensors file " + path + ", tensor '" + name + "'";
        if (!v.isObject() || !v.has("dtype") || !v.has("shape") || !v.has("data_offsets")) {
            throw new TensorFormatException(where + ": header entry needs dtype, shape and data_offsets, got " + v);
        }
        DType dtype;
        try {
            dtype = DType.fromSafetensorsName(v.get("dtype").asText());
        } catch (IllegalArgumentException e) {
            throw new TensorFormatException(where + ": " + e.getMessage(), e);
        }
        JsonNode shapeNode = v.get("shape");
        JsonNode offs = v.get("data_offsets");
        if (!shapeNode.isArray() || !offs.isArray() || offs.size() != 2) {
            throw new TensorFormatException(where + ": shape must be a list and data_offsets a pair, got " + v);
        }
        long[] shape = new long[shapeNode.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!shapeNode.get(i).canConvertToLong() || shapeNode.get(i).asLong() < 0) {
                throw new TensorFormatException(where + ": invalid shape " + shapeNode);
            }
            shape[i] = shapeNode.get(i).asLong();
            numel = Math.multiplyExact(numel, shape[i]);
        }
        long begin = offs.get(0).asLong(-1);
        long end = offs.get(1).asLong(-1);
        if (begin < 0 || end < begin) {
            throw new TensorFormatException(where + ": invalid data_offsets " + offs);
        }
        long expected = Math.multiplyExact(numel, dtype.byteWidth());
        if (end - begin != expected) {
            throw new TensorFormatException(where + ": data_offsets " + offs + " span " + (end - begin)
                    + " bytes but dtype " + dtype + " and shape " + shapeNode + " need " + expected);
        }
        if (end > dataLen) {
            throw new TensorFormatException(where + " ends at data byte " + end + " but the file holds only "
                    + dataLen + " data bytes: the file is truncated");
        }
        return new Entry(new TensorInfo(name, dtype, shape, path.toString()), begin, end);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    /** @return the file's path */
    public Path path() {
        return path;
    }

    /** @return tensor names in header order */
    public java.util.Set<String> names() {
        return entries.keySet();
    }

    /** @return the {@code __metadata__} map (empty if absent) */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * @param name a tensor name
     * @return whether the file holds it
     */
    public boolean has(String name) {
        return entries.containsKey(name);
    }

    /**
     * @param name a tensor name
     * @return its description
     * @throws MissingTensorException if absent
     */
    public TensorInfo info(String name) {
        return entry(name).info();
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new MissingTensorException("tensor '" + name + "' is not in safetensors file " + path);
        }
        return e;
    }

    /**
     * Maps a tensor's raw bytes, as stored.
     *
     * @param name a tensor name
     * @return a read-only little-endian mapped buffer, position 0
     */
    public ByteBuffer raw(String name) {
        Entry e = entry(name);
        return map(e.begin(), e.end() - e.begin(), name);
    }

    /**
     * Maps a contiguous range of a tensor's outermost dimension (rows), as stored.
     *
     * @param name a tensor name
     * @param firstRow first row
     * @param rows number of rows
     * @return a read-only little-endian mapped buffer, position 0
     */
    public ByteBuffer rawRows(String name, long firstRow, long rows) {
        Entry e = entry(name);
        long[] shape = e.info().shape();
        if (shape.length == 0 || firstRow < 0 || rows < 0 || firstRow + rows > shape[0]) {
            throw new IllegalArgumentException("rows " + firstRow + ".." + (firstRow + rows) + " out of range for "
                    + e.info());
        }
        long rowBytes = (e.end() - e.begin()) / Math.max(1, shape[0]);
        return map(e.begin() + firstRow * rowBytes, rows * rowBytes, name);
    }

    /**
     * Copies a range of rows' raw bytes into a caller's buffer with positional reads. Unlike the mapped
     * views, the bytes do not stay mapped into this process (a model load would otherwise count the whole
     * checkpoint in its resident memory until the collector unmaps the views), and no mapping is made.
     *
     * @param name a tensor name
     * @param firstRow first row
     * @param rows number of rows
     * @param dst written from its position, which advances by the rows' byte size
     * @throws java.nio.BufferOverflowException when {@code dst} has too little room
     * @throws UncheckedIOException naming the tensor and file when the read fails or the file ends early
     */
    public void readRows(String name, long firstRow, long rows, ByteBuffer dst) {
        Entry e = entry(name);
        long[] shape = e.info().shape();
        long total = e.end() - e.begin();
        long rowBytes = shape.length == 0 ? total : total / Math.max(1, shape[0]);
        long count = shape.length == 0 ? 1 : shape[0];
        if (firstRow < 0 || rows < 0 || firstRow + rows > count) {
            throw new IllegalArgumentException("rows " + firstRow + ".." + (firstRow + rows) + " out of range for " + e.info());
        }
        long len = rows * rowBytes;
        if (dst.remaining() < len) {
            throw new java.nio.BufferOverflowException();
        }
        ByteBuffer view = dst.slice();
        view.limit((int) len);
        long pos = dataStart + e.begin() + firstRow * rowBytes;
        try {
            while (view.hasRemaining()) {
                if (channel.read(view, pos + view.position()) < 0) {
                    throw new IOException("the file ends before the tensor's data does");
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read tensor '" + name + "' of " + path + ": " + ex.getMessage(), ex);
        }
        dst.position(dst.position() + (int) len);
    }

    private ByteBuffer map(long offset, long len, String name) {
        if (len > Integer.MAX_VALUE) {
            throw new TensorFormatException("tensor '" + name + "' in " + path + " spans " + len
                    + " bytes; read it in row ranges of under 2 GiB");
        }
        try {
            if (len == 0) {
                return ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN);
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + offset, len).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot map tensor '" + name + "' of " + path + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
