/**
 * Reading {@code torch.save} zip archives without executing code: {@link org.latentlens.io.torch.TorchArchive}
 * finds the archive's root folder and storages, {@link org.latentlens.io.torch.RestrictedUnpickler} rebuilds
 * tensors, lists, dicts and strings from {@code data.pkl} and refuses every other Python global with an
 * {@link org.latentlens.io.torch.UnsafePickleException}.
 *
 * @see org.latentlens.io.torch.TorchArchive
 * @see org.latentlens.io.torch.RestrictedUnpickler
 */
package org.latentlens.io.torch;
