package org.latentlens.model.family;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.latentlens.io.ConfigException;
import org.latentlens.io.HfConfig;
import org.latentlens.model.Activation;
import org.latentlens.model.Blueprint;
import org.latentlens.model.NormKind;
import org.latentlens.model.NormPlacement;
import org.latentlens.model.RopeSpec;
import org.latentlens.model.WeightNames;

/**
 * Reads the keys every Llama-like decoder shares (with HuggingFace's defaults) into a mutable draft that a
 * family then adjusts. Fields are public on purpose: a family description is a handful of assignments.
 */
public final class BlueprintBuilder {
    /** The config being described. */
    public final HfConfig config;
    /** See {@link Blueprint}. */
    public String modelType;
    /** See {@link Blueprint}. */
    public boolean causal = true;
    /** See {@link Blueprint}. */
    public int hiddenSize;
    /** See {@link Blueprint}. */
    public int numLayers;
    /** See {@link Blueprint}. */
    public int numHeads;
    /** See {@link Blueprint}. */
    public int numKvHeads;
    /** See {@link Blueprint}. */
    public int headDim;
    /** See {@link Blueprint}. */
    public int intermediateSize;
    /** See {@link Blueprint}. */
    public int vocabSize;
    /** See {@link Blueprint}. */
    public WeightNames names = WeightNames.llamaLayout();
    /** See {@link Blueprint}. */
    public boolean conv1dWeights;
    /** See {@link Blueprint}. */
    public NormKind norm = NormKind.RMS;
    /** See {@link Blueprint}. */
    public double normEps;
    /** See {@link Blueprint}. */
    public NormPlacement placement = NormPlacement.PRE;
    /** See {@link Blueprint}. */
    public Activation activation;
    /** See {@link Blueprint}. */
    public boolean gatedMlp = true;
    /** See {@link Blueprint}. */
    public boolean qkvBias;
    /** See {@link Blueprint}. */
    public boolean outBias;
    /** See {@link Blueprint}. */
    public boolean mlpBias;
    /** See {@link Blueprint}. */
    public Blueprint.QkNorm qkNorm = Blueprint.QkNorm.NONE;
    /** See {@link Blueprint}; null for learned positions. */
    public List<RopeSpec> ropePerLayer;
    /** See {@link Blueprint}. */
    public int rotaryDim;
    /** See {@link Blueprint}. */
    public int[] slidingWindowPerLayer;
    /** See {@link Blueprint}. */
    public double attnScale;
    /** See {@link Blueprint}. */
    public double attnSoftcap;
    /** See {@link Blueprint}. */
    public double finalSoftcap;
    /** See {@link Blueprint}. */
    public double clipQkv;
    /** See {@link Blueprint}. */
    public float embedScale = 1f;
    /** See {@link Blueprint}. */
    public boolean tieWordEmbeddings;
    /** See {@link Blueprint}. */
    public boolean hasLmHead = true;
    /** See {@link Blueprint}. */
    public int typeVocabSize;
    /** See {@link Blueprint}. */
    public int maxPositions;
    /** Per-layer attention type ({@code full_attention} / {@code sliding_attention}). */
    public List<String> layerTypes;

    private BlueprintBuilder(HfConfig config) {
        this.config = config;
    }

    /**
     * Reads the common decoder keys: sizes, {@code rms_norm_eps}, {@code hidden_act}, tying, rope and
     * sliding windows (with {@code layer_types} when given, else the window on every layer).
     *
     * @param config the config
     * @param defaultRopeTheta the family's default base frequency
     * @return the draft
     */
    public static BlueprintBuilder decoder(HfConfig config, double defaultRopeTheta) {
        BlueprintBuilder b = new BlueprintBuilder(config);
        b.modelType = config.modelType();
        b.hiddenSize = config.requireInt("hidden_size");
        b.numLayers = config.requireInt("num_hidden_layers");
        b.numHeads = config.requireInt("num_attention_heads");
        b.numKvHeads = config.intOr(b.numHeads, "num_key_value_heads");
        if (b.numHeads % b.numKvHeads != 0) {
            throw new ConfigException(config.source() + ": num_attention_heads (" + b.numHeads
                    + ") must be a multiple of num_key_value_heads (" + b.numKvHeads + ")");
        }
        b.headDim = config.intOr(b.hiddenSize / b.numHeads, "head_dim");
        b.intermediateSize = config.requireInt("intermediate_size");
        b.vocabSize = config.requireInt("vocab_size");
        b.normEps = config.doubleOr(1e-6, "rms_norm_eps");
        b.activation = Activation.fromConfig(config.stringOr("silu", "hidden_act", "hidden_activation"), config.source());
        b.tieWordEmbeddings = config.tieWordEmbeddings();
        b.maxPositions = config.intOr(2048, "max_position_embeddings");
        b.attnScale = 1.0 / Math.sqrt(b.headDim);
        b.rotaryDim = (int) Math.round(b.headDim * config.doubleOr(1.0, "partial_rotary_factor"));
        b.layerTypes = config.optStringList("layer_types").orElse(null);
        if (b.layerTypes != null && b.layerTypes.size() != b.numLayers) {
            throw new ConfigException(config.source() + ": \"layer_types\" has " + b.layerTypes.size()
                    + " entries but num_hidden_layers is " + b.numLayers);
        }
        int window = config.intOr(0, "sliding_window");
        b.slidingWindowPerLayer = new int[b.numLayers];
        for (int i = 0; i < b.numLayers; i++) {
            boolean sliding = b.layerTypes == null ? window > 0 : b.layerTypes.get(i).equals("sliding_attention");
            b.slidingWindowPerLayer[i] = sliding ? window : 0;
        }
        b.ropePerLayer = new ArrayList<>();
        for (int i = 0; i < b.numLayers; i++) {
            String type = b.layerTypes == null ? null : b.layerTypes.get(i);
            Map<String, Object> params = config.ropeParameters(type, defaultRopeTheta);
            b.ropePerLayer.add(RopeSpec.fromParameters(params, b.rotaryDim, config.source()));
        }
        return b;
    }

    /**
     * A draft for a non-decoder family that fills every field itself (BERT, GPT-2).
     *
     * @param config the config
     * @return an empty draft
     */
    public static BlueprintBuilder blank(HfConfig config) {
        BlueprintBuilder b = new BlueprintBuilder(config);
        b.modelType = config.modelType();
        return b;
    }

    /**
     * Sets every layer's attention type from a repeating pattern, for configs without {@code layer_types}.
     *
     * @param slidingWhen which layer indices slide
     */
    public void slidingLayers(java.util.function.IntPredicate slidingWhen) {
        int window = config.intOr(0, "sliding_window");
        for (int i = 0; i < numLayers; i++) {
            slidingWindowPerLayer[i] = slidingWhen.test(i) ? window : 0;
        }
    }

    /** @return the immutable blueprint */
    public Blueprint build() {
        return new Blueprint(modelType, causal, hiddenSize, numLayers, numHeads, numKvHeads, headDim, intermediateSize,
                vocabSize, names, conv1dWeights, norm, normEps, placement, activation, gatedMlp, qkvBias, outBias, mlpBias,
                qkNorm, ropePerLayer == null ? null : List.copyOf(ropePerLayer), rotaryDim,
                slidingWindowPerLayer == null ? new int[numLayers] : slidingWindowPerLayer.clone(), attnScale,
                attnSoftcap, finalSoftcap, clipQkv, embedScale, tieWordEmbeddings, hasLmHead, typeVocabSize, maxPositions);
    }
}
