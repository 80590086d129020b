package org.latentlens.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.latentlens.model.ForwardOptions;
import org.latentlens.model.LoadOptions;
import org.latentlens.model.Model;
import org.latentlens.model.ModelLoader;
import org.latentlens.model.TokenBatch;
import org.latentlens.tokenizer.TextTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latentlens bench forward}: forward throughput over a corpus, in corpus order and fixed-size
 * batches as a HuggingFace loop would run it, counting only real (unpadded) tokens.
 */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = "Forward throughput (real tokens/s) of a model over a corpus, all hidden states kept.")
public final class BenchForwardCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "model folder")
    Path model;

    @Option(names = "--corpus", required = true, description = "text file, one sentence per line")
    Path corpus;

    @Option(names = "--batch", defaultValue = "32", description = "sentences per batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--limit", defaultValue = "2000", description = "sentences to run (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--lm-head", description = "also compute logits")
    boolean lmHead;

    @Option(names = "--threads", defaultValue = "2", description = "intra-op threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--warmup", defaultValue = "1", description = "warm-up batches, not timed (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or auto (default: ${DEFAULT-VALUE})")
    String device;

    @Override
    public Integer call() throws Exception {
        // must be set before the engine starts
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        List<String> sentences = new ArrayList<>();
        for (String line : Files.readAllLines(corpus, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                sentences.add(line.strip());
            }
            if (sentences.size() == limit) {
                break;
            }
        }
        long t0 = System.nanoTime();
        try (Model m = ModelLoader.load(model, LoadOptions.builder().optDevice(device).build())) {
            double loadS = (System.nanoTime() - t0) / 1e9;
            TextTokenizer tok = m.tokenizer();
            List<TokenBatch> batches = new ArrayList<>();
            for (int i = 0; i < sentences.size(); i += batch) {
                batches.add(tok.batch(sentences.subList(i, Math.min(sentences.size(), i + batch))));
            }
            ForwardOptions opts = ForwardOptions.builder().optLogits(lmHead).build();
            for (int i = 0; i < Math.min(warmup, batches.size()); i++) {
                m.hiddenStates(batches.get(i), opts);
            }
            long tokens = 0;
            long padded = 0;
            long start = System.nanoTime();
            try (ProgressBar pb = new ProgressBarBuilder().setTaskName("forward").setInitialMax(sentences.size())
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" sent", 1).showSpeed()
                    .setUpdateIntervalMillis(System.console() == null ? 15_000 : 500).continuousUpdate().build()) {
                for (TokenBatch b : batches) {
                    m.hiddenStates(b, opts);
                    tokens += b.realTokens();
                    padded += (long) b.batchSize() * b.seqLen();
                    pb.stepBy(b.batchSize());
                }
            }
            double s = (System.nanoTime() - start) / 1e9;
            System.out.printf("model            %s (%s, %d layers, hidden %d, vocab %d)%n", model, m.modelType(),
                    m.numLayers(), m.hiddenSize(), m.vocabSize());
            System.out.printf("load time        %.2f s%n", loadS);
            System.out.printf("sentences        %d in %d batches of %d (%d warm-up batch(es) not timed)%n",
                    sentences.size(), batches.size(), batch, Math.min(warmup, batches.size()));
            System.out.printf("real tokens      %d (%d with padding)%n", tokens, padded);
            System.out.printf("forward time     %.2f s (%s, %d threads, all %d hidden states%s)%n", s, device, threads,
                    m.numLayers() + 1, lmHead ? " + logits" : ", no LM head");
            System.out.printf("throughput       %.1f real tokens/s, %.1f sentences/s%n", tokens / s, sentences.size() / s);
            System.out.printf("peak RSS         %s%n", ProcessStats.human(ProcessStats.peakRssBytes()));
        }
        return 0;
    }
}
