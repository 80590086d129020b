package org.latentlens.io.onnx;

/** IEEE 754 binary16 to binary32 widening (Java 17 has no {@code Float.float16ToFloat}). */
final class HalfFloats {
    private HalfFloats() {
    }

    /**
     * @param h the 16 bits of a half-precision float
     * @return the same value as a float (exact: every binary16 value is representable)
     */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            // infinity or NaN: keep the payload
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            // subnormal half: value = mant * 2^-24, exactly representable as a normal float
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }
}
