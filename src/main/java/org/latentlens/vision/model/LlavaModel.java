package org.latentlens.vision.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.latentlens.io.ConfigException;
import org.latentlens.io.HfConfig;
import org.latentlens.io.SafetensorsCheckpoint;
import org.latentlens.io.TensorFormatException;
import org.latentlens.io.WeightSource;
import org.latentlens.model.Activation;
import org.latentlens.model.ForwardOptions;
import org.latentlens.model.HiddenStates;
import org.latentlens.model.LoadOptions;
import org.latentlens.model.Model;
import org.latentlens.model.ModelLoader;
import org.latentlens.model.TokenBatch;
import org.latentlens.model.TransformerModel;

/**
 * LLaVA (1.5 style, {@code LlavaForConditionalGeneration}): a CLIP (or SigLIP) tower, the hidden state(s)
 * named by {@code vision_feature_layer} with the CLS row dropped or kept as
 * {@code vision_feature_select_strategy} says, a two-layer projector, and the language model of the text
 * runtime with the projected rows replacing the {@code <image>} tokens in order.
 */
public final class LlavaModel implements VisionLanguageModel {
    private static final List<String> TOWER_PREFIXES = List.of("vision_tower.vision_model.", "model.vision_tower.vision_model.",
            "vision_tower.", "model.vision_tower.");
    private static final List<String> PROJECTOR_PREFIXES = List.of("multi_modal_projector.", "model.multi_modal_projector.");

    private final SafetensorsCheckpoint ckpt;
    private final VitTower tower;
    private final TransformerModel lm;
    private final NDManager manager;
    private final int[] featureLayers;
    private final boolean dropCls;
    private final long imageToken;
    private final Activation projectorAct;
    private final NDArray w1;
    private final NDArray b1;
    private final NDArray w2;
    private final NDArray b2;

    private LlavaModel(Path folder, HfConfig config, SafetensorsCheckpoint ckpt, LoadOptions options) {
        this.ckpt = ckpt;
        HfConfig vc = VlmParts.visionConfig(config);
        tower = VitTower.within(vc, ckpt, TOWER_PREFIXES, ModelLoader.device(options.device()));
        TransformerModel text = null;
        NDManager m = null;
        try {
            int layers = tower.blueprint().numLayers();
            featureLayers = featureLayers(config, layers);
            String strategy = config.json().path("vision_feature_select_strategy").asText("default");
            if (!strategy.equals("default") && !strategy.equals("full")) {
                throw new ConfigException(config.source() + ": vision_feature_select_strategy \"" + strategy
                        + "\" is not supported; supported: default (drop CLS), full");
            }
            // HF's "default" drops the first token whatever it is (the CLS of CLIP; a patch for a SigLIP tower)
            dropCls = strategy.equals("default");
            imageToken = VlmParts.requireLong(config, "image_token_index", "image_token_id");
            projectorAct = Activation.fromConfig(config.json().path("projector_hidden_act").asText("gelu"), config.source());
            text = VlmParts.languageModel(folder, config, ckpt, options);
            m = NDManager.newBaseManager(ModelLoader.device(options.device()), "PyTorch");
            PrefixedWeights pw = PrefixedWeights.find(ckpt, "linear_1.weight", PROJECTOR_PREFIXES);
            boolean bias = config.json().path("multimodal_projector_bias").asBoolean(true);
            long vd = (long) tower.blueprint().hiddenSize() * featureLayers.length;
            long td = text.hiddenSize();
            checkProjectorInput(pw, config, td, vd);
            w1 = Weights.load(pw, m, "linear_1.weight", td, vd);
            b1 = bias ? Weights.load(pw, m, "linear_1.bias", td) : null;
            w2 = Weights.load(pw, m, "linear_2.weight", td, td);
            b2 = bias ? Weights.load(pw, m, "linear_2.bias", td) : null;
            lm = text;
            manager = m;
        } catch (RuntimeException e) {
            tower.close();
            if (text != null) {
                text.close();
            }
            if (m != null) {
                m.close();
            }
            throw e;
        }
    }

    /**
     * @param folder a llava-hf style folder
     * @param options load options
     * @return the model
     */
    public static LlavaModel load(Path folder, LoadOptions options) {
        HfConfig c = HfConfig.read(folder.resolve(options.configFile()));
        SafetensorsCheckpoint ckpt = VlmParts.checkpoint(folder, options);
        try {
            return new LlavaModel(folder, c, ckpt, options);
        } catch (RuntimeException e) {
            ckpt.close();
            throw e;
        }
    }

    /**
     * HF's projector reads the selected layers concatenated along the features, so linear_1 must be
     * [text hidden, tower hidden x feature layers]; a mismatch (a projector made for one layer under a list
     * of layers, or for another tower) gets a message that says where the expected width comes from.
     */
    private void checkProjectorInput(PrefixedWeights pw, HfConfig config, long td, long vd) {
        long[] shape = pw.info("linear_1.weight").shape();
        if (!Arrays.equals(shape, new long[] {td, vd})) {
            throw new TensorFormatException("tensor '" + pw.prefix() + "linear_1.weight' in "
                    + pw.info("linear_1.weight").source() + " has shape " + Arrays.toString(shape) + " but "
                    + config.source() + " needs " + Arrays.toString(new long[] {td, vd}) + " (text hidden_size " + td
                    + " by vision hidden_size " + tower.blueprint().hiddenSize() + " x " + featureLayers.length
                    + " layer(s) of vision_feature_layer " + config.json().path("vision_feature_layer")
                    + ", concatenated along the features)");
        }
    }

    private static int[] featureLayers(HfConfig config, int layers) {
        JsonNode n = config.json().get("vision_feature_layer");
        List<Integer> raw = new ArrayList<>();
        if (n == null || n.isNull()) {
            raw.add(-2);
        } else if (n.isArray()) {
            n.forEach(e -> raw.add(e.asInt()));
        } else {
            raw.add(n.asInt());
        }
        int[] out = new int[raw.size()];
        for (int i = 0; i < out.length; i++) {
            int v = raw.get(i);
            int idx = v < 0 ? layers + 1 + v : v; // python indexing into the layers+1 hidden states
            if (idx < 0 || idx > layers) {
                throw new ConfigException(config.source() + ": vision_feature_layer " + v + " is outside the tower's "
                        + (layers + 1) + " hidden states");
            }
            out[i] = idx;
        }
        return out;
    }

    @Override
    public Model languageModel() {
        return lm;
    }

    @Override
    public long imageTokenId() {
        return imageToken;
    }

    @Override
    public VlmOutput forward(VlmInput input, ForwardOptions options) {
        long[] ps = input.pixelShape();
        if (ps == null || ps.length != 4 || ps[1] != 3) {
            throw new IllegalArgumentException("pixel_values must be [images, 3, height, width] for LLaVA, got "
                    + Arrays.toString(ps));
        }
        int images = (int) ps[0];
        VisionOutput vo = tower.encode(input.pixelValues(), images, (int) ps[2], (int) ps[3]);
        int vd = vo.hiddenSize();
        int n = vo.tokens();
        int skip = dropCls ? 1 : 0;
        int tokensPerImage = n - skip;
        int td = lm.hiddenSize();
        float[] features;
        try (NDManager fwd = manager.newSubManager()) {
            List<NDArray> parts = new ArrayList<>();
            for (int l : featureLayers) {
                NDArray s = fwd.create(vo.hiddenStates()[l], new Shape(images, n, vd));
                parts.add(s.get(":, " + skip + ":, :"));
            }
            NDArray sel = parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), -1);
            sel = sel.reshape((long) images * tokensPerImage, vd * featureLayers.length);
            NDArray h = projectorAct.apply(Linear.linear(sel, w1, b1).singletonOrThrow());
            features = Linear.linear(h, w2, b2).singletonOrThrow().toFloatArray();
        }
        int grid = (int) ps[2] / tower.patchSize();
        int gridW = (int) ps[3] / tower.patchSize();
        int[] counts = new int[images];
        int[] rows = new int[images];
        int[] cols = new int[images];
        Arrays.fill(counts, tokensPerImage);
        Arrays.fill(rows, grid);
        Arrays.fill(cols, gridW);
        TokenBatch tb = input.tokens();
        ImageTokenMap map = ImageTokenMap.fromPlaceholders(tb.inputIds(), tb.attentionMask(), imageToken, counts, rows, cols,
                n - skip - grid * gridW);
        HiddenStates hs = lm.hiddenStates(tb, VlmParts.withFeatures(map, features, td, tb.seqLen(), options));
        return new VlmOutput(hs, vo.hiddenStates(), new long[] {images, n, vd}, features,
                new long[] {images, tokensPerImage, td}, "image_features", map, null);
    }

    /** @return the vision tower */
    public VitTower tower() {
        return tower;
    }

    @Override
    public void close() {
        lm.close();
        tower.close();
        manager.close();
        ckpt.close();
    }
}
