package org.latentlens.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.latentlens.io.DType;
import org.latentlens.io.TensorFormatException;
import org.latentlens.io.TensorInfo;
import org.latentlens.io.ThreadScratch;
import org.latentlens.io.WeightSource;
import org.latentlens.kernel.PackedMatrix;

/**
 * Moves checkpoint tensors into engine-owned float32 arrays through one reused staging buffer.
 *
 * <p>Why: memory is slow to fault in on first touch (on the virtual machines we measured, 0.3 to 0.6 GB/s),
 * so the cost of loading a model is the number of fresh bytes it touches. Widening every tensor into a
 * new Java direct buffer touches each byte twice (the JDK zeroes the buffer, then the values land), and
 * fusing q|k|v or gate|up with a concatenation touches the fused weights a third time. Here each
 * tensor's values are widened chunk by chunk into a reused buffer (its pages fault in once), and copied once into an
 * uninitialised engine array of the final (possibly fused) shape: every weight byte is touched once.
 *
 * <p>A float32 tensor that needs no fusing and fits one buffer is still wrapped without any copy (a view of
 * the memory-mapped file), which is cheaper still.
 */
public final class TensorStaging {
    /** Bytes staged per copy: large enough that per-call overhead vanishes, small enough to keep around. */
    static final int CHUNK_BYTES = 64 << 20;

    /** Widened rows on their way into engine arrays. */
    private static final ThreadScratch SCRATCH = new ThreadScratch(CHUNK_BYTES);

    private TensorStaging() {
    }

    /**
     * Loads one or more tensors stacked along their first dimension (q|k|v, gate|up), or a single tensor.
     *
     * @param manager owner of the result (and its device)
     * @param weights the checkpoint
     * @param shape the result's shape: the parts' first dimensions add up to {@code shape[0]}, and every part
     *        has the remaining dimensions' element count per row
     * @param names the tensors, in stacking order (their shapes were checked by the caller)
     * @return a float32 array of {@code shape}
     * @throws TensorFormatException naming a tensor whose row width does not fit {@code shape}
     */
    public static NDArray load(NDManager manager, WeightSource weights, long[] shape, String... names) {
        return load(manager, weights, shape, CHUNK_BYTES, names);
    }

    /** {@link #load(NDManager, WeightSource, long[], String...)} staging at most {@code chunkBytes} at a time (tests). */
    static NDArray load(NDManager manager, WeightSource weights, long[] shape, int chunkBytes, String... names) {
        long rowElems = 1;
        for (int i = 1; i < shape.length; i++) {
            rowElems *= shape[i];
        }
        long rows = 0;
        TensorInfo[] infos = new TensorInfo[names.length];
        for (int i = 0; i < names.length; i++) {
            infos[i] = weights.info(names[i]);
            long[] stored = infos[i].shape();
            long n = infos[i].numElements();
            long storedRowElems = stored.length == 0 ? 1 : n / Math.max(1, stored[0]);
            if (rowElems == 0 || storedRowElems != rowElems) {
                throw new TensorFormatException("tensor '" + names[i] + "' in " + infos[i].source() + " has shape "
                        + Arrays.toString(stored) + ", which does not stack into " + Arrays.toString(shape));
            }
            rows += n / rowElems;
        }
        if (shape.length == 0 || rows != shape[0]) {
            throw new TensorFormatException("tensors " + Arrays.toString(names) + " hold " + rows + " rows of "
                    + rowElems + " values but " + Arrays.toString(shape) + " was expected");
        }
        Shape target = new Shape(shape);
        if (names.length == 1 && infos[0].dtype() == DType.F32 && manager.getDevice().equals(Device.cpu())
                && rows * rowElems * 4 <= Integer.MAX_VALUE) {
            return manager.create(weights.loadFloat32(names[0]), target, DataType.FLOAT32);
        }
        NDArray out = manager.create(target, DataType.FLOAT32);
        try {
            long rowBytes = rowElems * 4;
            ByteBuffer scratch = SCRATCH.get(rowBytes);
            long rowsPerChunk = Math.max(1, Math.min(scratch.capacity(), chunkBytes) / rowBytes);
            long at = 0;
            for (int i = 0; i < names.length; i++) {
                long partRows = infos[i].numElements() / rowElems;
                for (long r = 0; r < partRows; r += rowsPerChunk) {
                    long n = Math.min(rowsPerChunk, partRows - r);
                    copy(manager, out, weights, names[i], r, at + r, n, shape, scratch);
                }
                at += partRows;
            }
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /**
     * Loads one or more [rows_i, cols] tensors, stacked, into a {@link PackedMatrix} (Java heap, no engine copy).
     *
     * @param weights the checkpoint
     * @param cols the row width every part must have
     * @param names the tensors, in stacking order (their shapes were checked by the caller)
     * @return the packed matrix of all rows
     * @throws TensorFormatException naming a tensor whose row width is not {@code cols}
     */
    public static PackedMatrix loadPacked(WeightSource weights, int cols, String... names) {
        long rows = 0;
        for (String name : names) {
            TensorInfo info = weights.info(name);
            if (info.shape().length != 2 || info.shape()[1] != cols) {
                throw new TensorFormatException("tensor '" + name + "' in " + info.source() + " has shape "
                        + Arrays.toString(info.shape()) + " but [rows, " + cols + "] was expected");
            }
            rows += info.shape()[0];
        }
        PackedMatrix packed = new PackedMatrix(Math.toIntExact(rows), cols);
        long rowBytes = 4L * cols;
        ByteBuffer scratch = SCRATCH.get(rowBytes);
        int rowsPerChunk = (int) Math.max(1, scratch.capacity() / rowBytes);
        int at = 0;
        for (String name : names) {
            long partRows = weights.info(name).shape()[0];
            for (long r = 0; r < partRows; r += rowsPerChunk) {
                int n = (int) Math.min(rowsPerChunk, partRows - r);
                scratch.clear();
                weights.readFloat32Rows(name, r, n, scratch);
                scratch.flip();
                packed.setRows(at, scratch.asFloatBuffer(), n);
                at += n;
            }
        }
        return packed;
    }

    /**
     * @param weights the checkpoint
     * @param names tensors (vectors, typically biases), concatenated in order
     * @return their float32 values
     */
    public static float[] floats(WeightSource weights, String... names) {
        long n = 0;
        for (String name : names) {
            n += weights.info(name).numElements();
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(n * 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (String name : names) {
            TensorInfo info = weights.info(name);
            weights.readFloat32Rows(name, 0, info.shape().length == 0 ? 1 : info.shape()[0], buf);
        }
        buf.flip();
        float[] out = new float[(int) n];
        buf.asFloatBuffer().get(out);
        return out;
    }

    /** Rows [firstRow, firstRow + rows) of one part into rows [outRow, outRow + rows) of the result. */
    private static void copy(NDManager manager, NDArray out, WeightSource weights, String name, long firstRow,
                             long outRow, long rows, long[] shape, ByteBuffer scratch) {
        scratch.clear();
        weights.readFloat32Rows(name, firstRow, rows, scratch);
        scratch.flip();
        long[] chunkShape = shape.clone();
        chunkShape[0] = rows;
        try (NDArray view = manager.create(scratch.slice().order(ByteOrder.LITTLE_ENDIAN), new Shape(chunkShape),
                DataType.FLOAT32)) {
            out.set(new NDIndex("{}:{}", outRow, outRow + rows), view);
        }
    }
}
