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
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

    @Override
    public Integer call() throws Exception {
        if (n < 1 || d < 1 || layers < 1 || t < 1) {
            throw new IllegalArgumentException("--n, --d, --layers and --t must be positive");
        }
        Files.createDirectories(out);
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

    /** Rows of uniform(-1, 1) values (optionally scaled to unit length), one generator per row. */
    static void writeMatrix(Path file, int rows, int dim, long seed, int stream, boolean normalise) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(dim * 4).order(ByteOrder.LITTLE_ENDIAN);
        float[] row = new float[dim];
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            for (int r = 0; r < rows; r++) {
                SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + r);
                double ss = 0;
                for (int i = 0; i < dim; i++) {
                    row[i] = (float) (rnd.nextDouble() * 2 - 1);
                    ss += (double) row[i] * row[i];
                }
                float norm = normalise ? (float) Math.sqrt(ss) : 1f;
                buf.clear();
                for (int i = 0; i < dim; i++) {
                    buf.putFloat(row[i] / norm);
                }
                os.write(buf.array());
            }
        }
    }
}
