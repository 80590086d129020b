package org.latentlens.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes safetensors files. Tensors are added in order and written in one pass to a temporary file that
 * replaces the target only when complete, so a crash never leaves a half-written file under the target
 * name.
 *
 * <pre>{@code
 * new SafetensorsWriter().addFloats("hidden_states.0", data, 2, 12, 64).write(Path.of("out.safetensors"));
 * }</pre>
 */
public final class SafetensorsWriter {
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** Source of one tensor's bytes, written in chunks so large tensors need no single big buffer. */
    @FunctionalInterface
    public interface ByteWriter {
        /**
         * @param out the stream to write exactly the tensor's bytes to, little-endian
         * @throws IOException on write failure
         */
        void writeTo(OutputStream out) throws IOException;
    }

    private record Tensor(DType dtype, long[] shape, ByteWriter data) {
    }

    /**
     * @param key metadata key
     * @param value metadata value
     * @return this writer
     */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /**
     * Adds a float32 tensor.
     *
     * @param name tensor name
     * @param data row-major values
     * @param shape shape; its product must equal {@code data.length}
     * @return this writer
     */
    public SafetensorsWriter addFloats(String name, float[] data, long... shape) {
        checkCount(name, data.length, shape);
        return add(name, DType.F32, shape, out -> {
            ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : data) {
                if (!b.hasRemaining()) {
                    out.write(b.array(), 0, b.position());
                    b.clear();
                }
                b.putFloat(v);
            }
            out.write(b.array(), 0, b.position());
        });
    }

    /**
     * Adds a float tensor rounded to bfloat16 (round to nearest even, as PyTorch's cast).
     *
     * @param name tensor name
     * @param data row-major values
     * @param shape shape
     * @return this writer
     */
    public SafetensorsWriter addFloatsAsBf16(String name, float[] data, long... shape) {
        checkCount(name, data.length, shape);
        return add(name, DType.BF16, shape, out -> {
            ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : data) {
                if (!b.hasRemaining()) {
                    out.write(b.array(), 0, b.position());
                    b.clear();
                }
                b.putShort(FloatConversions.floatToBf16(v));
            }
            out.write(b.array(), 0, b.position());
        });
    }

    /**
     * Adds an int64 tensor.
     *
     * @param name tensor name
     * @param data row-major values
     * @param shape shape
     * @return this writer
     */
    public SafetensorsWriter addLongs(String name, long[] data, long... shape) {
        checkCount(name, data.length, shape);
        return add(name, DType.I64, shape, out -> {
            ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (long v : data) {
                b.putLong(v);
            }
            out.write(b.array());
        });
    }

    /**
     * Adds a tensor whose bytes a callback writes.
     *
     * @param name tensor name
     * @param dtype element type
     * @param shape shape
     * @param data writes exactly {@code product(shape) * dtype.byteWidth()} bytes
     * @return this writer
     */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, ByteWriter data) {
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' added twice");
        }
        tensors.put(name, new Tensor(dtype, shape.clone(), data));
        return this;
    }

    private static void checkCount(String name, int count, long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != count) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + java.util.Arrays.toString(shape)
                    + " needs " + n + " values but " + count + " were given");
        }
    }

    /**
     * Writes the file atomically.
     *
     * @param target the file to create or replace
     * @throws IOException if writing fails; the target is then untouched
     */
    public void write(Path target) throws IOException {
        ObjectMapper om = new ObjectMapper();
        ObjectNode header = om.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            long n = t.dtype().byteWidth();
            for (long d : t.shape()) {
                n *= d;
            }
            ObjectNode o = header.putObject(e.getKey());
            o.put("dtype", t.dtype().safetensorsName());
            var sh = o.putArray("shape");
            for (long d : t.shape()) {
                sh.add(d);
            }
            var offs = o.putArray("data_offsets");
            offs.add(offset);
            offs.add(offset + n);
            offset += n;
        }
        byte[] json = om.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int pad = (8 - json.length % 8) % 8; // align data to 8 bytes, as the reference writer does
        byte[] headerBytes = new byte[json.length + pad];
        System.arraycopy(json, 0, headerBytes, 0, json.length);
        java.util.Arrays.fill(headerBytes, json.length, headerBytes.length, (byte) ' ');

        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            AtomicFiles.makeReadable(tmp);
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length);
                os.write(len.array());
                os.write(headerBytes);
                for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                    Tensor t = e.getValue();
                    CountingStream cs = new CountingStream(os);
                    t.data().writeTo(cs);
                    long n = t.dtype().byteWidth();
                    for (long d : t.shape()) {
                        n *= d;
                    }
                    if (cs.count != n) {
                        throw new IOException("tensor '" + e.getKey() + "' wrote " + cs.count + " bytes, expected " + n);
                    }
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static final class CountingStream extends OutputStream {
        private final OutputStream out;
        private long count;

        CountingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
