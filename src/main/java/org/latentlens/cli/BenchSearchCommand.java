package org.latentlens.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.latentlens.index.ContextualIndex;
import org.latentlens.index.MappedVectorStore;
import org.latentlens.index.SearchHit;
import org.latentlens.index.StorageType;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latentlens bench search}: times the exact search on a neutral bank ({@code bank.json},
 * {@code layer_<L>.f32}, {@code queries.f32}) or on an index with a queries file, and prints load time,
 * median search seconds, queries/s, effective GFLOP/s (2 T N D layers / time) and peak RSS.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Time exact top-k search over a bank (bank.json + layer_<L>.f32 + queries.f32) or an index.")
public final class BenchSearchCommand implements Callable<Integer> {

    static final class Source {
        @Option(names = "--bank", description = "bank directory: bank.json {layers, N, D}, layer_<L>.f32 [N,D], queries.f32 [T,D]")
        Path bank;

        @Option(names = "--index", description = "a LatentLens index directory (needs --queries)")
        Path index;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--queries", description = "raw little-endian float32 [T, D] queries (default: the bank's queries.f32)")
    Path queries;

    @Option(names = "--top-k", defaultValue = "5", description = "neighbours per query (default ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--runs", defaultValue = "5", description = "timed runs after one warm-up run (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--json", description = "write the merged top-k of every query: {\"layer\": [[k]*T], \"row\": ..., \"sim\": ...}")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1, got " + runs);
        }
        long t0 = System.nanoTime();
        ContextualIndex index;
        Path queryFile = queries;
        if (source.bank != null) {
            index = openBank(source.bank);
            if (queryFile == null) {
                queryFile = source.bank.resolve("queries.f32");
            }
        } else {
            if (queryFile == null) {
                throw new IllegalArgumentException("--index needs --queries FILE (raw float32 [T, D])");
            }
            index = ContextualIndex.open(source.index);
        }
        int d = index.hiddenSize();
        float[] q = readFloats(queryFile, d);
        int t = q.length / d;
        double loadSeconds = (System.nanoTime() - t0) / 1e9;

        List<List<SearchHit>> result = index.searchHits(q, t, topK); // warm-up: JIT and page cache
        double[] secs = new double[runs];
        long cpu0 = processCpuNanos();
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            result = index.searchHits(q, t, topK);
            secs[i] = (System.nanoTime() - s) / 1e9;
        }
        double cpuPerRun = (processCpuNanos() - cpu0) / 1e9 / runs;
        double[] sorted = secs.clone();
        Arrays.sort(sorted);
        double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
        long rows = 0;
        for (int l : index.layers()) {
            rows += index.rows(l);
        }
        double flops = 2.0 * t * rows * d;
        System.out.printf(Locale.ROOT, "bank: %d layers, %,d rows, D=%d, %s; %d queries, top-%d%n", index.layers().size(),
                rows, d, index.storageType(index.layers().get(0)).label(), t, topK);
        System.out.printf(Locale.ROOT, "load time:        %.3f s%n", loadSeconds);
        System.out.printf(Locale.ROOT, "search (median of %d runs, after 1 warm-up): %.3f s  (runs: %s)%n", runs, median,
                Arrays.toString(Arrays.stream(secs).map(x -> Math.round(x * 1000) / 1000.0).toArray()));
        System.out.printf(Locale.ROOT, "queries/s:        %.1f%n", t / median);
        System.out.printf(Locale.ROOT, "effective GFLOP/s: %.1f  (2*T*N*D*layers / time)%n", flops / median / 1e9);
        int threads = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "threads:          %d%n", threads);
        if (cpuPerRun > 0) {
            // on a shared machine wall time depends on other processes; CPU time shows what the cores did
            System.out.printf(Locale.ROOT, "CPU time per run: %.3f s; GFLOP per CPU-second x %d cores: %.1f%n", cpuPerRun,
                    threads, flops / cpuPerRun / 1e9 * threads);
        }
        System.out.printf(Locale.ROOT, "peak RSS:         %s%n", ProcessStats.human(ProcessStats.peakRssBytes()));
        if (json != null) {
            writeJson(json, result);
            System.out.println("wrote " + json);
        }
        return 0;
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /** Maps a bank's layer files (no copy) as an index without metadata. */
    static ContextualIndex openBank(Path dir) throws IOException {
        Path manifest = dir.resolve("bank.json");
        if (!Files.isRegularFile(manifest)) {
            throw new IllegalArgumentException("no bank.json in " + dir + ": make a bank with 'latentlens bench make-bank'");
        }
        JsonNode b = new ObjectMapper().readTree(manifest.toFile());
        for (String f : List.of("layers", "N", "D")) {
            if (!b.has(f)) {
                throw new IllegalArgumentException(dir.resolve("bank.json") + ": field \"" + f + "\" is missing");
            }
        }
        int n = b.get("N").asInt();
        int d = b.get("D").asInt();
        Map<Integer, MappedVectorStore> stores = new LinkedHashMap<>();
        for (JsonNode l : b.get("layers")) {
            Path f = dir.resolve("layer_" + l.asInt() + ".f32");
            long expected = (long) n * d * 4;
            if (!Files.isRegularFile(f) || Files.size(f) != expected) {
                throw new IllegalArgumentException(f + ": expected " + expected + " bytes (N=" + n + " x D=" + d
                        + " float32), found " + (Files.isRegularFile(f) ? Files.size(f) + " bytes" : "no file"));
            }
            stores.put(l.asInt(), new MappedVectorStore(f, 0, n, d, StorageType.FLOAT32));
        }
        return ContextualIndex.ofStores(stores);
    }

    static float[] readFloats(Path f, int d) throws IOException {
        long size = Files.size(f);
        if (size % (4L * d) != 0 || size == 0) {
            throw new IllegalArgumentException(f + ": " + size + " bytes are not float32 rows of width D=" + d);
        }
        if (size / 4 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(f + ": too many queries for one search");
        }
        float[] out = new float[(int) (size / 4)];
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        }
        return out;
    }

    static void writeJson(Path file, List<List<SearchHit>> result) throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        ArrayNode layer = root.putArray("layer");
        ArrayNode row = root.putArray("row");
        ArrayNode sim = root.putArray("sim");
        for (List<SearchHit> hits : result) {
            ArrayNode l = layer.addArray();
            ArrayNode r = row.addArray();
            ArrayNode s = sim.addArray();
            for (SearchHit h : hits) {
                l.add(h.layer());
                r.add(h.row());
                s.add(h.similarity());
            }
        }
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        m.writeValue(file.toFile(), root);
    }
}
