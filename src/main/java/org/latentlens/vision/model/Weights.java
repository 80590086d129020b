package org.latentlens.vision.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.latentlens.io.MissingTensorException;
import org.latentlens.io.TensorFormatException;
import org.latentlens.io.TensorInfo;
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
        TensorInfo info = w.info(name);
        if (!Arrays.equals(info.shape(), shape)) {
            throw new TensorFormatException("tensor '" + name + "' in " + info.source() + " has shape "
                    + Arrays.toString(info.shape()) + " but the model config needs " + Arrays.toString(shape));
        }
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
        java.nio.FloatBuffer fb = w.loadFloat32(name, shape).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
    }
}
