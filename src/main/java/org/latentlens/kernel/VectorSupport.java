package org.latentlens.kernel;

/**
 * Whether the Vector API kernels can run, and the tile height every caller packs its left operand for.
 * Kept apart from {@link VectorKernels} so that asking does not load the incubator classes.
 */
public final class VectorSupport {
    /**
     * True when {@code jdk.incubator.vector} is in the boot layer ({@code --add-modules jdk.incubator.vector},
     * as {@code bin/latentlens}, the kernel and the test runner pass); {@code -Dlatentlens.vector=false} turns it off.
     */
    public static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("latentlens.vector"));
    /** Left-operand rows per register tile. */
    public static final int MR = 8;

    private VectorSupport() {
    }
}
