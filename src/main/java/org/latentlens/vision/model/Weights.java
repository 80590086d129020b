package org.latentlens.vision.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.latentlens.io.MissingTensorException;
import org.latentlens.io.WeightSource;
import org.latentlens.model.TensorStaging;

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
        w.requireShape(name, shape);
        return TensorStaging.load(m, w, shape, name);
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
        w.requireShape(name, shape);
        return TensorStaging.floats(w, name);
    }
}
