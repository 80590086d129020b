package org.latentlens.index;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.latentlens.kernel.VectorKernels;
import org.latentlens.kernel.VectorSupport;

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
    /**
     * Whether the Vector API is in the module graph ({@code --add-modules jdk.incubator.vector}); without it
     * a scalar kernel computes the same scores, several times slower. {@code -Dlatentlens.vector=false} forces it.
     */
    static final boolean VECTOR = VectorSupport.AVAILABLE;
    /** Queries per register tile. */
    static final int MR = VectorSupport.MR;
    /** Rows per register tile (three vectors: 48 with AVX-512, 24 with AVX2). */
    static final int NR = VECTOR ? VectorKernels.NR : 48;
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
        return search(queries, t, dim, layers, k, threads, VECTOR);
    }

    /** As above, choosing the kernel (tests compare the two). */
    static List<List<SearchHit>> search(float[] queries, int t, int dim, List<Layer> layers, int k, int threads,
                                        boolean vector) {
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
                partial[id] = work(qp, t, tPad, dim, layers, k, units, next, blockRows, vector);
            }));
        }
        // the caller works too, so a search never waits on a pool busy with other searches
        partial[0] = work(qp, t, tPad, dim, layers, k, units, next, blockRows, vector);
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
                               AtomicInteger next, int blockRows, boolean vector) {
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
                            if (vector) {
                                VectorKernels.kernel(qp, (q0 + qq) * dim + k0 * MR, ep, epOff, kl, scores, qq * nPad + p,
                                        nPad, k0 > 0);
                            } else {
                                scalarKernel(qp, (q0 + qq) * dim + k0 * MR, ep, epOff, kl, scores, qq * nPad + p, nPad,
                                        k0 > 0, NR);
                            }
                        }
                    }
                }
                int qEnd = Math.min(t, q0 + qn);
                for (int q = q0; q < qEnd; q++) {
                    scan(scores, (q - q0) * nPad, n, heaps[q], layer.number(), start, vector);
                }
            }
        }
        return heaps;
    }

    /** Offers a query's scores for one block to its heap. */
    private static void scan(float[] scores, int off, int n, TopK heap, int layerNo, int rowBase, boolean vector) {
        int j = 0;
        if (vector) {
            // skip a whole vector of scores below the current k-th best with one comparison
            int lanes = VectorKernels.L;
            int vecEnd = n - (n % lanes);
            for (; j < vecEnd; j += lanes) {
                if (!VectorKernels.anyAtLeast(scores, off + j, heap.threshold())) {
                    continue;
                }
                for (int i = j; i < j + lanes; i++) {
                    float s = scores[off + i];
                    if (s >= heap.threshold()) {
                        heap.offer(s, layerNo, rowBase + i);
                    }
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
     * Scalar stand-in for the vector kernel when {@code jdk.incubator.vector} is not in the module graph: the
     * same tile, the same fused multiply-adds in the same order, so the scores are bit-identical, only slower.
     */
    private static void scalarKernel(float[] qp, int qOff, float[] ep, int eOff, int dim, float[] c, int cOff, int ldc,
                                     boolean accumulate, int nr) {
        float[] acc = new float[MR * nr];
        if (accumulate) {
            for (int i = 0; i < MR; i++) {
                System.arraycopy(c, cOff + i * ldc, acc, i * nr, nr);
            }
        }
        int b = eOff;
        int a = qOff;
        for (int d = 0; d < dim; d++, b += nr, a += MR) {
            for (int i = 0; i < MR; i++) {
                float x = qp[a + i];
                int o = i * nr;
                for (int j = 0; j < nr; j++) {
                    acc[o + j] = Math.fma(x, ep[b + j], acc[o + j]);
                }
            }
        }
        for (int i = 0; i < MR; i++) {
            System.arraycopy(acc, i * nr, c, cOff + i * ldc, nr);
        }
    }
}
