package org.latentlens.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.latentlens.index.ContextualIndex;
import org.latentlens.index.StorageType;
import org.latentlens.index.VectorStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latentlens bench make-bank}: writes a reproducible random search benchmark bank. Row r of layer
 * L depends only on (seed, L, r), so the bank is the same whatever the thread count.
 */
@Command(name = "make-bank", mixinStandardHelpOptions = true,
        description = "Write a random benchmark bank: bank.json, layer_<L>.f32 (unit rows), queries.f32 (not normalised).")
public final class BenchMakeBankCommand implements Callable<Integer> {
    @Option(names = "--n", defaultValue = "200000", description = "rows per layer (default ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--d", defaultValue = "1024", description = "row width (default ${DEFAULT-VALUE})")
    int d;

    @Option(names = "--layers", defaultValue = "4", description = "number of layers, numbered 1..L (default ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--t", defaultValue = "576", description = "number of queries (default ${DEFAULT-VALUE})")
    int t;

    @Option(names = "--seed", defaultValue = "0", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, description = "output directory")
    Path out;

    @Option(names = "--index-dtype", description = "instead of raw .f32 layer files, write a LatentLens index with this "
            + "row storage (float16 or float32) plus queries.f32; for memory tests on banks too large for float32")
    String indexDtype;

    @Override
    public Integer call() throws Exception {
        if (n < 1 || d < 1 || layers < 1 || t < 1) {
            throw new IllegalArgumentException("--n, --d, --layers and --t must be positive");
        }
        Files.createDirectories(out);
        if (indexDtype != null) {
            Map<Integer, VectorStore> stores = new LinkedHashMap<>();
            for (int l = 1; l <= layers; l++) {
                stores.put(l, new GeneratedRows(n, d, seed, l));
            }
            ContextualIndex.ofStores(stores).save(out, StorageType.parse(indexDtype));
            writeMatrix(out.resolve("queries.f32"), t, d, seed, 0, false);
            System.out.printf(Locale.ROOT, "wrote index %s: %d layers x %,d rows x %d (%s), queries.f32 with %d queries (seed %d)%n",
                    out, layers, n, d, indexDtype, t, seed);
            return 0;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int l = 1; l <= layers; l++) {
                final int layer = l;
                fs.add(pool.submit(() -> {
                    writeMatrix(out.resolve("layer_" + layer + ".f32"), n, d, seed, layer, true);
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        writeMatrix(out.resolve("queries.f32"), t, d, seed, 0, false);
        ObjectMapper m = new ObjectMapper();
        ObjectNode b = m.createObjectNode();
        var ls = b.putArray("layers");
        for (int l = 1; l <= layers; l++) {
            ls.add(l);
        }
        b.put("N", n);
        b.put("D", d);
        b.put("T", t);
        b.put("seed", seed);
        m.writerWithDefaultPrettyPrinter().writeValue(out.resolve("bank.json").toFile(), b);
        System.out.printf(Locale.ROOT, "wrote %s: %d layers x %,d rows x %d, %d queries (seed %d)%n", out, layers, n, d, t, seed);
        return 0;
    }

    /** The same rows as {@link #writeMatrix}, made on demand, so a bank larger than memory can be written. */
    static final class GeneratedRows implements VectorStore {
        private final int rows;
        private final int dim;
        private final long seed;
        private final int stream;

        GeneratedRows(int rows, int dim, long seed, int stream) {
            this.rows = rows;
            this.dim = dim;
            this.seed = seed;
            this.stream = stream;
        }

        @Override
        public int rows() {
            return rows;
        }

        @Override
        public int dim() {
            return dim;
        }

        @Override
        public StorageType storageType() {
            return StorageType.FLOAT32;
        }

        @Override
        public void read(int first, int count, float[] dst, int dstOffset) {
            for (int r = 0; r < count; r++) {
                BenchMakeBankCommand.row(seed, stream, first + r, dim, dst, dstOffset + r * dim, true);
            }
        }
    }

    /** Row r of stream s: uniform(-1, 1) values from a generator seeded by (seed, s, r), optionally unit length. */
    static void row(long seed, int stream, int r, int dim, float[] out, int off, boolean normalise) {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + r);
        double ss = 0;
        for (int i = 0; i < dim; i++) {
            float x = (float) (rnd.nextDouble() * 2 - 1);
            out[off + i] = x;
            ss += (double) x * x;
        }
        if (normalise) {
            float norm = (float) Math.sqrt(ss);
            for (int i = 0; i < dim; i++) {
                out[off + i] = out[off + i] / norm;
            }
        }
    }

    /** Rows of uniform(-1, 1) values (optionally scaled to unit length), one generator per row. */
    static void writeMatrix(Path file, int rows, int dim, long seed, int stream, boolean normalise) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(dim * 4).order(ByteOrder.LITTLE_ENDIAN);
        float[] row = new float[dim];
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            for (int r = 0; r < rows; r++) {
                row(seed, stream, r, dim, row, 0, normalise);
                buf.clear();
                for (int i = 0; i < dim; i++) {
                    buf.putFloat(row[i]);
                }
                os.write(buf.array());
            }
        }
    }
}
