package org.latentlens.io.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.latentlens.io.MissingTensorException;
import org.latentlens.io.TensorFormatException;
import org.latentlens.io.TensorInfo;
import org.latentlens.io.WeightSource;

/**
 * ONNX initializers presented under HuggingFace weight names, in HuggingFace's layout.
 *
 * <p>Each name points at one initializer, optionally transposed: ONNX {@code MatMul} weights are stored
 * [in, out] and are handed out as {@code nn.Linear}'s [out, in]. Data are read on request, not cached: a
 * caller that keeps weights (the model runtime) loads each one once. FLOAT data lying 4-byte aligned in the
 * file come back as views of the mapped file; everything else (unaligned, transposed, or FLOAT16/BFLOAT16/
 * DOUBLE widened to float32) as a new direct buffer.
 */
public final class ImportedWeights implements WeightSource {

    /**
     * Where one HuggingFace tensor comes from.
     *
     * @param tensor the ONNX initializer
     * @param transpose whether the 2-D initializer is transposed on the way out
     */
    record Mapping(OnnxTensor tensor, boolean transpose) {
        long[] shape() {
            long[] d = tensor.dims();
            return transpose ? new long[] {d[1], d[0]} : d.clone();
        }
    }

    private final String source;
    private final Map<String, Mapping> byName;
    private volatile boolean closed;

    /**
     * @param source the ONNX file, for messages
     * @param byName HuggingFace name to initializer, in the order to list them
     */
    ImportedWeights(String source, Map<String, Mapping> byName) {
        this.source = source;
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    }

    @Override
    public Set<String> names() {
        return byName.keySet();
    }

    /**
     * @param name a HuggingFace tensor name
     * @return the ONNX initializer it is read from
     * @throws MissingTensorException if there is no such name
     */
    public String onnxName(String name) {
        return mapping(name).tensor().name();
    }

    /**
     * @param name a HuggingFace tensor name
     * @return whether the ONNX initializer is transposed to give it (ONNX MatMul weights are [in, out])
     * @throws MissingTensorException if there is no such name
     */
    public boolean isTransposed(String name) {
        return mapping(name).transpose();
    }

    @Override
    public TensorInfo info(String name) {
        Mapping m = mapping(name);
        return new TensorInfo(name, m.tensor().dtype(), m.shape(), describe(m));
    }

    @Override
    public ByteBuffer loadFloat32(String name) {
        Mapping m = mapping(name);
        ByteBuffer data = m.tensor().toFloat32();
        if (!m.transpose()) {
            return data;
        }
        int rows = Math.toIntExact(m.tensor().dims()[0]);
        int cols = Math.toIntExact(m.tensor().dims()[1]);
        float[] in = new float[rows * cols];
        data.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(in);
        float[] t = new float[rows * cols];
        // t[c][r] = in[r][c]; rows are walked in blocks so both sides stay in cache
        final int block = 64;
        for (int r0 = 0; r0 < rows; r0 += block) {
            int r1 = Math.min(rows, r0 + block);
            for (int c = 0; c < cols; c++) {
                for (int r = r0; r < r1; r++) {
                    t[c * rows + r] = in[r * cols + c];
                }
            }
        }
        ByteBuffer out = ByteBuffer.allocateDirect(rows * cols * 4).order(ByteOrder.LITTLE_ENDIAN);
        out.asFloatBuffer().put(t);
        return out;
    }

    private Mapping mapping(String name) {
        if (closed) {
            throw new IllegalStateException("the weights imported from " + source + " are closed");
        }
        Mapping m = byName.get(name);
        if (m == null) {
            throw new MissingTensorException("no tensor '" + name + "' among the weights imported from ONNX file "
                    + source + " (" + byName.size() + " tensors, for example " + byName.keySet().stream().limit(3)
                            .toList() + ")");
        }
        return m;
    }

    private String describe(Mapping m) {
        return source + " initializer '" + m.tensor().name() + "'"
                + (m.transpose() ? " (transposed from ONNX MatMul layout " + Arrays.toString(m.tensor().dims()) + ")" : "");
    }

    /**
     * Drops the references to the mapped file; it is unmapped when the buffers already handed out are
     * garbage-collected. Those buffers must not be used after the model that holds them is closed.
     */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "ImportedWeights[" + byName.size() + " tensors from " + source + "]";
    }

    /**
     * @param t an initializer read by a matrix product
     * @param hfName the weight it is to become, for the message
     * @throws TensorFormatException naming the initializer when it is not 2-D
     */
    static void requireMatrix(OnnxTensor t, String hfName) {
        if (t.dims().length != 2) {
            throw new TensorFormatException("ONNX initializer '" + t.name() + "' in " + t.source() + " feeds "
                    + hfName + " through a matrix product but has shape " + Arrays.toString(t.dims())
                    + "; a 2-D [in, out] matrix was expected");
        }
    }
}
