package org.latentlens.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.latentlens.corpus.Corpus;
import org.latentlens.index.BuildOptions;
import org.latentlens.index.ContextualIndex;
import org.latentlens.index.IndexBuilder;
import org.latentlens.model.LoadOptions;
import org.latentlens.model.Model;
import org.latentlens.model.ModelLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latentlens bench build}: builds an index over a corpus and prints sentences/s, real tokens/s, rows per
 * layer, the total time and the peak RSS (run it at two corpus sizes to see that memory stays flat).
 */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = "Index build throughput and memory over a corpus.")
public final class BenchBuildCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "model folder")
    Path model;

    @Option(names = "--corpus", required = true, description = "corpus (.txt or .csv)")
    Path corpus;

    @Option(names = "--layers", split = ",", description = "hidden-state indices to store (default: autoLayers)")
    int[] layers;

    @Option(names = "--limit", defaultValue = "0", description = "use the first N sentences (0 = all)")
    int limit;

    @Option(names = "--batch", defaultValue = "32", description = "sentences per batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--threads", defaultValue = "2", description = "intra-op threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--out", description = "index directory (default: a temporary directory, deleted afterwards)")
    Path out;

    @Override
    public Integer call() throws IOException {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Corpus c = Corpus.load(corpus);
        List<String> sentences = limit > 0 && limit < c.size() ? c.sentences().subList(0, limit) : c.sentences();
        Path dir = out != null ? out : Files.createTempDirectory("latentlens-bench-build");
        long t0 = System.nanoTime();
        try (Model m = ModelLoader.load(model, LoadOptions.defaults())) {
            double loadS = (System.nanoTime() - t0) / 1e9;
            long tokens = 0;
            for (String s : sentences) {
                tokens += m.tokenizer().encode(s).length();
            }
            BuildOptions.Builder ob = BuildOptions.builder().optBatchSize(batch);
            if (layers != null) {
                ob.optLayers(layers);
            }
            long start = System.nanoTime();
            ContextualIndex index = IndexBuilder.build(m, sentences, corpus.getFileName().toString(), ob.build(), dir);
            double s = (System.nanoTime() - start) / 1e9;
            System.out.printf("model            %s (%s, %d layers, hidden %d)%n", model, m.modelType(), m.numLayers(),
                    m.hiddenSize());
            System.out.printf("load time        %.2f s%n", loadS);
            System.out.printf("corpus           %s: %d sentences, %d tokens (special tokens included)%n", corpus,
                    sentences.size(), tokens);
            System.out.printf("layers           %s%n", index.layers());
            StringBuilder rows = new StringBuilder();
            for (int l : index.layers()) {
                rows.append(rows.length() == 0 ? "" : ", ").append(l).append(": ").append(index.rows(l));
            }
            System.out.printf("rows per layer   %s%n", rows);
            System.out.printf("build time       %.1f s (batch %d, %d threads)%n", s, batch, threads);
            System.out.printf("throughput       %.1f sentences/s, %.1f real tokens/s%n", sentences.size() / s, tokens / s);
            System.out.printf("index size       %s on disk%n", ProcessStats.human(size(dir)));
            System.out.printf("peak RSS         %s%n", ProcessStats.human(ProcessStats.peakRssBytes()));
            index.close();
        } finally {
            if (out == null) {
                try (Stream<Path> w = Files.walk(dir)) {
                    w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        return 0;
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> w = Files.walk(dir)) {
            return w.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
