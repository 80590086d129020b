package org.latentlens.io;

import java.util.Arrays;

/**
 * Where a named tensor lives and what it looks like, without reading its data.
 *
 * @param name the tensor's name, for example {@code model.layers.0.self_attn.q_proj.weight}
 * @param dtype its element type on disk
 * @param shape its shape, outermost dimension first
 * @param source a human-readable description of the file that holds it, for error messages
 */
public record TensorInfo(String name, DType dtype, long[] shape, String source) {

    /** @return the number of elements, the product of the shape (1 for a scalar) */
    public long numElements() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** @return the number of bytes the data occupies on disk */
    public long byteSize() {
        return numElements() * dtype.byteWidth();
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " in " + source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && t.name.equals(name) && t.dtype == dtype
                && Arrays.equals(t.shape, shape) && t.source.equals(source);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }
}
