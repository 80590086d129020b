package org.latentlens.io;

import java.nio.ByteBuffer;
import java.util.Set;

/**
 * Named tensors from one or more files: a single safetensors file, a sharded checkpoint, or weights
 * imported from another format (ONNX initializers, for example).
 *
 * <p>Data comes back as float32 in a little-endian <em>direct</em> {@link ByteBuffer} with position 0, so
 * the tensor engine can wrap it without copying. Float32 data on disk is returned as a view of the
 * memory-mapped file; BF16 and F16 are widened to float32 in Java.
 */
public interface WeightSource extends AutoCloseable {

    /** @return the names of every tensor this source holds */
    Set<String> names();

    /**
     * @param name a tensor name
     * @return whether this source holds a tensor of that name
     */
    default boolean has(String name) {
        return names().contains(name);
    }

    /**
     * @param name a tensor name
     * @return its dtype, shape and file
     * @throws MissingTensorException if the source has no tensor of that name
     */
    TensorInfo info(String name);

    /**
     * Reads a tensor as float32.
     *
     * @param name a tensor name
     * @return a little-endian direct buffer holding {@code info(name).numElements()} floats, position 0
     * @throws MissingTensorException if the source has no tensor of that name
     * @throws TensorFormatException if the tensor's dtype cannot be widened to float32
     */
    ByteBuffer loadFloat32(String name);

    /**
     * Reads a tensor as float32 and checks its shape first.
     *
     * @param name a tensor name
     * @param expectedShape the shape the caller needs
     * @return the data, as {@link #loadFloat32(String)}
     * @throws TensorFormatException naming the tensor, the file and both shapes when they differ
     */
    default ByteBuffer loadFloat32(String name, long... expectedShape) {
        requireShape(name, expectedShape);
        return loadFloat32(name);
    }

    /**
     * @param name a tensor name
     * @param expectedShape the shape the caller needs
     * @throws MissingTensorException if the source has no tensor of that name
     * @throws TensorFormatException naming the tensor, the file and both shapes when they differ
     */
    default void requireShape(String name, long... expectedShape) {
        TensorInfo info = info(name);
        if (!java.util.Arrays.equals(info.shape(), expectedShape)) {
            throw new TensorFormatException("tensor '" + name + "' in " + info.source() + " has shape "
                    + java.util.Arrays.toString(info.shape()) + " but the model config needs "
                    + java.util.Arrays.toString(expectedShape));
        }
    }

    /**
     * Reads a range of rows (outermost dimension) of a tensor as float32: the way to read tensors whose
     * float32 form exceeds what one buffer can hold (2 GiB), such as a large vocabulary's embedding.
     *
     * @param name a tensor name
     * @param firstRow the first row
     * @param rows the number of rows
     * @return a little-endian direct buffer of {@code rows * rowElements} floats, position 0
     */
    default ByteBuffer loadFloat32Rows(String name, long firstRow, long rows) {
        TensorInfo info = info(name);
        long rowElems = info.shape().length == 0 ? 1 : info.numElements() / Math.max(1, info.shape()[0]);
        ByteBuffer all = loadFloat32(name);
        return all.duplicate().position((int) (firstRow * rowElems * 4)).limit((int) ((firstRow + rows) * rowElems * 4))
                .slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Reads a range of rows as float32 into a caller's buffer, so that a loader can stage every tensor
     * through one reused buffer instead of a fresh one per tensor.
     *
     * @param name a tensor name
     * @param firstRow the first row (outermost dimension)
     * @param rows the number of rows
     * @param dst a little-endian buffer written from its position, which advances by {@code rows * rowElements * 4}
     * @throws java.nio.BufferOverflowException when {@code dst} has too little room
     */
    default void readFloat32Rows(String name, long firstRow, long rows, ByteBuffer dst) {
        dst.put(loadFloat32Rows(name, firstRow, rows).duplicate());
    }

    /** Releases mapped files. Buffers handed out before must not be used afterwards. */
    @Override
    void close();
}
