package org.latentlens.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.latentlens.io.HfConfig;
import org.latentlens.model.ForwardOptions;
import org.latentlens.model.LoadOptions;
import org.latentlens.model.Model;
import org.latentlens.model.ModelLoader;
import org.latentlens.model.TokenBatch;
import org.latentlens.tokenizer.TextTokenizer;
import org.latentlens.vision.VlmInputs;
import org.latentlens.vision.VlmProcessor;
import org.latentlens.vision.image.ImageLoader;
import org.latentlens.vision.image.RgbImage;
import org.latentlens.vision.model.VisionLanguageModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code latentlens bench forward}: forward throughput with every hidden state kept.
 * <ul>
 *   <li>A text model runs a corpus in corpus order and fixed-size batches, as a HuggingFace loop would,
 *       and counts only real (unpadded) tokens.</li>
 *   <li>A vision-language model runs images with a prompt: the image processor, the vision tower and the
 *       language model, repeated; it prints images/s and tokens/s, and times the language model alone on
 *       the same token ids so the vision tower's share can be read off.</li>
 * </ul>
 */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = "Forward throughput of a model, all hidden states kept: real tokens/s over a corpus, "
                + "or images/s and tokens/s of a vision-language model.")
public final class BenchForwardCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "model folder")
    Path model;

    @Option(names = "--corpus", description = "text model: a text file, one sentence per line")
    Path corpus;

    @Option(names = "--image", description = "vision-language model: an image (PNG or JPEG); repeat for several")
    List<Path> images = new ArrayList<>();

    @Option(names = "--text", defaultValue = "Describe this image in detail.",
            description = "vision-language model: the prompt; the chat template adds the image (default: ${DEFAULT-VALUE})")
    String text;

    @Option(names = "--runs", defaultValue = "5",
            description = "vision-language model: timed passes over the images, after one warm-up (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--batch", defaultValue = "32",
            description = "sentences (text) or images (vision) per forward (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--limit", defaultValue = "2000", description = "text model: sentences to run (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--lm-head", description = "also compute logits")
    boolean lmHead;

    @Option(names = "--threads", defaultValue = "2", description = "intra-op threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--warmup", defaultValue = "1", description = "text model: warm-up batches, not timed (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or auto (default: ${DEFAULT-VALUE})")
    String device;

    @Override
    public Integer call() throws Exception {
        // must be set before the engine starts
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        if (batch < 1) {
            throw new ParameterException(spec.commandLine(), "--batch must be at least 1, got " + batch);
        }
        boolean vlm = isVisionLanguageModel(model);
        if (vlm) {
            if (images.isEmpty()) {
                throw new ParameterException(spec.commandLine(), model + " is a vision-language model: give --image FILE");
            }
            if (runs < 1) {
                throw new ParameterException(spec.commandLine(), "--runs must be at least 1, got " + runs);
            }
            return benchVision();
        }
        if (corpus == null) {
            throw new ParameterException(spec.commandLine(), model + " is a text model: give --corpus FILE");
        }
        if (!images.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--image needs a vision-language model; "
                    + model + " is not one (supported: " + VisionLanguageModel.SUPPORTED + ")");
        }
        return benchText();
    }

    private static boolean isVisionLanguageModel(Path folder) {
        Path config = folder.resolve("config.json");
        return Files.isRegularFile(config)
                && VisionLanguageModel.SUPPORTED.contains(HfConfig.read(config).json().path("model_type").asText(""));
    }

    private int benchText() throws Exception {
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
        try (Model m = ModelLoader.load(model, loadOptions())) {
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
            try (ProgressBar pb = TerminalProgress.bar("forward", sentences.size(), " sent", 1)) {
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

    private int benchVision() throws Exception {
        List<RgbImage> decoded = new ArrayList<>();
        for (Path p : images) {
            decoded.add(ImageLoader.read(p));
        }
        long t0 = System.nanoTime();
        try (VisionLanguageModel vlm = VisionLanguageModel.load(model, loadOptions());
             VlmProcessor processor = VlmProcessor.load(model)) {
            double loadS = (System.nanoTime() - t0) / 1e9;
            ForwardOptions opts = ForwardOptions.builder().optLogits(lmHead).build();
            String prompt = processor.promptFor(text);
            List<List<RgbImage>> groups = new ArrayList<>();
            for (int i = 0; i < decoded.size(); i += batch) {
                groups.add(decoded.subList(i, Math.min(decoded.size(), i + batch)));
            }
            // warm-up: one forward of the first group (allocator, thread pools, JIT)
            vlm.forward(process(processor, groups.get(0), prompt).toVlmInput(), opts);
            double[] processS = new double[runs];
            double[] forwardS = new double[runs];
            double[] lmAloneS = new double[runs];
            long tokens = 0;
            long visual = 0;
            try (ProgressBar pb = TerminalProgress.bar("forward", (long) runs * decoded.size(), " img", 1)) {
                for (int r = 0; r < runs; r++) {
                    tokens = 0;
                    visual = 0;
                    for (List<RgbImage> g : groups) {
                        long a = System.nanoTime();
                        VlmInputs in = process(processor, g, prompt);
                        long b = System.nanoTime();
                        vlm.forward(in.toVlmInput(), opts);
                        long c = System.nanoTime();
                        // the same ids through the language model alone: identical work minus the vision tower
                        vlm.languageModel().hiddenStates(in.tokens(), opts);
                        long d = System.nanoTime();
                        processS[r] += (b - a) / 1e9;
                        forwardS[r] += (c - b) / 1e9;
                        lmAloneS[r] += (d - c) / 1e9;
                        tokens += in.tokens().realTokens();
                        visual += countVisual(in.tokens(), vlm.imageTokenId());
                        pb.stepBy(g.size());
                    }
                }
            }
            double process = median(processS);
            double forward = median(forwardS);
            double lmAlone = median(lmAloneS);
            double total = process + forward;
            Model lm = vlm.languageModel();
            System.out.printf("model            %s (%s language model: %d layers, hidden %d)%n", model, lm.modelType(),
                    lm.numLayers(), lm.hiddenSize());
            System.out.printf("load time        %.2f s%n", loadS);
            System.out.printf("input            %d image(s) (%s), %d per forward; prompt \"%s\": %d tokens per pass, %d of them visual%n",
                    decoded.size(), describe(decoded), Math.min(batch, decoded.size()), text, tokens, visual);
            System.out.printf("per pass (s)     processor %.3f, forward %.3f (vision tower + language model, all hidden states%s)%n",
                    process, forward, lmHead ? " + logits" : "");
            System.out.printf("language model   %.3f s alone on the same ids, so the vision tower and projector take about %.3f s%n",
                    lmAlone, Math.max(0, forward - lmAlone));
            System.out.printf("runs (s)         %s (processor + forward; median of %d after 1 warm-up, %s, %d threads)%n",
                    Arrays.toString(sums(processS, forwardS)), runs, device, threads);
            System.out.printf("throughput       %.3f images/s, %.1f tokens/s%n", decoded.size() / total, tokens / total);
            System.out.printf("peak RSS         %s%n", ProcessStats.human(ProcessStats.peakRssBytes()));
        }
        return 0;
    }

    private VlmInputs process(VlmProcessor processor, List<RgbImage> group, String prompt) {
        return processor.process(group, Collections.nCopies(group.size(), prompt), true);
    }

    private LoadOptions loadOptions() {
        return LoadOptions.builder().optDevice(device).build();
    }

    private static long countVisual(TokenBatch tokens, long imageToken) {
        long n = 0;
        for (int b = 0; b < tokens.batchSize(); b++) {
            for (int i = 0; i < tokens.seqLen(); i++) {
                if (tokens.attentionMask()[b][i] != 0 && tokens.inputIds()[b][i] == imageToken) {
                    n++;
                }
            }
        }
        return n;
    }

    private static String describe(List<RgbImage> images) {
        RgbImage first = images.get(0);
        String size = first.width() + "x" + first.height();
        boolean same = images.stream().allMatch(i -> i.width() == first.width() && i.height() == first.height());
        return same ? size : "first " + size;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String[] sums(double[] a, double[] b) {
        String[] out = new String[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = String.format("%.3f", a[i] + b[i]);
        }
        return out;
    }
}
