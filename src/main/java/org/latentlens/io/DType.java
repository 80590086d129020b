package org.latentlens.io;

/**
 * Element types that tensor files in this project may hold, with their safetensors spelling and width.
 *
 * <p>Only {@link #F32} is ever handed to the tensor engine for weights: {@link #BF16} must be widened in
 * Java first (a bfloat16 NDArray aborts the JVM in DJL's PyTorch engine), and {@link #F16} is widened too
 * because half-precision matrix products on CPU are tens of times slower.
 */
public enum DType {
    /** IEEE 754 binary32. */
    F32("F32", 4),
    /** IEEE 754 binary16. */
    F16("F16", 2),
    /** bfloat16: the upper 16 bits of a binary32. */
    BF16("BF16", 2),
    /** IEEE 754 binary64. */
    F64("F64", 8),
    /** signed 64-bit integer. */
    I64("I64", 8),
    /** signed 32-bit integer. */
    I32("I32", 4),
    /** signed 16-bit integer. */
    I16("I16", 2),
    /** signed 8-bit integer. */
    I8("I8", 1),
    /** unsigned 8-bit integer. */
    U8("U8", 1),
    /** boolean, one byte per element. */
    BOOL("BOOL", 1),
    /** float8 e4m3fn (as used by the paper's contextual banks). */
    F8_E4M3("F8_E4M3", 1);

    private final String safetensorsName;
    private final int byteWidth;

    DType(String safetensorsName, int byteWidth) {
        this.safetensorsName = safetensorsName;
        this.byteWidth = byteWidth;
    }

    /** @return the name used in a safetensors header, for example {@code "BF16"} */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** @return the number of bytes one element occupies */
    public int byteWidth() {
        return byteWidth;
    }

    /**
     * Looks a type up by its safetensors header spelling.
     *
     * @param name the {@code dtype} string of a safetensors header entry
     * @return the matching type
     * @throws IllegalArgumentException naming the unknown type and the supported ones
     */
    public static DType fromSafetensorsName(String name) {
        for (DType t : values()) {
            if (t.safetensorsName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported safetensors dtype '" + name + "'; supported: "
                + java.util.Arrays.stream(values()).map(DType::safetensorsName).toList());
    }
}
