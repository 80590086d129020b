package org.latentlens.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.latentlens.io.HfConfig;
import org.latentlens.io.SafetensorsCheckpoint;
import org.latentlens.io.SafetensorsWriter;
import org.latentlens.model.ForwardOptions;
import org.latentlens.model.HiddenStates;
import org.latentlens.model.LoadOptions;
import org.latentlens.model.TokenBatch;
import org.latentlens.vision.VlmInputs;
import org.latentlens.vision.VlmProcessor;
import org.latentlens.vision.image.ImageLoader;
import org.latentlens.vision.image.RgbImage;
import org.latentlens.vision.model.QwenVlModel;
import org.latentlens.vision.model.RopeIndex;
import org.latentlens.vision.model.VisionLanguageModel;
import org.latentlens.vision.model.VisionOutput;
import org.latentlens.vision.model.VitKind;
import org.latentlens.vision.model.VitTower;
import org.latentlens.vision.model.VlmInput;
import org.latentlens.vision.model.VlmOutput;

/**
 * The image side of {@code latentlens hidden-states}: a stand-alone vision tower (CLIP, SigLIP, DINOv2)
 * or a VLM (LLaVA, Qwen2-VL, Qwen2.5-VL) run on the tensors of an inputs file ({@code pixel_values},
 * {@code image_grid_thw}, {@code mm_token_type_ids}, {@code position_ids} where the model takes them),
 * written under the names of the fixtures' {@code expected.safetensors}.
 */
final class VisionHiddenStates {
    private VisionHiddenStates() {
    }

    /**
     * @param folder model folder
     * @param opts load options
     * @return whether the folder holds a vision tower or a VLM this class handles
     */
    static boolean handles(Path folder, LoadOptions opts) {
        Path cfg = folder.resolve(opts.configFile());
        if (!cfg.toFile().isFile()) {
            return false;
        }
        HfConfig c = HfConfig.read(cfg);
        return c.json().has("vision_config") || VitKind.SUPPORTED.contains(c.json().path("model_type").asText(""));
    }

    /**
     * @param folder model folder
     * @param opts load options
     * @param inputs the inputs safetensors
     * @param out output file
     * @param logits whether to write logits (VLMs)
     * @param ropeSemantics "5" or "4": Qwen2-VL position rules when position_ids is not given
     * @throws IOException when the output cannot be written
     */
    static void run(Path folder, LoadOptions opts, Path inputs, Path out, boolean logits, String ropeSemantics)
            throws IOException {
        run(folder, opts, inputs, null, null, out, logits, ropeSemantics);
    }

    /**
     * As {@link #run(Path, LoadOptions, Path, Path, boolean, String)}, or for a VLM from image files and prompt
     * texts through {@link VlmProcessor} (a text without the image placeholder gets one image through the chat
     * template, or the model's image block when it has none).
     *
     * @param folder model folder
     * @param opts load options
     * @param inputs the inputs safetensors, or null when images are given
     * @param images image files (with texts), or null
     * @param texts prompt texts, or null
     * @param out output file
     * @param logits whether to write logits (VLMs)
     * @param ropeSemantics "5" or "4"
     * @throws IOException when an image cannot be read or the output cannot be written
     */
    static void run(Path folder, LoadOptions opts, Path inputs, List<Path> images, List<String> texts, Path out,
                    boolean logits, String ropeSemantics) throws IOException {
        if (inputs == null && images != null && !images.isEmpty()) {
            HfConfig c = HfConfig.read(folder.resolve(opts.configFile()));
            if (!c.json().has("vision_config")) {
                throw new IllegalArgumentException(folder + " is a vision tower without a language model: --image with "
                        + "--text needs a VLM (llava, qwen2_vl, qwen2_5_vl); pass --inputs with pixel_values instead");
            }
            if (texts == null || texts.isEmpty()) {
                throw new IllegalArgumentException("--image needs --text (the prompt; the image placeholder is added "
                        + "when the text has none)");
            }
            try (VlmProcessor p = VlmProcessor.load(folder)) {
                List<String> prompts = texts.stream().map(p::promptFor).toList();
                List<RgbImage> rgb = new java.util.ArrayList<>();
                for (Path f : images) {
                    rgb.add(ImageLoader.read(f));
                }
                VlmInputs in = p.process(rgb, prompts, true);
                SafetensorsWriter w = new SafetensorsWriter().metadata("model", folder.toString());
                w.addFloats("pixel_values", in.pixels().data(), in.pixels().shape());
                if (!in.pixels().gridThw().isEmpty()) {
                    w.addLongs("image_grid_thw", in.pixels().gridThwFlat(), in.pixels().gridThw().size(), 3);
                    w.addLongs("mm_token_type_ids", HiddenStatesCommand.flatten(in.mmTokenTypeIds()),
                            in.tokens().batchSize(), in.tokens().seqLen());
                }
                runVlm(folder, opts, in.toVlmInput(), w, out, logits, ropeSemantics);
            }
            return;
        }
        if (inputs == null) {
            throw new IllegalArgumentException(folder + " is a vision model: pass --inputs with pixel_values (and "
                    + "input_ids, attention_mask, image_grid_thw ... for a VLM); --text alone has no image");
        }
        HfConfig c = HfConfig.read(folder.resolve(opts.configFile()));
        SafetensorsWriter w = new SafetensorsWriter().metadata("model", folder.toString());
        try (SafetensorsCheckpoint in = SafetensorsCheckpoint.openFiles(inputs.toString(), List.of(inputs))) {
            require(in, inputs, "pixel_values");
            float[] pix = in.loadFloats("pixel_values");
            long[] ps = in.info("pixel_values").shape();
            if (!c.json().has("vision_config")) {
                if (ps.length != 4) {
                    throw new IllegalArgumentException(inputs + ": pixel_values must be [B, 3, H, W] for a vision tower, got "
                            + Arrays.toString(ps));
                }
                try (VitTower t = VitTower.load(folder, opts.configFile(), org.latentlens.model.ModelLoader.device(opts.device()))) {
                    VisionOutput o = t.encode(pix, (int) ps[0], (int) ps[2], (int) ps[3]);
                    long[] shape = {o.batch(), o.tokens(), o.hiddenSize()};
                    for (int i = 0; i < o.hiddenStates().length; i++) {
                        w.addFloats("hidden_states." + i, o.hiddenStates()[i], shape);
                    }
                    w.addFloats("last_hidden_state", o.lastHiddenState(), shape);
                    o.poolerOutput().ifPresent(p -> w.addFloats("pooler_output", p, o.batch(), o.hiddenSize()));
                    w.write(out);
                    System.out.printf("wrote %d vision hidden states %s to %s%n", o.hiddenStates().length,
                            Arrays.toString(shape), out);
                }
                return;
            }
            TokenBatch batch = HiddenStatesCommand.readInputs(inputs);
            int b = batch.batchSize();
            int len = batch.seqLen();
            long[][] grids = in.has("image_grid_thw") ? matrix(in, inputs, "image_grid_thw", -1, 3) : null;
            long[][] mm = in.has("mm_token_type_ids") ? matrix(in, inputs, "mm_token_type_ids", b, len) : null;
            long[][][] pos = null;
            if (in.has("position_ids")) {
                long[] s = in.info("position_ids").shape();
                if (s.length != 3 || s[1] != b || s[2] != len) {
                    throw new IllegalArgumentException(inputs + ": position_ids must be [3, " + b + ", " + len + "], got "
                            + Arrays.toString(s));
                }
                long[] flat = in.loadLongs("position_ids");
                pos = new long[(int) s[0]][b][len];
                for (int a = 0; a < s[0]; a++) {
                    for (int r = 0; r < b; r++) {
                        System.arraycopy(flat, (a * b + r) * len, pos[a][r], 0, len);
                    }
                }
            }
            runVlm(folder, opts, new VlmInput(batch, pix, ps, grids, mm, pos), w, out, logits, ropeSemantics);
        }
    }

    private static void runVlm(Path folder, LoadOptions opts, VlmInput input, SafetensorsWriter w, Path out, boolean logits,
                               String ropeSemantics) throws IOException {
        TokenBatch batch = input.tokens();
        int b = batch.batchSize();
        int len = batch.seqLen();
        try (VisionLanguageModel vlm = VisionLanguageModel.load(folder, opts)) {
            if (vlm instanceof QwenVlModel q) {
                q.withRopeSemantics(switch (ropeSemantics) {
                    case "5" -> RopeIndex.Semantics.V5;
                    case "4" -> RopeIndex.Semantics.V4;
                    default -> throw new IllegalArgumentException("--rope-semantics must be 5 (transformers 5.x) or 4, got "
                            + ropeSemantics);
                });
            }
            boolean wantLogits = logits && vlm.languageModel().hasLmHead();
            VlmOutput o = vlm.forward(input,
                    ForwardOptions.builder().optLogits(wantLogits).build());
            HiddenStates hs = o.text();
            int d = hs.hiddenSize();
            w.addLongs("input_ids", HiddenStatesCommand.flatten(batch.inputIds()), b, len);
            w.addLongs("attention_mask", HiddenStatesCommand.flatten(batch.attentionMask()), b, len);
            for (int i = 0; i < hs.numStates(); i++) {
                w.addFloats("hidden_states." + i, hs.state(i), b, len, d);
            }
            hs.logits().ifPresent(l -> w.addFloats("logits", l, b, len, hs.vocabSize()));
            for (int i = 0; i < o.visionHiddenStates().length; i++) {
                w.addFloats("vision.hidden_states." + i, o.visionHiddenStates()[i], o.visionShape());
            }
            w.addFloats(o.imageFeaturesName(), o.imageFeatures(), o.imageFeaturesShape());
            if (o.positionIds() != null) {
                long[] flat = new long[3 * b * len];
                for (int a = 0; a < 3; a++) {
                    for (int r = 0; r < b; r++) {
                        System.arraycopy(o.positionIds()[a][r], 0, flat, (a * b + r) * len, len);
                    }
                }
                w.addLongs("position_ids", flat, 3, b, len);
            }
            w.write(out);
            System.out.printf("wrote %d LM hidden states [%d, %d, %d], %d vision hidden states %s and %s %s to %s%n",
                    hs.numStates(), b, len, d, o.visionHiddenStates().length, Arrays.toString(o.visionShape()),
                    o.imageFeaturesName(), Arrays.toString(o.imageFeaturesShape()), out);
        }
    }

    private static void require(SafetensorsCheckpoint in, Path file, String name) {
        if (!in.has(name)) {
            throw new IllegalArgumentException(file + " has no tensor '" + name + "', which a vision model needs");
        }
    }

    private static long[][] matrix(SafetensorsCheckpoint in, Path file, String name, long rows, long cols) {
        long[] s = in.info(name).shape();
        if (s.length != 2 || (rows >= 0 && s[0] != rows) || s[1] != cols) {
            throw new IllegalArgumentException(file + ": " + name + " must be [" + (rows >= 0 ? rows : "N") + ", " + cols
                    + "], got " + Arrays.toString(s));
        }
        long[] flat = in.loadLongs(name);
        long[][] out = new long[(int) s[0]][(int) cols];
        for (int i = 0; i < s[0]; i++) {
            System.arraycopy(flat, (int) (i * cols), out[i], 0, (int) cols);
        }
        return out;
    }
}
