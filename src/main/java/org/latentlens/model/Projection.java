package org.latentlens.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.latentlens.kernel.PackedMatrix;
import org.latentlens.kernel.VectorSupport;

/**
 * One linear layer of a block, {@code y = x · Wᵀ + b} over packed tokens [T, in].
 *
 * <p>On the CPU, with the Vector API present, the weight is a {@link PackedMatrix} on the Java heap and the
 * product runs on our kernel (about twice libtorch's GEMM rate on the machines we measured, see
 * {@code docs/runtime.md}); elsewhere (a GPU, no Vector API, too small a heap, {@code -Dlatentlens.gemm=torch})
 * it is libtorch's {@code linear}. Both give the same numbers up to float32 rounding.
 *
 * <p>The packed product reads its input through a view of the engine array's memory and writes into an
 * uninitialised engine array through another view ({@code toByteBuffer(true)}): no copies and no Java
 * garbage per call. (Wrapping a Java result with {@code NDManager.create(float[])} instead cost more than
 * the product itself: a fresh direct buffer is zeroed and faulted in on every call.)
 */
final class Projection {
    private final NDArray weight;
    private final NDArray bias;
    private final PackedMatrix packed;
    private final float[] packedBias;

    private Projection(NDArray weight, NDArray bias, PackedMatrix packed, float[] packedBias) {
        this.weight = weight;
        this.bias = bias;
        this.packed = packed;
        this.packedBias = packedBias;
    }

    /** @return a projection run by libtorch */
    static Projection engine(NDArray weight, NDArray bias) {
        return new Projection(weight, bias, null, null);
    }

    /** @return a projection run by the Java kernel */
    static Projection packed(PackedMatrix weight, float[] bias) {
        return new Projection(null, null, weight, bias);
    }

    /**
     * @param device where the model computes
     * @param rows output features of the projection about to be loaded
     * @param cols input features
     * @return whether to pack it: the CPU, the Vector API, no {@code -Dlatentlens.gemm=torch}, and room on the
     *         Java heap for it with a quarter of the heap to spare (otherwise libtorch holds it, in native memory)
     */
    static boolean packedFor(Device device, int rows, int cols) {
        if (!VectorSupport.AVAILABLE || !device.equals(Device.cpu()) || "torch".equals(System.getProperty("latentlens.gemm"))) {
            return false;
        }
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        long need = PackedMatrix.paddedFloats(rows, cols) * 4;
        return used + need < rt.maxMemory() - rt.maxMemory() / 4;
    }

    /**
     * @param x [T, in]
     * @return [T, out], owned by {@code x}'s manager
     */
    NDArray apply(NDArray x) {
        if (packed == null) {
            return Linear.linear(x, weight, bias).singletonOrThrow();
        }
        int t = Math.toIntExact(x.getShape().get(0));
        NDArray y = x.getManager().create(new Shape(t, packed.rows()), DataType.FLOAT32);
        // views of the engine's memory (a non-contiguous input is made contiguous first)
        FloatBuffer in = x.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
        FloatBuffer out = y.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
        packed.multiply(in, t, packedBias, out);
        return y;
    }
}
