/**
 * Compute kernels written with the Java Vector API: one register-tiled dot-product kernel behind the exact
 * search of {@code org.latentlens.index} and the packed projections of the model runtime
 * ({@link org.latentlens.kernel.PackedMatrix}).
 */
package org.latentlens.kernel;
