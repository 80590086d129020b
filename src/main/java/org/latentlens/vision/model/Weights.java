package org.latentlens.vision.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.latentlens.io.MissingTensorException;
import org.latentlens.io.WeightSource;

/** Shape-checked float32 loads of the few tensors a vision model reads outside the shared blocks. */
final class Weights {
    private Weights() {
    }

    /**
     * @param w weights
     * @param m owner of the array
     * @param name tensor name
     * @param shape the shape the config implies
     * @return the tensor, reshaped to {@code shape}
     * @throws MissingTensorException naming the tensor and checkpoint
     * @throws org.latentlens.io.TensorFormatException naming the tensor, its shape and the expected one
     */
    static NDArray load(WeightSource w, NDManager m, String name, long... shape) {
        if (!w.has(name)) {
            throw new MissingTensorException("tensor '" + name + "' is missing from " + w);
        }
        return m.create(w.loadFloat32(name, shape), new Shape(shape), DataType.FLOAT32);
    }

    /**
     * @return the tensor as [rows, cols] whatever its stored rank (a conv kernel [D, C, kh, kw] as [D, C*kh*kw])
     */
    static NDArray loadAs(WeightSource w, NDManager m, String name, long[] stored, long rows, long cols) {
        return load(w, m, name, stored).reshape(rows, cols);
    }

    /** @return a float32 copy of a tensor's values */
    static float[] floats(WeightSource w, String name, long... shape) {
        if (!w.has(name)) {
            throw new MissingTensorException("tensor '" + name + "' is missing from " + w);
        }
        java.nio.FloatBuffer fb = w.loadFloat32(name, shape).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
    }
}
