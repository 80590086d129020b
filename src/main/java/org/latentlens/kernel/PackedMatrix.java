package org.latentlens.kernel;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A weight matrix W [rows, cols] (nn.Linear layout: one row per output feature) stored in the panel order
 * of {@link VectorKernels#kernel}, so that {@code y = x · Wᵀ + b} runs on the register-tiled Vector API
 * kernel: on the AMD EPYC build machine 150 to 310 GFLOP/s on two cores, where libtorch's GEMM reached 98 to
 * 163 for the same projection shapes.
 *
 * <p>Layout: panels of {@link VectorKernels#NR} rows; panel {@code p} holds, for each column {@code c}, its
 * NR rows' values side by side ({@code [rows/NR][cols][NR]}), zero-padded past the last row. Sums run over
 * the columns in order, in blocks of {@value #KC}, so a result differs from a plain dot product only by
 * float32 rounding.
 *
 * <p>Immutable once filled; several threads may multiply at once.
 */
public final class PackedMatrix {
    /** Columns per pass: a 512-deep slice of a panel stays in L2 while the row tiles pass it. */
    static final int KC = 512;
    /** Panels per work unit. */
    static final int PANELS_PER_UNIT = 4;
    /** Input rows per pass over a unit, so that the packed input slice and the output tile stay in L2. */
    static final int ROW_CHUNK = 192;

    private static final int MR = VectorSupport.MR;
    /** The packed input of the last product on this thread, reused: products run per layer, many times. */
    private static final ThreadLocal<float[][]> INPUT = ThreadLocal.withInitial(() -> new float[1][]);
    private static final int THREADS = threads();
    private static final ExecutorService POOL = THREADS <= 1 ? null : Executors.newFixedThreadPool(THREADS - 1, r -> {
        Thread t = new Thread(r, "latentlens-gemm");
        t.setDaemon(true);
        return t;
    });

    private final int rows;
    private final int cols;
    private final int nr;
    private final float[] panels;

    /**
     * An all-zero matrix, to be filled with {@link #setRows}.
     *
     * @param rows output features
     * @param cols input features
     * @throws IllegalStateException when the Vector API is not available
     * @throws IllegalArgumentException when the packed matrix would exceed one Java array (2^31 floats)
     */
    public PackedMatrix(int rows, int cols) {
        if (!VectorSupport.AVAILABLE) {
            throw new IllegalStateException("packed matrices need the Vector API: run with --add-modules jdk.incubator.vector");
        }
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("a packed matrix needs rows and cols > 0, got " + rows + " x " + cols);
        }
        long padded = paddedFloats(rows, cols);
        if (padded > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a " + rows + " x " + cols + " matrix is too large to pack into one Java array");
        }
        this.rows = rows;
        this.cols = cols;
        this.nr = VectorKernels.NR;
        this.panels = new float[(int) padded];
    }

    /**
     * @param rows output features
     * @param cols input features
     * @return the floats a packed [rows, cols] matrix holds (rows padded to whole panels)
     */
    public static long paddedFloats(int rows, int cols) {
        int nr = VectorSupport.AVAILABLE ? VectorKernels.NR : 48;
        return (long) ((rows + nr - 1) / nr) * nr * cols;
    }

    /** @return output features */
    public int rows() {
        return rows;
    }

    /** @return input features */
    public int cols() {
        return cols;
    }

    /**
     * Copies row-major rows into the packed layout.
     *
     * @param firstRow the first row to set
     * @param src row-major values, {@code count * cols} of them from {@code srcOff}
     * @param srcOff where the first row starts in {@code src}
     * @param count how many rows
     */
    public void setRows(int firstRow, float[] src, int srcOff, int count) {
        if (firstRow < 0 || count < 0 || firstRow + count > rows) {
            throw new IndexOutOfBoundsException("rows " + firstRow + ".." + (firstRow + count) + " of " + rows);
        }
        for (int i = 0; i < count; i++) {
            int r = firstRow + i;
            int base = (r / nr) * nr * cols + r % nr;
            int s = srcOff + i * cols;
            for (int c = 0; c < cols; c++) {
                panels[base + c * nr] = src[s + c];
            }
        }
    }

    /**
     * Copies row-major rows from a buffer into the packed layout.
     *
     * @param firstRow the first row to set
     * @param src row-major values from its position ({@code count * cols} of them; the position is not moved)
     * @param count how many rows
     */
    public void setRows(int firstRow, FloatBuffer src, int count) {
        if (firstRow < 0 || count < 0 || firstRow + count > rows) {
            throw new IndexOutOfBoundsException("rows " + firstRow + ".." + (firstRow + count) + " of " + rows);
        }
        int p = src.position();
        for (int i = 0; i < count; i++) {
            int r = firstRow + i;
            int base = (r / nr) * nr * cols + r % nr;
            int s = p + i * cols;
            for (int c = 0; c < cols; c++) {
                panels[base + c * nr] = src.get(s + c);
            }
        }
    }

    /**
     * {@code y = x · Wᵀ (+ bias)} on all of the configured threads, written row-major into {@code y} from index 0.
     *
     * @param x row-major input [t, cols] from index 0 (absolute reads: for example a view of an engine array)
     * @param t input rows
     * @param bias [rows] added to every output row, or null
     * @param y receives [t, rows] from index 0 (absolute puts: its position is not used or moved)
     */
    public void multiply(FloatBuffer x, int t, float[] bias, FloatBuffer y) {
        if (x.capacity() < (long) t * cols || y.capacity() < (long) t * rows || (bias != null && bias.length != rows)) {
            throw new IllegalArgumentException("x holds " + x.capacity() + " floats, y " + y.capacity() + ", bias "
                    + (bias == null ? "none" : bias.length) + "; a [" + t + ", " + cols + "] input needs "
                    + (long) t * cols + " and " + (long) t * rows + ", bias " + rows);
        }
        if (t == 0) {
            return;
        }
        int tPad = (t + MR - 1) / MR * MR;
        float[] xp = packInput(x, t, tPad);
        int units = (panels.length / (nr * cols) + PANELS_PER_UNIT - 1) / PANELS_PER_UNIT;
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            float[] c = new float[Math.min(tPad, ROW_CHUNK) * PANELS_PER_UNIT * nr];
            FloatBuffer out = y.duplicate();
            int u;
            while ((u = next.getAndIncrement()) < units) {
                computeUnit(u, xp, t, tPad, bias, out, c);
            }
        };
        int helpers = POOL == null ? 0 : Math.min(THREADS - 1, units - 1);
        List<Future<?>> futures = new ArrayList<>(helpers);
        for (int i = 0; i < helpers; i++) {
            futures.add(POOL.submit(work));
        }
        RuntimeException failure = null;
        try {
            work.run();
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure != null ? failure : new IllegalStateException("interrupted during a matrix product", e);
            } catch (ExecutionException e) {
                failure = failure != null ? failure : new IllegalStateException("matrix product failed", e.getCause());
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void computeUnit(int unit, float[] xp, int t, int tPad, float[] bias, FloatBuffer y, float[] c) {
        int p0 = unit * PANELS_PER_UNIT;
        int pn = Math.min(PANELS_PER_UNIT, panels.length / (nr * cols) - p0);
        int ldc = pn * nr;
        int col0 = p0 * nr;
        int width = Math.min(ldc, rows - col0);
        for (int r0 = 0; r0 < tPad; r0 += ROW_CHUNK) {
            int rn = Math.min(ROW_CHUNK, tPad - r0);
            for (int k0 = 0; k0 < cols; k0 += KC) {
                int kl = Math.min(KC, cols - k0);
                for (int q = 0; q < rn; q += MR) {
                    int xOff = (r0 + q) * cols + k0 * MR;
                    for (int pp = 0; pp < pn; pp++) {
                        VectorKernels.kernel(xp, xOff, panels, (p0 + pp) * nr * cols + k0 * nr, kl, c, q * ldc + pp * nr,
                                ldc, k0 > 0);
                    }
                }
            }
            int rEnd = Math.min(t, r0 + rn);
            for (int i = r0; i < rEnd; i++) {
                int src = (i - r0) * ldc;
                if (bias != null) {
                    for (int j = 0; j < width; j++) {
                        c[src + j] += bias[col0 + j];
                    }
                }
                y.put(i * rows + col0, c, src, width);
            }
        }
    }

    /** Input rows [t, cols] into panels [tPad/8][cols][8], zero-padded. */
    private float[] packInput(FloatBuffer x, int t, int tPad) {
        float[][] holder = INPUT.get();
        int need = tPad * cols;
        if (holder[0] == null || holder[0].length < need) {
            holder[0] = new float[need];
        }
        float[] out = holder[0];
        // padded rows of the last panel must read as zeros
        java.util.Arrays.fill(out, t * cols - (t % MR == 0 ? 0 : (t % MR) * cols) , need, 0f);
        for (int i = 0; i < t; i++) {
            int base = (i / MR) * cols * MR + i % MR;
            int src = i * cols;
            for (int c = 0; c < cols; c++) {
                out[base + c * MR] = x.get(src + c);
            }
        }
        return out;
    }

    /** Threads for products: the engine's intra-op setting when given ({@code bench --threads}), else every core. */
    private static int threads() {
        String s = System.getProperty("ai.djl.pytorch.num_threads");
        if (s != null) {
            try {
                return Math.max(1, Integer.parseInt(s.trim()));
            } catch (NumberFormatException e) {
                // fall through to the core count
            }
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
