package org.latentlens.index;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Exact inner-product top-k over several layers of stored rows, blockwise and multi-threaded.
 *
 * <p>How it is fast: rows are taken in blocks of a few hundred; each block is copied (as float32,
 * whatever the storage) into panels of 48 rows laid out dimension-major, and the queries once per search
 * into panels of 8 queries, also dimension-major. A register-blocked kernel then computes an 8 x 48 tile
 * of scores with 24 vector accumulators: per dimension it loads three 16-float row vectors and
 * broadcasts eight query values, 24 fused multiply-adds per 11 loads, which keeps both FMA units busy.
 * Only one [queries x block] tile of scores exists at a time per thread (never a full [T, N] matrix);
 * each tile is scanned against the per-query k-th best similarity so far.
 *
 * <p>Determinism: each score is accumulated in dimension order by one vector lane (the depth slices are
 * added in order too), so it does not depend on the block size, the thread count or the order in which
 * blocks are done; ties are broken by layer,
 * then row ({@link SearchHit#compare}).
 */
final class ExactSearcher {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector: 16 with AVX-512, 8 with AVX2. */
    private static final int L = S.length();
    /** Queries per register tile. */
    static final int MR = 8;
    /** Rows per register tile (three vectors: 48 with AVX-512). */
    static final int NR = 3 * L;
    /** Bytes of rows per block: about 2 MiB, so a block and its panels stay in a core's L2/L3 share. */
    private static final int BLOCK_BYTES = 2 << 20;
    /**
     * Bytes of packed queries per chunk: a chunk's query panels stay in L2 while every row panel of the
     * block passes them (with all 576 queries of a 1024-wide bank at once, the kernel ran ~25% slower).
     */
    private static final int QUERY_CHUNK_BYTES = 384 << 10;
    /** Depth (dimensions) per pass over a block: a 48-row panel slice is then 96 KiB. */
    private static final int KC = 512;

    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static final ExecutorService POOL = Executors.newFixedThreadPool(Math.max(1, THREADS - 1), r -> {
        Thread t = new Thread(r, "latentlens-search");
        t.setDaemon(true);
        return t;
    });

    private ExactSearcher() {
    }

    /** One layer to search: its number and its rows. */
    record Layer(int number, VectorStore store) {
    }

    /**
     * Searches.
     *
     * @param queries row-major [t, dim], already normalised
     * @param t number of queries
     * @param dim D
     * @param layers the layers to search
     * @param k results per query
     * @param threads worker threads (1 = the calling thread only)
     * @return per query the best k hits over all layers, best first
     */
    static List<List<SearchHit>> search(float[] queries, int t, int dim, List<Layer> layers, int k, int threads) {
        int tPad = (t + MR - 1) / MR * MR;
        float[] qp = packQueries(queries, t, tPad, dim);
        int blockRows = Math.max(NR, (BLOCK_BYTES / (dim * 4)) / NR * NR);
        List<int[]> units = new ArrayList<>();
        for (int li = 0; li < layers.size(); li++) {
            int n = layers.get(li).store().rows();
            for (int start = 0; start < n; start += blockRows) {
                units.add(new int[] {li, start, Math.min(blockRows, n - start)});
            }
        }
        int workers = Math.max(1, Math.min(threads, units.size()));
        AtomicInteger next = new AtomicInteger();
        TopK[][] partial = new TopK[workers][];
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 1; w < workers; w++) {
            final int id = w;
            futures.add(POOL.submit(() -> {
                partial[id] = work(qp, t, tPad, dim, layers, k, units, next, blockRows);
            }));
        }
        // the caller works too, so a search never waits on a pool busy with other searches
        partial[0] = work(qp, t, tPad, dim, layers, k, units, next, blockRows);
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("search interrupted", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) {
                    throw re;
                }
                if (c instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException("search failed: " + c, c);
            }
        }
        List<List<SearchHit>> out = new ArrayList<>(t);
        for (int q = 0; q < t; q++) {
            TopK all = new TopK(k);
            for (TopK[] p : partial) {
                if (p != null) {
                    all.addAll(p[q]);
                }
            }
            out.add(all.sorted());
        }
        return out;
    }

    private static TopK[] work(float[] qp, int t, int tPad, int dim, List<Layer> layers, int k, List<int[]> units,
                               AtomicInteger next, int blockRows) {
        TopK[] heaps = new TopK[t];
        for (int q = 0; q < t; q++) {
            heaps[q] = new TopK(k);
        }
        float[] rowBuf = new float[blockRows * dim];
        float[] ep = new float[blockRows * dim];
        int chunk = Math.min(tPad, Math.max(MR, QUERY_CHUNK_BYTES / (Math.min(dim, KC) * 4) / MR * MR));
        float[] scores = new float[chunk * blockRows];
        int u;
        while ((u = next.getAndIncrement()) < units.size()) {
            int[] unit = units.get(u);
            Layer layer = layers.get(unit[0]);
            int start = unit[1];
            int n = unit[2];
            int nPad = (n + NR - 1) / NR * NR;
            layer.store().read(start, n, rowBuf, 0);
            packRows(rowBuf, n, nPad, dim, ep);
            for (int q0 = 0; q0 < tPad; q0 += chunk) {
                int qn = Math.min(chunk, tPad - q0);
                // depth blocking: a KC-deep slice of a row panel and of the chunk's query panels stay in L2
                for (int k0 = 0; k0 < dim; k0 += KC) {
                    int kl = Math.min(KC, dim - k0);
                    for (int p = 0; p < nPad; p += NR) {
                        int epOff = p * dim + k0 * NR;
                        for (int qq = 0; qq < qn; qq += MR) {
                            kernel(qp, (q0 + qq) * dim + k0 * MR, ep, epOff, kl, scores, qq * nPad + p, nPad, k0 > 0);
                        }
                    }
                }
                int qEnd = Math.min(t, q0 + qn);
                for (int q = q0; q < qEnd; q++) {
                    scan(scores, (q - q0) * nPad, n, heaps[q], layer.number(), start);
                }
            }
        }
        return heaps;
    }

    /** Offers a query's scores for one block to its heap, skipping a vector at a time below the threshold. */
    private static void scan(float[] scores, int off, int n, TopK heap, int layerNo, int rowBase) {
        int j = 0;
        int vecEnd = n - (n % L);
        for (; j < vecEnd; j += L) {
            float thr = heap.threshold();
            FloatVector v = FloatVector.fromArray(S, scores, off + j);
            if (!v.compare(VectorOperators.GE, thr).anyTrue()) {
                continue;
            }
            for (int i = j; i < j + L; i++) {
                float s = scores[off + i];
                if (s >= heap.threshold()) {
                    heap.offer(s, layerNo, rowBase + i);
                }
            }
        }
        for (; j < n; j++) {
            float s = scores[off + j];
            if (s >= heap.threshold()) {
                heap.offer(s, layerNo, rowBase + j);
            }
        }
    }

    /** Queries [t, dim] into panels [tPad/8][dim][8], zero-padded. */
    private static float[] packQueries(float[] q, int t, int tPad, int dim) {
        float[] out = new float[tPad * dim];
        for (int i = 0; i < t; i++) {
            int panel = i / MR;
            int lane = i % MR;
            int base = panel * dim * MR + lane;
            int src = i * dim;
            for (int d = 0; d < dim; d++) {
                out[base + d * MR] = q[src + d];
            }
        }
        return out;
    }

    /** Rows [n, dim] into panels [nPad/48][dim][48], zero-padded. */
    private static void packRows(float[] rows, int n, int nPad, int dim, float[] out) {
        for (int p = 0; p < nPad; p += NR) {
            int base = p * dim;
            int lanes = Math.min(NR, n - p);
            for (int lane = 0; lane < lanes; lane++) {
                int src = (p + lane) * dim;
                int dst = base + lane;
                for (int d = 0; d < dim; d++) {
                    out[dst + d * NR] = rows[src + d];
                }
            }
            if (lanes < NR) {
                for (int d = 0; d < dim; d++) {
                    for (int lane = lanes; lane < NR; lane++) {
                        out[base + d * NR + lane] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Scores of an 8-query panel against a 48-row panel over {@code dim} dimensions, written to
     * {@code c[cOff + i * ldc + j]} (added to what is there when {@code accumulate}).
     * The loop body is written out by hand: the JIT keeps the 24 accumulators in registers only when
     * they are plain locals.
     */
    private static void kernel(float[] qp, int qOff, float[] ep, int eOff, int dim, float[] c, int cOff, int ldc,
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
