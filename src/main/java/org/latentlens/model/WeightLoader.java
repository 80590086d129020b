package org.latentlens.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.latentlens.io.TensorFormatException;
import org.latentlens.io.TensorInfo;
import org.latentlens.io.WeightSource;

/**
 * Loads the weights of the shared blocks for one blueprint: shape-checked float32 tensors, fused q|k|v
 * and gate|up projections, norms. Shared by the text runtime ({@link TransformerModel}) and every other
 * stack of blocks ({@link BlockStack}: vision towers), so both read weights the same way.
 */
final class WeightLoader {
    /** Threads that load blocks at once: page faults scale over a few cores, not over many. */
    static final int LOAD_THREADS = Math.min(4, Math.max(1, Runtime.getRuntime().availableProcessors()));

    private final Blueprint bp;
    private final WeightSource weights;
    private final NDManager manager;
    private final WeightResolver resolver;

    WeightLoader(Blueprint bp, WeightSource weights, NDManager manager) {
        this.bp = bp;
        this.weights = weights;
        this.manager = manager;
        this.resolver = new WeightResolver(weights);
    }

    WeightResolver resolver() {
        return resolver;
    }

    TransformerBlock loadBlock(int i) {
        WeightResolver r = resolver;
        WeightNames n = bp.names();
        int d = bp.hiddenSize();
        int qDim = bp.numHeads() * bp.headDim();
        int kvDim = bp.numKvHeads() * bp.headDim();
        int inter = bp.intermediateSize();
        Projection qkv;
        if (n.qkv() != null) {
            String base = WeightNames.at(n.qkv(), i);
            qkv = linear(d, names(r, ".weight", base), new long[] {qDim + 2 * kvDim},
                    bp.qkvBias() ? names(r, ".bias", base) : null);
        } else {
            String q = WeightNames.at(n.q(), i);
            String k = WeightNames.at(n.k(), i);
            String v = WeightNames.at(n.v(), i);
            qkv = linear(d, names(r, ".weight", q, k, v), new long[] {qDim, kvDim, kvDim},
                    bp.qkvBias() ? names(r, ".bias", q, k, v) : null);
        }
        String o = WeightNames.at(n.o(), i);
        Projection out = linear(qDim, names(r, ".weight", o), new long[] {d}, bp.outBias() ? names(r, ".bias", o) : null);
        Projection up;
        if (!bp.gatedMlp()) {
            String u = WeightNames.at(n.up(), i);
            up = linear(d, names(r, ".weight", u), new long[] {inter}, bp.mlpBias() ? names(r, ".bias", u) : null);
        } else if (n.gateUp() != null) {
            String gu = WeightNames.at(n.gateUp(), i);
            up = linear(d, names(r, ".weight", gu), new long[] {2L * inter}, bp.mlpBias() ? names(r, ".bias", gu) : null);
        } else {
            String g = WeightNames.at(n.gate(), i);
            String u = WeightNames.at(n.up(), i);
            up = linear(d, names(r, ".weight", g, u), new long[] {inter, inter}, bp.mlpBias() ? names(r, ".bias", g, u) : null);
        }
        String dn = WeightNames.at(n.down(), i);
        Projection down = linear(inter, names(r, ".weight", dn), new long[] {d}, bp.mlpBias() ? names(r, ".bias", dn) : null);
        Norm qn = null;
        Norm kn = null;
        if (bp.qkNorm() == Blueprint.QkNorm.PER_HEAD) {
            qn = norm(WeightNames.at(n.qNorm(), i), bp.headDim());
            kn = norm(WeightNames.at(n.kNorm(), i), bp.headDim());
        } else if (bp.qkNorm() == Blueprint.QkNorm.WHOLE) {
            qn = norm(WeightNames.at(n.qNorm(), i), qDim);
            kn = norm(WeightNames.at(n.kNorm(), i), kvDim);
        }
        return new TransformerBlock(bp, i, qkv, out, up, down,
                optNorm(n.attnInNorm(), i, d), optNorm(n.attnOutNorm(), i, d),
                optNorm(n.mlpInNorm(), i, d), optNorm(n.mlpOutNorm(), i, d), qn, kn);
    }

    /**
     * Loads every block, a few at a time on worker threads: loading is bound by first-touch page faults,
     * which several cores take faster than one (the 2.2B-parameter benchmark model on 2 cores: 17 to 28 s, median
     * 22 s, instead of 26 s).
     *
     * @return the blocks, in layer order
     * @throws RuntimeException the first block's failure (naming its tensor), after the other loads stopped
     */
    List<TransformerBlock> loadBlocks() {
        int n = bp.numLayers();
        int threads = Math.min(n, LOAD_THREADS);
        if (threads <= 1) {
            List<TransformerBlock> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(loadBlock(i));
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "latentlens-load");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<TransformerBlock>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int layer = i;
                futures.add(pool.submit(() -> loadBlock(layer)));
            }
            List<TransformerBlock> out = new ArrayList<>(n);
            for (Future<TransformerBlock> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    // no interrupts: an interrupted read would close the checkpoint's FileChannel for everyone
                    futures.forEach(x -> x.cancel(false));
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    futures.forEach(x -> x.cancel(false));
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while loading " + bp.modelType() + " weights", e);
                }
            }
            return out;
        } finally {
            pool.shutdown();
            try {
                // no block may still be writing into the manager when the caller closes it after a failure
                pool.awaitTermination(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String[] names(WeightResolver r, String suffix, String... prefixes) {
        String[] out = new String[prefixes.length];
        for (int i = 0; i < prefixes.length; i++) {
            out[i] = r.require(prefixes[i] + suffix);
        }
        return out;
    }

    /**
     * One linear layer from one or more stored projections stacked on their output rows (q|k|v, gate|up).
     *
     * @param in input features
     * @param weights resolved weight names, each [rows[i], in] (GPT-2's Conv1D: [in, rows[i]])
     * @param rows output rows of each
     * @param biases resolved bias names, or null
     */
    Projection linear(long in, String[] weights, long[] rows, String[] biases) {
        long total = Arrays.stream(rows).sum();
        if (bp.conv1dWeights() || total > Integer.MAX_VALUE
                || !Projection.packedFor(manager.getDevice(), (int) total, Math.toIntExact(in))) {
            NDArray w = weights.length == 1 ? projection(weights[0], rows[0], in) : stackedProjections(in, weights, rows);
            NDArray b = biases == null ? null
                    : biases.length == 1 ? vector(biases[0], rows[0]) : stackedVectors(biases, rows);
            return Projection.engine(w, b);
        }
        for (int i = 0; i < weights.length; i++) {
            checkShape(weights[i], rows[i], in);
            if (biases != null) {
                checkShape(biases[i], rows[i]);
            }
        }
        float[] b = biases == null ? null : TensorStaging.floats(this.weights, biases);
        return Projection.packed(TensorStaging.loadPacked(this.weights, Math.toIntExact(in), weights), b);
    }

    Norm optNorm(String template, int layer, int dim) {
        return template == null ? null : norm(WeightNames.at(template, layer), dim);
    }

    Norm norm(String prefix, int dim) {
        if (bp.norm() == NormKind.LAYER_NORM_NO_PARAMS) {
            return new Norm(bp.norm(), null, null, bp.normEps(), dim, manager);
        }
        NDArray w = vector(resolver.require(prefix + ".weight"), dim);
        NDArray b = null;
        if (bp.norm() == NormKind.LAYER_NORM) {
            String bn = resolver.find(prefix + ".bias");
            b = bn == null ? null : vector(bn, dim);
        }
        return new Norm(bp.norm(), w, b, bp.normEps(), dim, manager);
    }

    void checkShape(String name, long... expected) {
        TensorInfo info = weights.info(name);
        if (!Arrays.equals(info.shape(), expected)) {
            throw new TensorFormatException("tensor '" + name + "' in " + info.source() + " has shape "
                    + Arrays.toString(info.shape()) + " but the config (" + bp.modelType() + ", hidden "
                    + bp.hiddenSize() + ", vocab " + bp.vocabSize() + ") needs " + Arrays.toString(expected));
        }
    }

    NDArray vector(String name, long len) {
        checkShape(name, len);
        return TensorStaging.load(manager, weights, new long[] {len}, name);
    }

    NDArray matrix(String name, long rows, long cols) {
        checkShape(name, rows, cols);
        return TensorStaging.load(manager, weights, new long[] {rows, cols}, name);
    }

    /**
     * Separate projections fused into one [sum(rows), in] weight, written in place rather than concatenated
     * (a concatenation would touch the fused weights a second time).
     */
    NDArray stackedProjections(long in, String[] names, long... rows) {
        if (bp.conv1dWeights()) {
            // GPT-2 style [in, out] kernels ship fused already; separate ones are transposed and joined
            NDArray[] parts = new NDArray[names.length];
            for (int i = 0; i < names.length; i++) {
                parts[i] = projection(names[i], rows[i], in);
            }
            return fuse(parts);
        }
        long total = 0;
        for (int i = 0; i < names.length; i++) {
            checkShape(names[i], rows[i], in);
            total += rows[i];
        }
        return TensorStaging.load(manager, weights, new long[] {total, in}, names);
    }

    /** Bias vectors joined like {@link #stackedProjections}. */
    NDArray stackedVectors(String[] names, long... lengths) {
        long total = 0;
        for (int i = 0; i < names.length; i++) {
            checkShape(names[i], lengths[i]);
            total += lengths[i];
        }
        return TensorStaging.load(manager, weights, new long[] {total}, names);
    }

    /** A projection weight in nn.Linear layout [out, in], transposing GPT-2's Conv1D [in, out] (a view). */
    NDArray projection(String name, long out, long in) {
        if (bp.conv1dWeights()) {
            return matrix(name, in, out).transpose();
        }
        return matrix(name, out, in);
    }

    NDArray fuse(NDArray... parts) {
        NDArray f = NDArrays.concat(new NDList(parts), 0);
        for (NDArray p : parts) {
            p.close();
        }
        return f;
    }
}
