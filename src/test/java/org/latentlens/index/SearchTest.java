package org.latentlens.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Exact search against a brute-force reference computed in double precision. */
class SearchTest {

    static ContextualIndex randomIndex(Random rnd, int dim, int[] layers, int[] rows, int duplicates) {
        Map<Integer, float[]> vecs = new LinkedHashMap<>();
        Map<Integer, List<RowInfo>> meta = new LinkedHashMap<>();
        for (int i = 0; i < layers.length; i++) {
            int n = rows[i];
            float[] v = new float[n * dim];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) rnd.nextGaussian();
            }
            // copy some rows onto others so that exact ties occur
            for (int d = 0; d < duplicates && n > 1; d++) {
                int from = rnd.nextInt(n);
                int to = rnd.nextInt(n);
                System.arraycopy(v, from * dim, v, to * dim, dim);
            }
            List<RowInfo> m = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                m.add(new RowInfo("t" + (r % 7), r % 7, "sentence " + (r / 3), r % 3));
            }
            vecs.put(layers[i], v);
            meta.put(layers[i], m);
        }
        return ContextualIndex.of(dim, vecs, meta);
    }

    /** Brute force: every (layer, row) scored in double from the stored float rows, sorted by the hit order. */
    static List<List<double[]>> bruteForce(ContextualIndex index, float[] queries, int t, int k, int... layers) {
        int dim = index.hiddenSize();
        List<Integer> ls = layers.length == 0 ? index.layers() : java.util.Arrays.stream(layers).boxed().sorted().distinct().toList();
        List<List<double[]>> out = new ArrayList<>();
        for (int q = 0; q < t; q++) {
            float[] qv = java.util.Arrays.copyOfRange(queries, q * dim, (q + 1) * dim);
            ContextualIndex.normalize(qv, 0, dim);
            List<double[]> all = new ArrayList<>();
            for (int l : ls) {
                for (int r = 0; r < index.rows(l); r++) {
                    float[] row = index.vector(l, r);
                    double s = 0;
                    for (int d = 0; d < dim; d++) {
                        s += (double) qv[d] * row[d];
                    }
                    all.add(new double[] {s, l, r});
                }
            }
            all.sort(Comparator.<double[]>comparingDouble(a -> -a[0]).thenComparingDouble(a -> a[1]).thenComparingDouble(a -> a[2]));
            out.add(all.subList(0, Math.min(k, all.size())));
        }
        return out;
    }

    static float[] randomQueries(Random rnd, int t, int dim) {
        float[] q = new float[t * dim];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) (rnd.nextGaussian() * 3);
        }
        return q;
    }

    /**
     * Same rows in the same order, similarities within 1e-5. Two hits whose exact scores differ by less
     * than float rounding (1e-6) may legitimately swap; nothing else may.
     */
    static void assertMatches(List<List<double[]>> expected, List<List<SearchHit>> actual) {
        assertEquals(expected.size(), actual.size());
        for (int q = 0; q < expected.size(); q++) {
            List<double[]> e = expected.get(q);
            List<SearchHit> a = actual.get(q);
            assertEquals(e.size(), a.size(), "query " + q + ": number of hits");
            for (int i = 0; i < e.size(); i++) {
                double[] x = e.get(i);
                SearchHit h = a.get(i);
                assertEquals(x[0], h.similarity(), 1e-5, "query " + q + " rank " + i + " similarity");
                if (x[1] != h.layer() || x[2] != h.row()) {
                    // allowed only for a near-tie of distinct rows
                    boolean nearTie = (i > 0 && Math.abs(e.get(i - 1)[0] - x[0]) < 1e-6)
                            || (i + 1 < e.size() && Math.abs(e.get(i + 1)[0] - x[0]) < 1e-6);
                    assertTrue(nearTie, "query " + q + " rank " + i + ": expected layer " + (int) x[1] + " row " + (int) x[2]
                            + " (" + x[0] + "), got layer " + h.layer() + " row " + h.row() + " (" + h.similarity() + ")");
                }
            }
        }
    }

    @Test
    void matchesBruteForceOnManyShapes() {
        Random rnd = new Random(42);
        int[][] shapes = {
            // dim, t, k, then layer rows
            {8, 2, 5, 3},          // N < k
            {8, 3, 5, 1},          // N = 1
            {16, 1, 3, 100},
            {17, 5, 4, 50, 3, 1},  // odd dim, layers of different sizes, one below k
            {64, 9, 10, 200, 200}, // T not a multiple of the 8-query panel
            {33, 13, 7, 97, 145, 48, 49},
            {1024, 4, 5, 700},     // several row blocks, two depth slices
            {1100, 3, 4, 60, 9},   // a partial last depth slice
        };
        for (int[] s : shapes) {
            int dim = s[0];
            int t = s[1];
            int k = s[2];
            int nl = s.length - 3;
            int[] layers = new int[nl];
            int[] rows = new int[nl];
            for (int i = 0; i < nl; i++) {
                layers[i] = i * 3 + 1;
                rows[i] = s[3 + i];
            }
            ContextualIndex index = randomIndex(rnd, dim, layers, rows, 0);
            float[] q = randomQueries(rnd, t, dim);
            for (int threads : new int[] {1, 3}) {
                assertMatches(bruteForce(index, q, t, k), index.searchThreads(q, t, k, threads));
            }
            if (nl > 1) {
                assertMatches(bruteForce(index, q, t, k, layers[nl - 1], layers[0]),
                        index.searchThreads(q, t, k, 2, layers[nl - 1], layers[0]));
            }
        }
    }

    @Test
    void scalarFallbackGivesBitIdenticalScores() {
        Random rnd = new Random(21);
        ContextualIndex index = randomIndex(rnd, 700, new int[] {1, 2}, new int[] {150, 61}, 5);
        float[] q = randomQueries(rnd, 9, 700);
        List<ExactSearcher.Layer> layers = new ArrayList<>();
        for (int l : index.layers()) {
            layers.add(new ExactSearcher.Layer(l, index.vectors(l)));
        }
        float[] qn = q.clone();
        for (int t = 0; t < 9; t++) {
            ContextualIndex.normalize(qn, t * 700, 700);
        }
        List<List<SearchHit>> scalar = ExactSearcher.search(qn, 9, 700, layers, 7, 2, false);
        assertEquals(ExactSearcher.search(qn, 9, 700, layers, 7, 2, true), scalar);
        assertMatches(bruteForce(index, q, 9, 7), scalar);
    }

    @Test
    void worksWithoutTheVectorModule() throws Exception {
        Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SearchMain.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertEquals("vector=false\n" + SearchMain.hits() + "\n", out);
    }

    @Test
    void exactTiesAreOrderedByLayerThenRow() {
        Random rnd = new Random(7);
        int dim = 32;
        // identical rows in two layers and within a layer: every score ties exactly
        float[] base = new float[dim];
        for (int d = 0; d < dim; d++) {
            base[d] = (float) rnd.nextGaussian();
        }
        float[] l1 = new float[5 * dim];
        float[] l2 = new float[5 * dim];
        for (int r = 0; r < 5; r++) {
            System.arraycopy(base, 0, l1, r * dim, dim);
            System.arraycopy(base, 0, l2, r * dim, dim);
        }
        List<RowInfo> meta = new ArrayList<>();
        for (int r = 0; r < 5; r++) {
            meta.add(new RowInfo("x", r, "c", r));
        }
        ContextualIndex index = ContextualIndex.of(dim, Map.of(4, l2, 2, l1), Map.of(4, meta, 2, meta));
        List<SearchHit> hits = index.searchThreads(base, 1, 7, 2).get(0);
        assertEquals(7, hits.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(2, hits.get(i).layer());
            assertEquals(i, hits.get(i).row());
        }
        assertEquals(4, hits.get(5).layer());
        assertEquals(0, hits.get(5).row());
        assertEquals(1, hits.get(6).row());
        assertEquals(1.0f, hits.get(0).similarity(), 1e-6);
        // duplicated random rows in a larger bank: ties resolved the same way as the reference
        ContextualIndex dup = randomIndex(rnd, 24, new int[] {1, 2}, new int[] {300, 300}, 150);
        float[] q = randomQueries(rnd, 6, 24);
        assertMatches(bruteForce(dup, q, 6, 20), dup.searchThreads(q, 6, 20, 2));
    }

    @Test
    void neighboursCarryMetadataAndQueriesAreNormalised() {
        Random rnd = new Random(3);
        ContextualIndex index = randomIndex(rnd, 16, new int[] {1, 8}, new int[] {40, 40}, 0);
        float[] v = index.vector(8, 11);
        float[] scaled = new float[16];
        for (int d = 0; d < 16; d++) {
            scaled[d] = v[d] * 37f;
        }
        List<Neighbor> n = index.search(scaled, 3).get(0);
        assertEquals(3, n.size());
        Neighbor top = n.get(0);
        assertEquals(1.0f, top.similarity(), 1e-5);
        assertEquals(8, top.contextualLayer());
        assertEquals("t" + (11 % 7), top.tokenStr());
        assertEquals(11 % 7, top.tokenId());
        assertEquals("sentence 3", top.caption());
        assertEquals(11 % 3, top.position());
        for (int i = 1; i < n.size(); i++) {
            assertTrue(n.get(i - 1).similarity() >= n.get(i).similarity());
        }
        assertEquals(List.of(1, 8), index.layers());
        assertEquals(80, index.size());
        assertTrue(index.toString().contains("total_embeddings=80"), index.toString());
    }

    @Test
    void errorsNameTheProblem() {
        ContextualIndex index = randomIndex(new Random(1), 8, new int[] {1, 2}, new int[] {4, 4}, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> index.search(new float[8], 3, 5));
        assertTrue(e.getMessage().contains("layer 5") && e.getMessage().contains("[1, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> index.search(new float[7], 3));
        assertTrue(e.getMessage().contains("dimension 7") && e.getMessage().contains("hidden size 8"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> index.search(new float[][] {new float[8], new float[9]}, 3));
        assertTrue(e.getMessage().contains("query 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> index.search(new float[8], 0));
        assertTrue(e.getMessage().contains("topK"), e.getMessage());
        float[] nan = new float[8];
        nan[2] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> index.search(nan, 1));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
    }

    @Test
    void concurrentSearchesAgree() throws Exception {
        Random rnd = new Random(11);
        ContextualIndex index = randomIndex(rnd, 96, new int[] {1, 2, 3}, new int[] {900, 500, 700}, 0);
        List<float[]> qs = new ArrayList<>();
        List<List<List<SearchHit>>> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            float[] q = randomQueries(rnd, 5 + i, 96);
            qs.add(q);
            expected.add(index.searchThreads(q, 5 + i, 6, 1));
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<List<List<SearchHit>>>> fs = new ArrayList<>();
            for (int rep = 0; rep < 3; rep++) {
                for (int i = 0; i < qs.size(); i++) {
                    final int ii = i;
                    fs.add(pool.submit(() -> index.searchHits(qs.get(ii), 5 + ii, 6)));
                }
            }
            for (int j = 0; j < fs.size(); j++) {
                assertEquals(expected.get(j % qs.size()), fs.get(j).get(), "search " + j);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
