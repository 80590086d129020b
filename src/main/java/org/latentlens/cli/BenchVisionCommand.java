package org.latentlens.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.latentlens.model.ForwardOptions;
import org.latentlens.model.LoadOptions;
import org.latentlens.vision.VlmInputs;
import org.latentlens.vision.VlmProcessor;
import org.latentlens.vision.model.VisionLanguageModel;
import org.latentlens.vision.model.VlmInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latentlens bench vision}: a VLM's forward over one image and a prompt, repeated: the image
 * processor, the vision tower and the language model, all hidden states kept. Prints images/s and tokens/s.
 */
@Command(name = "vision", mixinStandardHelpOptions = true,
        description = "Forward throughput of a vision-language model (images/s, tokens/s).")
public final class BenchVisionCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "VLM folder (llava, qwen2_vl, qwen2_5_vl)")
    Path model;

    @Option(names = "--image", required = true, description = "image file (PNG or JPEG)")
    Path image;

    @Option(names = "--text", defaultValue = "Describe this image in detail.",
            description = "prompt; an image placeholder is added when it has none (default: ${DEFAULT-VALUE})")
    String text;

    @Option(names = "--runs", defaultValue = "5", description = "timed runs (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--threads", defaultValue = "2", description = "intra-op threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Override
    public Integer call() throws Exception {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        long t0 = System.nanoTime();
        try (VisionLanguageModel vlm = VisionLanguageModel.load(model, LoadOptions.defaults())) {
            VlmProcessor processor = VlmProcessor.load(model);
            double loadS = (System.nanoTime() - t0) / 1e9;
            ForwardOptions opts = ForwardOptions.allStates();
            String prompt = processor.promptFor(text);
            VlmInputs warm = processor.process(List.of(image), prompt);
            vlm.forward(warm.toVlmInput(), opts);
            List<Double> times = new ArrayList<>();
            long tokens = 0;
            for (int r = 0; r < runs; r++) {
                long s = System.nanoTime();
                VlmInputs in = processor.process(List.of(image), prompt);
                VlmInput input = in.toVlmInput();
                vlm.forward(input, opts);
                times.add((System.nanoTime() - s) / 1e9);
                tokens = in.tokens().realTokens();
            }
            double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = sorted[sorted.length / 2];
            System.out.printf("model            %s (%s language model, %d layers)%n", model,
                    vlm.languageModel().modelType(), vlm.languageModel().numLayers());
            System.out.printf("load time        %.2f s%n", loadS);
            System.out.printf("input            %s + \"%s\": %d tokens%n", image.getFileName(), text, tokens);
            System.out.printf("runs (s)         %s (processor + vision tower + language model, all hidden states)%n",
                    Arrays.toString(times.stream().map(t -> String.format("%.3f", t)).toArray()));
            System.out.printf("throughput       %.2f images/s, %.1f tokens/s (median of %d runs, %d threads)%n",
                    1 / median, tokens / median, runs, threads);
            System.out.printf("peak RSS         %s%n", ProcessStats.human(ProcessStats.peakRssBytes()));
        }
        return 0;
    }
}
