package org.latentlens.vision.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.latentlens.TestFixtures;
import org.latentlens.io.ConfigException;
import org.latentlens.io.SafetensorsCheckpoint;
import org.latentlens.io.SafetensorsWriter;
import org.latentlens.io.TensorFormatException;
import org.latentlens.model.ForwardOptions;
import org.latentlens.model.HiddenStates;
import org.latentlens.model.LoadOptions;
import org.latentlens.model.Model;
import org.latentlens.model.ModelLoader;
import org.latentlens.model.TokenBatch;
import org.latentlens.vision.VlmInputs;
import org.latentlens.vision.VlmProcessor;
import org.latentlens.vision.image.ImageLoader;
import org.latentlens.vision.image.RgbImage;

/**
 * LLaVA with a SigLIP vision tower (llava-onevision / PaliGemma-style LLaVAs), anchored to HuggingFace
 * although no HF LLaVA+SigLIP fixture exists: a LLaVA folder is composed from the {@code siglip-vision}
 * fixture's tower, the {@code llava} fixture's language model and tokenizer, and a deterministic random
 * projector. The expected image features are computed here with plain float math from HF's golden SigLIP
 * {@code hidden_states.<i>} (select layers, drop or keep the first row, concatenate, linear_1, exact GELU,
 * linear_2); the language model's states must equal the text runtime's with those features scattered into
 * the {@code <image>} positions.
 */
class LlavaSiglipTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TEXT_D = 64;
    private static final int VISION_D = 64;
    private static final int PATCHES = 16;
    private static final int GRID = 4;
    private static final String[] TEXTS = {"USER: <image>\nWhat is shown in this image? ASSISTANT:",
        "USER: <image>\nCat? ASSISTANT:"};

    /**
     * How the weights are named: llava-hf checkpoints written by transformers 4.x, or the 5.x layout
     * ({@code model.} root, a bare {@code vision_tower.}, {@code lm_head} at the top, no SigLIP head, as
     * llava-onevision style checkpoints drop it).
     */
    enum Layout {
        HF4("vision_tower.vision_model.", "language_model.model.", "language_model.lm_head.", "multi_modal_projector.", true),
        HF5("model.vision_tower.", "model.language_model.", "lm_head.", "model.multi_modal_projector.", false);

        final String tower;
        final String text;
        final String head;
        final String projector;
        final boolean siglipHead;

        Layout(String tower, String text, String head, String projector, boolean siglipHead) {
            this.tower = tower;
            this.text = text;
            this.head = head;
            this.projector = projector;
            this.siglipHead = siglipHead;
        }
    }

    @TempDir
    Path tmp;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("full", new int[] {-2}, Layout.HF4),
                Arguments.of("default", new int[] {-2}, Layout.HF5),
                Arguments.of("full", new int[] {-2, -1}, Layout.HF5),
                Arguments.of("default", new int[] {-2, -1}, Layout.HF4));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void matchesHuggingFaceSiglipStatesThroughTheProjector(String strategy, int[] layers, Layout layout) throws IOException {
        Path dir = compose(strategy, layers, layout, VISION_D * layers.length);
        boolean drop = strategy.equals("default");
        int perImage = PATCHES - (drop ? 1 : 0);
        Path siglip = VisionFixtures.folder("siglip-vision");
        float[] pixels;
        long[] pixelShape;
        float[][] golden = new float[4][];
        try (SafetensorsCheckpoint exp = SafetensorsCheckpoint.openFiles("siglip expected",
                List.of(siglip.resolve("expected.safetensors")))) {
            pixels = exp.loadFloats("pixel_values");
            pixelShape = exp.info("pixel_values").shape();
            for (int i = 0; i < golden.length; i++) {
                golden[i] = exp.loadFloats("hidden_states." + i);
            }
        }
        float[] want = expectedFeatures(golden, layers, drop, projector(VISION_D * layers.length));

        // the processor expands each <image> to 16 tokens (no CLS), 15 under "default"
        TokenBatch tokens;
        try (VlmProcessor p = VlmProcessor.load(dir)) {
            VlmInputs in = p.process(images(), List.of(TEXTS), true);
            assertArrayEquals(new int[] {perImage, perImage}, in.tokensPerImage());
            assertArrayEquals(new int[] {GRID, GRID}, in.gridRows());
            assertArrayEquals(new int[] {GRID, GRID}, in.gridCols());
            // SigLIP's processor (fixed 56x56 resize, mean = std = 0.5) gives the fixture's pixel_values
            assertEquals(pixels.length, in.pixels().data().length);
            for (int i = 0; i < pixels.length; i++) {
                assertEquals(pixels[i], in.pixels().data()[i], 1e-5, "pixel_values[" + i + "]");
            }
            tokens = in.tokens();
            for (int b = 0; b < 2; b++) {
                long n = java.util.Arrays.stream(tokens.inputIds()[b]).filter(id -> id == 500).count();
                assertEquals(perImage, n, "row " + b + " <image> tokens");
            }
        }
        VlmInput input = new VlmInput(tokens, pixels, pixelShape, null, null, null);

        for (String config : List.of("config.json", "config.transformers4.json")) {
            LoadOptions opts = LoadOptions.builder().optConfigFile(config).build();
            HiddenStates reference;
            VlmOutput out;
            try (VisionLanguageModel vlm = VisionLanguageModel.load(dir, opts)) {
                assertTrue(vlm instanceof LlavaModel, config);
                assertEquals(VitKind.SIGLIP, ((LlavaModel) vlm).tower().kind());
                out = vlm.forward(input, ForwardOptions.builder().optLogits(true).build());
            }
            for (int i = 0; i < golden.length; i++) {
                VisionFixtures.assertClose(config + " vision.hidden_states." + i, golden[i], out.visionHiddenStates()[i]);
            }
            assertArrayEquals(new long[] {2, PATCHES, VISION_D}, out.visionShape());
            assertArrayEquals(new long[] {2, perImage, TEXT_D}, out.imageFeaturesShape());
            VisionFixtures.assertClose(config + " image_features", want, out.imageFeatures());

            // the text runtime alone, with the expected features at the <image> positions in order
            try (Model text = ModelLoader.load(dir, opts)) {
                reference = text.hiddenStates(tokens, ForwardOptions.builder().optLogits(true)
                        .optEmbeddingOverride(overrideAtPlaceholders(tokens, want)).build());
            }
            HiddenStates hs = out.text();
            assertEquals(reference.numStates(), hs.numStates());
            long[][] mask = tokens.attentionMask();
            for (int i = 0; i < hs.numStates(); i++) {
                VisionFixtures.assertCloseMasked(config + " hidden_states." + i, reference.state(i), hs.state(i), mask, TEXT_D);
            }
            VisionFixtures.assertCloseMasked(config + " logits", reference.logits().orElseThrow(), hs.logits().orElseThrow(),
                    mask, 512);

            // every visual token maps to its patch cell; under "default" patch 0 has no token
            ImageTokenMap map = out.tokenMap();
            assertEquals(2, map.images().size());
            for (ImageTokenMap.Image im : map.images()) {
                assertEquals(perImage, im.tokens().size());
                for (int k = 0; k < perImage; k++) {
                    int cell = k + (drop ? 1 : 0);
                    ImageTokenMap.Token t = im.tokens().get(k);
                    assertEquals(500, tokens.inputIds()[t.batchRow()][t.column()]);
                    assertEquals(cell / GRID, t.gridRow());
                    assertEquals(cell % GRID, t.gridCol());
                }
            }
        }
    }

    /**
     * A tower whose image size is not a multiple of the patch (google/siglip-so400m-patch14-384: 384 px, 27
     * patches): HF's stride-14 convolution ignores the last pixels, and (60 // 14)^2 = 16 positions is the
     * fixture's table, so 56x56 fixture pixels padded to 60x60 with values the model must not read give HF's
     * golden 56x56 states.
     */
    @Test
    void imageSizeNotAMultipleOfThePatchDropsTheLastPixelsAsHfDoes() throws IOException {
        Path dir = compose("full", new int[] {-2}, Layout.HF4, VISION_D, 60);
        Path siglip = VisionFixtures.folder("siglip-vision");
        float[] pixels;
        float[][] golden = new float[4][];
        try (SafetensorsCheckpoint exp = SafetensorsCheckpoint.openFiles("siglip expected",
                List.of(siglip.resolve("expected.safetensors")))) {
            pixels = exp.loadFloats("pixel_values");
            for (int i = 0; i < golden.length; i++) {
                golden[i] = exp.loadFloats("hidden_states." + i);
            }
        }
        float[] padded = new float[2 * 3 * 60 * 60];
        java.util.Arrays.fill(padded, 7.5f);
        for (int plane = 0; plane < 2 * 3; plane++) {
            for (int y = 0; y < 56; y++) {
                System.arraycopy(pixels, (plane * 56 + y) * 56, padded, (plane * 60 + y) * 60, 56);
            }
        }
        TokenBatch tokens;
        try (VlmProcessor p = VlmProcessor.load(dir)) {
            VlmInputs in = p.process(images(), List.of(TEXTS), true);
            assertArrayEquals(new long[] {2, 3, 60, 60}, in.pixels().shape());
            assertArrayEquals(new int[] {PATCHES, PATCHES}, in.tokensPerImage());
            tokens = in.tokens();
        }
        try (VisionLanguageModel vlm = VisionLanguageModel.load(dir, LoadOptions.defaults())) {
            VlmOutput out = vlm.forward(new VlmInput(tokens, padded, new long[] {2, 3, 60, 60}, null, null, null),
                    ForwardOptions.allStates());
            for (int i = 0; i < golden.length; i++) {
                VisionFixtures.assertClose("vision.hidden_states." + i, golden[i], out.visionHiddenStates()[i]);
            }
            VisionFixtures.assertClose("image_features", expectedFeatures(golden, new int[] {-2}, false, projector(VISION_D)),
                    out.imageFeatures());
            assertEquals(GRID, out.tokenMap().images().get(0).gridRows());
        }
    }

    @Test
    void projectorWidthMustMatchTowerTimesFeatureLayers() throws IOException {
        // two feature layers need linear_1 [64, 128]; a projector made for one layer is [64, 64]
        Path dir = compose("full", new int[] {-2, -1}, Layout.HF4, VISION_D);
        TensorFormatException e = assertThrows(TensorFormatException.class,
                () -> VisionLanguageModel.load(dir, LoadOptions.defaults()).close());
        String m = e.getMessage();
        assertTrue(m.contains("multi_modal_projector.linear_1.weight") && m.contains("[64, 64]") && m.contains("[64, 128]")
                && m.contains("vision_feature_layer"), m);
    }

    @Test
    void featureLayerOutsideTheTowerIsRejected() throws IOException {
        Path dir = compose("full", new int[] {-5}, Layout.HF4, VISION_D);
        ConfigException e = assertThrows(ConfigException.class,
                () -> VisionLanguageModel.load(dir, LoadOptions.defaults()).close());
        assertTrue(e.getMessage().contains("vision_feature_layer -5") && e.getMessage().contains("4 hidden states"),
                e.getMessage());
    }

    private static List<RgbImage> images() throws IOException {
        RgbImage chelsea = ImageLoader.read(TestFixtures.resource("vision/image-processors/chelsea.png"));
        // the fixtures' image_1: PIL crop((160, 30, 250, 180)), 90 wide and 150 high
        return List.of(chelsea, chelsea.crop(30, 160, 150, 90));
    }

    /** The k-th placeholder of the batch (row by row, left to right) takes the k-th feature row. */
    private static ForwardOptions.EmbeddingOverride overrideAtPlaceholders(TokenBatch tokens, float[] features) {
        int len = tokens.seqLen();
        int[] rowOf = new int[tokens.batchSize() * len];
        java.util.Arrays.fill(rowOf, -1);
        int k = 0;
        for (int b = 0; b < tokens.batchSize(); b++) {
            for (int c = 0; c < len; c++) {
                if (tokens.inputIds()[b][c] == 500 && tokens.attentionMask()[b][c] == 1) {
                    rowOf[b * len + c] = k++;
                }
            }
        }
        assertEquals(features.length / TEXT_D, k, "placeholders vs feature rows");
        return (row, col) -> {
            int r = rowOf[row * len + col];
            return r < 0 ? null : java.util.Arrays.copyOfRange(features, r * TEXT_D, (r + 1) * TEXT_D);
        };
    }

    /** linear_1 [64, in], its bias, linear_2 [64, 64], its bias: N(0, 0.15^2) weights, N(0, 0.1^2) biases. */
    private static float[][] projector(int in) {
        Random r = new Random(9_0_2026L + in);
        return new float[][] {gaussian(r, TEXT_D * in, 0.15), gaussian(r, TEXT_D, 0.1), gaussian(r, TEXT_D * TEXT_D, 0.15),
            gaussian(r, TEXT_D, 0.1)};
    }

    private static float[] gaussian(Random r, int n, double std) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (r.nextGaussian() * std);
        }
        return out;
    }

    /**
     * HF's LlavaModel.get_image_features by hand: hidden_states[layer] for each layer (Python indexing over the
     * 4 states), {@code [:, 1:]} under "default", concatenated along the features, then the projector.
     */
    private static float[] expectedFeatures(float[][] states, int[] layers, boolean drop, float[][] proj) {
        int skip = drop ? 1 : 0;
        int rows = PATCHES - skip;
        int in = VISION_D * layers.length;
        float[] out = new float[2 * rows * TEXT_D];
        for (int img = 0; img < 2; img++) {
            for (int t = 0; t < rows; t++) {
                float[] x = new float[in];
                for (int l = 0; l < layers.length; l++) {
                    float[] s = states[layers[l] < 0 ? states.length + layers[l] : layers[l]];
                    System.arraycopy(s, (img * PATCHES + t + skip) * VISION_D, x, l * VISION_D, VISION_D);
                }
                double[] h = new double[TEXT_D];
                for (int o = 0; o < TEXT_D; o++) {
                    double acc = proj[1][o];
                    for (int i = 0; i < in; i++) {
                        acc += (double) proj[0][o * in + i] * x[i];
                    }
                    h[o] = 0.5 * acc * (1 + erf(acc / Math.sqrt(2)));
                }
                for (int o = 0; o < TEXT_D; o++) {
                    double acc = proj[3][o];
                    for (int i = 0; i < TEXT_D; i++) {
                        acc += proj[2][o * TEXT_D + i] * h[i];
                    }
                    out[(img * rows + t) * TEXT_D + o] = (float) acc;
                }
            }
        }
        return out;
    }

    /**
     * erf by its Maclaurin series: exact to ~1e-9 for |z| <= 4 in double precision, and 1 - erf(4) is
     * 1.5e-8, far below the 1e-4 tolerance.
     */
    static double erf(double z) {
        double a = Math.abs(z);
        if (a > 4) {
            return Math.signum(z);
        }
        double term = a;
        double sum = a;
        for (int n = 1; n < 200; n++) {
            term *= -a * a / n;
            double add = term / (2 * n + 1);
            sum += add;
            if (Math.abs(add) < 1e-17) {
                break;
            }
        }
        return Math.signum(z) * sum * 2 / Math.sqrt(Math.PI);
    }

    /**
     * A LLaVA folder: the SigLIP fixture's tower, the LLaVA fixture's language model and tokenizer, a random
     * projector whose linear_1 reads {@code projectorIn} features, and both config spellings with the SigLIP
     * vision config, the strategy and the feature layers.
     */
    private Path compose(String strategy, int[] layers, Layout layout, int projectorIn) throws IOException {
        return compose(strategy, layers, layout, projectorIn, 56);
    }

    /** As above, with the tower's and the processor's {@code image_size} set to {@code imageSize}. */
    private Path compose(String strategy, int[] layers, Layout layout, int projectorIn, int imageSize) throws IOException {
        Path llava = VisionFixtures.folder("llava");
        Path siglip = VisionFixtures.folder("siglip-vision");
        Path dir = Files.createTempDirectory(tmp, "llava-siglip");
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsCheckpoint s = SafetensorsCheckpoint.openFolder(siglip)) {
            for (String n : s.names()) {
                if (!layout.siglipHead && n.startsWith("vision_model.head.")) {
                    continue;
                }
                w.addFloats(layout.tower + n.substring("vision_model.".length()), s.loadFloats(n), s.info(n).shape());
            }
        }
        try (SafetensorsCheckpoint l = SafetensorsCheckpoint.openFolder(llava)) {
            for (String n : l.names()) {
                String to;
                if (n.startsWith("language_model.model.")) {
                    to = layout.text + n.substring("language_model.model.".length());
                } else if (n.startsWith("language_model.lm_head.")) {
                    to = layout.head + n.substring("language_model.lm_head.".length());
                } else {
                    continue; // the CLIP tower and its projector
                }
                w.addFloats(to, l.loadFloats(n), l.info(n).shape());
            }
        }
        float[][] p = projector(projectorIn);
        w.addFloats(layout.projector + "linear_1.weight", p[0], TEXT_D, projectorIn);
        w.addFloats(layout.projector + "linear_1.bias", p[1], TEXT_D);
        w.addFloats(layout.projector + "linear_2.weight", p[2], TEXT_D, TEXT_D);
        w.addFloats(layout.projector + "linear_2.bias", p[3], TEXT_D);
        w.write(dir.resolve("model.safetensors"));

        for (String config : List.of("config.json", "config.transformers4.json")) {
            ObjectNode c = (ObjectNode) JSON.readTree(llava.resolve(config).toFile());
            ObjectNode vc = (ObjectNode) JSON.readTree(siglip.resolve(config).toFile());
            vc.remove("architectures");
            vc.put("image_size", imageSize);
            c.set("vision_config", vc);
            c.put("vision_feature_select_strategy", strategy);
            if (layers.length == 1) {
                c.put("vision_feature_layer", layers[0]);
            } else {
                ArrayNode a = c.putArray("vision_feature_layer");
                for (int v : layers) {
                    a.add(v);
                }
            }
            c.put("image_seq_length", PATCHES - (strategy.equals("default") ? 1 : 0));
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(config).toFile(), c);
        }
        Files.copy(llava.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.copy(llava.resolve("tokenizer_config.json"), dir.resolve("tokenizer_config.json"));
        ObjectNode pre = (ObjectNode) JSON.readTree(siglip.resolve("preprocessor_config.json").toFile());
        ((ObjectNode) pre.get("size")).put("height", imageSize).put("width", imageSize);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("preprocessor_config.json").toFile(), pre);
        return dir;
    }
}
