package org.latentlens.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Everything that uses the Vector API ({@code jdk.incubator.vector}), in one class that is loaded only when
 * that module is present (see {@link VectorSupport#AVAILABLE}): the register-tiled dot-product kernel behind
 * both the exact search and the packed projections, and vectorised helpers.
 */
public final class VectorKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector: 16 with AVX-512, 8 with AVX2. */
    public static final int L = S.length();
    /** Rows per register tile: three vectors. */
    public static final int NR = 3 * L;
    private static final int MR = VectorSupport.MR;
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> SS =
            VectorSpecies.of(short.class, VectorShape.forBitSize(IS.length() * Short.SIZE));

    private VectorKernels() {
    }

    /** @return whether any of the L scores from {@code off} is at least {@code threshold} */
    public static boolean anyAtLeast(float[] scores, int off, float threshold) {
        return FloatVector.fromArray(S, scores, off).compare(VectorOperators.GE, threshold).anyTrue();
    }

    /**
     * Widens binary16 values: the exponent and mantissa bits are moved into float32 position and rescaled by
     * 2^112, exact for normal and subnormal values alike; infinities and NaNs get an all-ones exponent.
     *
     * @return how many values were converted (a multiple of the vector length; the caller does the rest)
     */
    public static int halfToFloat(short[] src, int srcOff, float[] dst, int dstOff, int n) {
        int lanes = IS.length();
        int i = 0;
        for (; i + lanes <= n; i += lanes) {
            IntVector h = (IntVector) ShortVector.fromArray(SS, src, srcOff + i).convertShape(VectorOperators.S2I, IS, 0);
            IntVector sign = h.and(0x8000).lanewise(VectorOperators.LSHL, 16);
            IntVector em = h.and(0x7fff).lanewise(VectorOperators.LSHL, 13);
            IntVector bits = em.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
            VectorMask<Integer> special = em.compare(VectorOperators.GE, 0x7c00 << 13);
            bits = bits.blend(em.or(0x7f800000), special);
            bits.or(sign).reinterpretAsFloats().intoArray(dst, dstOff + i);
        }
        return i;
    }

    /**
     * Scores of an 8-query panel against a 48-row panel over {@code dim} dimensions, written to
     * {@code c[cOff + i * ldc + j]} (added to what is there when {@code accumulate}).
     * The loop body is written out by hand: the JIT keeps the 24 accumulators in registers only when
     * they are plain locals.
     */
    public static void kernel(float[] qp, int qOff, float[] ep, int eOff, int dim, float[] c, int cOff, int ldc,
                               boolean accumulate) {
        FloatVector c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32;
        FloatVector c40, c41, c42, c50, c51, c52, c60, c61, c62, c70, c71, c72;
        if (accumulate) {
            int o = cOff;
            c00 = FloatVector.fromArray(S, c, o);
            c01 = FloatVector.fromArray(S, c, o + L);
            c02 = FloatVector.fromArray(S, c, o + 2 * L);
            o += ldc;
            c10 = FloatVector.fromArray(S, c, o);
            c11 = FloatVector.fromArray(S, c, o + L);
            c12 = FloatVector.fromArray(S, c, o + 2 * L);
            o += ldc;
            c20 = FloatVector.fromArray(S, c, o);
            c21 = FloatVector.fromArray(S, c, o + L);
            c22 = FloatVector.fromArray(S, c, o + 2 * L);
            o += ldc;
            c30 = FloatVector.fromArray(S, c, o);
            c31 = FloatVector.fromArray(S, c, o + L);
            c32 = FloatVector.fromArray(S, c, o + 2 * L);
            o += ldc;
            c40 = FloatVector.fromArray(S, c, o);
            c41 = FloatVector.fromArray(S, c, o + L);
            c42 = FloatVector.fromArray(S, c, o + 2 * L);
            o += ldc;
            c50 = FloatVector.fromArray(S, c, o);
            c51 = FloatVector.fromArray(S, c, o + L);
            c52 = FloatVector.fromArray(S, c, o + 2 * L);
            o += ldc;
            c60 = FloatVector.fromArray(S, c, o);
            c61 = FloatVector.fromArray(S, c, o + L);
            c62 = FloatVector.fromArray(S, c, o + 2 * L);
            o += ldc;
            c70 = FloatVector.fromArray(S, c, o);
            c71 = FloatVector.fromArray(S, c, o + L);
            c72 = FloatVector.fromArray(S, c, o + 2 * L);
        } else {
            c00 = FloatVector.zero(S);
            c01 = c00;
            c02 = c00;
            c10 = c00;
            c11 = c00;
            c12 = c00;
            c20 = c00;
            c21 = c00;
            c22 = c00;
            c30 = c00;
            c31 = c00;
            c32 = c00;
            c40 = c00;
            c41 = c00;
            c42 = c00;
            c50 = c00;
            c51 = c00;
            c52 = c00;
            c60 = c00;
            c61 = c00;
            c62 = c00;
            c70 = c00;
            c71 = c00;
            c72 = c00;
        }
        int b = eOff;
        int a = qOff;
        for (int d = 0; d < dim; d++, b += NR, a += MR) {
            FloatVector y0 = FloatVector.fromArray(S, ep, b);
            FloatVector y1 = FloatVector.fromArray(S, ep, b + L);
            FloatVector y2 = FloatVector.fromArray(S, ep, b + 2 * L);
            FloatVector x = FloatVector.broadcast(S, qp[a]);
            c00 = x.fma(y0, c00);
            c01 = x.fma(y1, c01);
            c02 = x.fma(y2, c02);
            x = FloatVector.broadcast(S, qp[a + 1]);
            c10 = x.fma(y0, c10);
            c11 = x.fma(y1, c11);
            c12 = x.fma(y2, c12);
            x = FloatVector.broadcast(S, qp[a + 2]);
            c20 = x.fma(y0, c20);
            c21 = x.fma(y1, c21);
            c22 = x.fma(y2, c22);
            x = FloatVector.broadcast(S, qp[a + 3]);
            c30 = x.fma(y0, c30);
            c31 = x.fma(y1, c31);
            c32 = x.fma(y2, c32);
            x = FloatVector.broadcast(S, qp[a + 4]);
            c40 = x.fma(y0, c40);
            c41 = x.fma(y1, c41);
            c42 = x.fma(y2, c42);
            x = FloatVector.broadcast(S, qp[a + 5]);
            c50 = x.fma(y0, c50);
            c51 = x.fma(y1, c51);
            c52 = x.fma(y2, c52);
            x = FloatVector.broadcast(S, qp[a + 6]);
            c60 = x.fma(y0, c60);
            c61 = x.fma(y1, c61);
            c62 = x.fma(y2, c62);
            x = FloatVector.broadcast(S, qp[a + 7]);
            c70 = x.fma(y0, c70);
            c71 = x.fma(y1, c71);
            c72 = x.fma(y2, c72);
        }
        int o = cOff;
        c00.intoArray(c, o);
        c01.intoArray(c, o + L);
        c02.intoArray(c, o + 2 * L);
        o += ldc;
        c10.intoArray(c, o);
        c11.intoArray(c, o + L);
        c12.intoArray(c, o + 2 * L);
        o += ldc;
        c20.intoArray(c, o);
        c21.intoArray(c, o + L);
        c22.intoArray(c, o + 2 * L);
        o += ldc;
        c30.intoArray(c, o);
        c31.intoArray(c, o + L);
        c32.intoArray(c, o + 2 * L);
        o += ldc;
        c40.intoArray(c, o);
        c41.intoArray(c, o + L);
        c42.intoArray(c, o + 2 * L);
        o += ldc;
        c50.intoArray(c, o);
        c51.intoArray(c, o + L);
        c52.intoArray(c, o + 2 * L);
        o += ldc;
        c60.intoArray(c, o);
        c61.intoArray(c, o + L);
        c62.intoArray(c, o + 2 * L);
        o += ldc;
        c70.intoArray(c, o);
        c71.intoArray(c, o + L);
        c72.intoArray(c, o + 2 * L);
    }
}
