package org.latentlens.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * Widening of half-precision formats to float32, in Java, because the tensor engine must never see a
 * bfloat16 array (DJL's PyTorch JNI aborts the process on one).
 */
public final class FloatConversions {
    private FloatConversions() {
    }

    /**
     * @param bits a bfloat16 value's 16 bits
     * @return the exact float32 value (bfloat16 is the upper half of a float32)
     */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /**
     * Rounds a float32 to bfloat16 with round-to-nearest-even, as PyTorch does.
     *
     * @param f a float32 value
     * @return the bfloat16 bits
     */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int lsb = (bits >>> 16) & 1;
        bits += 0x7fff + lsb;
        return (short) (bits >>> 16);
    }

    /**
     * @param h an IEEE binary16 value's 16 bits
     * @return the exact float32 value
     */
    public static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
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
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /**
     * Rounds a float32 to IEEE binary16 with round-to-nearest-even.
     *
     * @param f a float32 value
     * @return the binary16 bits
     */
    public static short floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            mant |= 0x800000;
            int shift = 14 - e;
            int half = mant >>> shift;
            int rem = mant & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || (rem == mid && (half & 1) == 1)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }

    /**
     * Widens a buffer of 16-bit floats to a new little-endian direct float32 buffer.
     *
     * @param src little-endian bfloat16 or binary16 data, read from its position to its limit
     * @param dtype {@link DType#BF16} or {@link DType#F16}
     * @return a direct buffer of the widened values, position 0
     */
    public static ByteBuffer widenToFloat32(ByteBuffer src, DType dtype) {
        int n = src.remaining() / 2;
        ByteBuffer out = ByteBuffer.allocateDirect(Math.multiplyExact(n, 4)).order(ByteOrder.LITTLE_ENDIAN);
        widenInto(src, dtype, out);
        return out.flip();
    }

    /**
     * Widens 16-bit floats into a caller's buffer (a reused staging buffer, so that loading a checkpoint
     * does not allocate, and fault in, a fresh buffer per tensor).
     *
     * @param src little-endian bfloat16 or binary16 data, read from its position to its limit (not moved)
     * @param dtype {@link DType#BF16} or {@link DType#F16}
     * @param dst little-endian float32 destination: written from its position, which advances
     * @throws java.nio.BufferOverflowException when {@code dst} has less room than the values need
     */
    public static void widenInto(ByteBuffer src, DType dtype, ByteBuffer dst) {
        if (dtype != DType.BF16 && dtype != DType.F16) {
            throw new IllegalArgumentException("not a 16-bit float type: " + dtype);
        }
        ShortBuffer in = src.slice().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        int n = in.remaining();
        if (dst.remaining() < (long) n * 4) {
            throw new java.nio.BufferOverflowException();
        }
        FloatBuffer fo = dst.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        short[] chunk = new short[Math.min(n, 1 << 16)];
        float[] fchunk = new float[chunk.length];
        int done = 0;
        while (done < n) {
            int len = Math.min(chunk.length, n - done);
            in.get(chunk, 0, len);
            if (dtype == DType.BF16) {
                for (int i = 0; i < len; i++) {
                    fchunk[i] = Float.intBitsToFloat((chunk[i] & 0xffff) << 16);
                }
            } else {
                for (int i = 0; i < len; i++) {
                    fchunk[i] = halfToFloat(chunk[i]);
                }
            }
            fo.put(fchunk, 0, len);
            done += len;
        }
        dst.position(dst.position() + n * 4);
    }
}
