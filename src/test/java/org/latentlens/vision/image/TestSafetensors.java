package org.latentlens.vision.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A minimal safetensors reader for the vision fixtures (test-only; the production reader lives in
 * {@code org.latentlens.io}). Reads the whole file into memory; understands U8, I64 and F32. Files
 * ending in {@code .gz} are gunzipped first.
 */
final class TestSafetensors {
    /** One tensor: dtype name, shape and little-endian bytes. */
    record Tensor(String dtype, long[] shape, byte[] bytes) {
        long numel() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        float[] floats() {
            if (!dtype.equals("F32")) {
                throw new IllegalStateException("tensor is " + dtype + ", not F32");
            }
            float[] out = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }

        long[] longs() {
            if (!dtype.equals("I64")) {
                throw new IllegalStateException("tensor is " + dtype + ", not I64");
            }
            long[] out = new long[bytes.length / 8];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
            return out;
        }
    }

    private TestSafetensors() {
    }

    static Map<String, Tensor> read(Path file) throws IOException {
        byte[] all;
        if (file.toString().endsWith(".gz")) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                all = in.readAllBytes();
            }
        } else {
            all = Files.readAllBytes(file);
        }
        ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = buf.getLong(0);
        if (headerLen <= 0 || 8 + headerLen > all.length) {
            throw new IOException(file + ": bad safetensors header length " + headerLen);
        }
        JsonNode header = new ObjectMapper().readTree(new String(all, 8, (int) headerLen, "UTF-8"));
        int base = 8 + (int) headerLen;
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            JsonNode t = e.getValue();
            long[] shape = new long[t.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.get("shape").get(i).asLong();
            }
            int start = t.get("data_offsets").get(0).asInt();
            int end = t.get("data_offsets").get(1).asInt();
            byte[] bytes = new byte[end - start];
            System.arraycopy(all, base + start, bytes, 0, bytes.length);
            out.put(e.getKey(), new Tensor(t.get("dtype").asText(), shape, bytes));
        }
        return out;
    }
}
