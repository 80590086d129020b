package org.latentlens.io.torch;

import org.latentlens.io.DType;

/**
 * A storage referenced by a torch.save pickle: its element type, its key (the file
 * {@code <root>/data/<key>} in the archive) and its number of elements.
 *
 * @param dtype element type
 * @param key storage key
 * @param numel number of elements
 */
public record TorchStorage(DType dtype, String key, long numel) {
}
