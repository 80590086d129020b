package org.latentlens.io.torch;

import java.util.Arrays;
import org.latentlens.io.DType;

/**
 * A tensor rebuilt from a torch.save pickle ({@code torch._utils._rebuild_tensor_v2}): a view of a storage
 * with an element offset, a shape and strides, all in elements. The data stays in the archive until read
 * through {@link TorchArchive}.
 *
 * @param storage the storage it views
 * @param storageOffset offset of element [0, ..., 0] in the storage, in elements
 * @param shape sizes
 * @param stride strides, in elements
 */
public record TorchTensor(TorchStorage storage, long storageOffset, long[] shape, long[] stride) {

    /** @return the element type */
    public DType dtype() {
        return storage.dtype();
    }

    /** @return the number of elements */
    public long numel() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /** @return whether the elements are stored row-major without gaps */
    public boolean isContiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    @Override
    public String toString() {
        return "TorchTensor(" + storage.dtype().safetensorsName() + " " + Arrays.toString(shape) + ", stride "
                + Arrays.toString(stride) + ", offset " + storageOffset + ", storage " + storage.key() + ")";
    }
}
