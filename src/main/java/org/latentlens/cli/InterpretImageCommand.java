package org.latentlens.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.latentlens.LatentLens;
import org.latentlens.hub.HubClient;
import org.latentlens.index.ContextualIndex;
import org.latentlens.index.Neighbor;
import org.latentlens.model.ForwardOptions;
import org.latentlens.model.LoadOptions;
import org.latentlens.render.HtmlPage;
import org.latentlens.render.PatchOverlay;
import org.latentlens.vision.PatchNeighbours;
import org.latentlens.vision.VlmInputs;
import org.latentlens.vision.VlmProcessor;
import org.latentlens.vision.image.ImageLoader;
import org.latentlens.vision.image.RgbImage;
import org.latentlens.vision.model.QwenVlModel;
import org.latentlens.vision.model.RopeIndex;
import org.latentlens.vision.model.VisionLanguageModel;
import org.latentlens.vision.model.VlmOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latentlens interpret-image}: runs a VLM on an image and a prompt, searches the hidden state of every
 * visual token in a contextual index (merged over the index's layers), prints the neighbours of a sample of
 * patches, and writes one patch-overlay PNG per layer and an HTML page with all of them.
 */
@Command(name = "interpret-image", mixinStandardHelpOptions = true,
        description = "Interpret a VLM's visual tokens: nearest contextual neighbours of each image patch, drawn on the image.")
public final class InterpretImageCommand implements Callable<Integer> {

    @Option(names = "--model", required = true,
            description = "VLM (llava, qwen2_vl, qwen2_5_vl): a folder or a HuggingFace Hub repo id (org/name[@revision])")
    String model;

    @Option(names = "--index", required = true,
            description = "contextual index built with the same language model: a folder or a Hub repo id")
    String index;

    @Option(names = "--image", required = true, description = "PNG or JPEG file")
    Path image;

    @Option(names = "--text", defaultValue = "Describe this image.",
            description = "prompt (the image placeholder is added, through the chat template if any, when absent; "
                    + "default: ${DEFAULT-VALUE})")
    String text;

    @Option(names = "--layers", split = ",",
            description = "language-model hidden states to read (0 = embeddings; default: the index's layers)")
    int[] layers;

    @Option(names = "--top-k", defaultValue = "5", description = "neighbours per patch (default ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--patches", defaultValue = "8",
            description = "patches to print per layer, evenly spaced, or 'all' (the overlays show every patch; default ${DEFAULT-VALUE})")
    String patches;

    @Option(names = "--out", defaultValue = "latentlens-interpret-image",
            description = "output folder for overlay-layer<N>.png and interpret-image.html (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda, cuda:N or auto (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--rope-semantics", defaultValue = "5",
            description = "Qwen2-VL positions: 5 (transformers 5.x, default) or 4 (4.x)")
    String ropeSemantics;

    @Override
    public Integer call() throws Exception {
        if (topK < 1) {
            throw new IllegalArgumentException("--top-k must be at least 1, got " + topK);
        }
        RgbImage rgb = ImageLoader.read(image);
        LoadOptions options = LoadOptions.builder().optDevice(device).build();
        Path folder = LatentLens.modelFolder(model, options);
        try (ContextualIndex idx = LatentLens.loadIndex(index);
             VlmProcessor proc = VlmProcessor.load(folder);
             VisionLanguageModel vlm = VisionLanguageModel.load(folder, options)) {
            int numStates = vlm.languageModel().numLayers() + 1;
            int[] read = layers != null ? layers.clone()
                    : idx.layers().stream().mapToInt(Integer::intValue).filter(l -> l < numStates).toArray();
            if (read.length == 0) {
                throw new IllegalArgumentException("none of the index's layers " + idx.layers() + " exists in a model with "
                        + "hidden states 0.." + (numStates - 1) + ": pass --layers");
            }
            for (int l : read) {
                if (l < 0 || l >= numStates) {
                    throw new IllegalArgumentException("--layers " + l + " is out of range: the language model has hidden "
                            + "states 0.." + (numStates - 1));
                }
            }
            if (vlm instanceof QwenVlModel q) {
                q.withRopeSemantics(switch (ropeSemantics) {
                    case "5" -> RopeIndex.Semantics.V5;
                    case "4" -> RopeIndex.Semantics.V4;
                    default -> throw new IllegalArgumentException("--rope-semantics must be 5 or 4, got " + ropeSemantics);
                });
            }
            warnIfOtherModel(idx.info().modelId());
            String prompt = proc.promptFor(text);
            VlmInputs in = proc.process(rgb, prompt);
            VlmOutput o = vlm.forward(in.toVlmInput(), ForwardOptions.builder().optStates(read).build());
            BufferedImage seen = PatchNeighbours.seenRegion(rgb, proc.imageProcessor().config());
            Files.createDirectories(out);
            HtmlPage page = HtmlPage.titled("LatentLens: " + image.getFileName())
                    .paragraph("model " + model + ", index " + index + " (layers " + idx.layers() + "), prompt "
                            + prompt.replace("\n", "\\n"));
            System.out.printf("%s: %d visual tokens, prompt of %d tokens%n", image, in.tokensPerImage()[0],
                    in.tokens().seqLen());
            for (int layer : read) {
                PatchNeighbours pn = PatchNeighbours.search(o, 0, layer, idx, topK);
                System.out.printf("%nlayer %d (grid %d x %d, index layers %s merged):%n", layer, pn.rows(), pn.cols(),
                        idx.layers());
                for (int cell : sample(pn.rows() * pn.cols())) {
                    System.out.printf("  patch (%d, %d) token %d: %s%n", cell / pn.cols(), cell % pn.cols(),
                            pn.tokenPositions()[cell], describe(pn.neighbours().get(cell)));
                }
                PatchOverlay ov = pn.overlay(seen, "Layer " + layer, topK);
                Path png = ov.writePng(out.resolve("overlay-layer" + layer + ".png"));
                page.add(ov);
                System.out.println("  wrote " + png);
            }
            Path html = page.write(out.resolve("interpret-image.html"));
            System.out.println("wrote " + html);
        }
        return 0;
    }

    /**
     * Same hidden size is checked hard ({@link PatchNeighbours#search}); a different model of the same width
     * cannot be told for sure (folders move, Hub snapshots are hashes), so a likely mismatch only warns.
     */
    private void warnIfOtherModel(String modelId) {
        if (modelId == null || modelId.isBlank()) {
            return;
        }
        String built = Path.of(modelId.replace('\\', '/')).getFileName().toString();
        String here = HubClient.looksLikeRepoId(model) ? model
                : Path.of(model).toAbsolutePath().normalize().toString().replace("--", "/");
        if (!here.contains(built)) {
            System.err.println("warning: the index " + index + " was built with " + modelId + ", which does not look like "
                    + model + ": neighbours are only meaningful for an index of the same language model");
        }
    }

    private List<Integer> sample(int cells) {
        List<Integer> out = new ArrayList<>();
        if (patches.equalsIgnoreCase("all")) {
            for (int c = 0; c < cells; c++) {
                out.add(c);
            }
            return out;
        }
        int n;
        try {
            n = Integer.parseInt(patches);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--patches must be a number or 'all', got " + patches);
        }
        if (n < 0) {
            throw new IllegalArgumentException("--patches must be at least 0, got " + n);
        }
        n = Math.min(n, cells);
        for (int i = 0; i < n; i++) {
            int c = n == 1 ? 0 : (int) Math.round(i * (cells - 1) / (double) (n - 1));
            if (!out.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    private static String describe(List<Neighbor> ns) {
        if (ns.isEmpty()) {
            return "(no visual token)";
        }
        List<String> parts = new ArrayList<>();
        for (Neighbor n : ns) {
            parts.add(String.format(Locale.ROOT, "%s %.3f L%d", quote(n.tokenStr()), n.similarity(), n.contextualLayer()));
        }
        return String.join(" | ", parts);
    }

    private static String quote(String s) {
        return "'" + s.replace("\n", "\\n") + "'";
    }
}
