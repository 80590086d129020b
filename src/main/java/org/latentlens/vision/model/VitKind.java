package org.latentlens.vision.model;

import java.util.List;
import org.latentlens.io.ConfigException;
import org.latentlens.io.HfConfig;
import org.latentlens.model.Activation;
import org.latentlens.model.Blueprint;
import org.latentlens.model.NormKind;
import org.latentlens.model.NormPlacement;
import org.latentlens.model.WeightNames;
import org.latentlens.model.family.BlueprintBuilder;

/**
 * The plain ViT families (one image = one sequence, learned positions): how each config and checkpoint
 * maps onto the shared blocks, and what differs around them (CLS token, norms, pooling).
 */
public enum VitKind {
    /** CLIP vision: CLS, conv without bias, pre_layrnorm, quick_gelu, pooler = post_layernorm(CLS). */
    CLIP("clip_vision_model", "embeddings.patch_embedding.weight"),
    /** SigLIP vision: no CLS, conv with bias, post_layernorm on every token, attention-pooling head. */
    SIGLIP("siglip_vision_model", "embeddings.patch_embedding.weight"),
    /** DINOv2: CLS, conv with bias, layer scale, final layernorm, positions interpolated bicubically. */
    DINOV2("dinov2", "embeddings.patch_embeddings.projection.weight");

    /** The vision {@code model_type} values this runtime supports. */
    public static final List<String> SUPPORTED = List.of("clip_vision_model", "siglip_vision_model", "dinov2");

    private final String modelType;
    private final String marker;

    VitKind(String modelType, String marker) {
        this.modelType = modelType;
        this.marker = marker;
    }

    /** @return a tensor every checkpoint of this kind has, relative to the tower's root */
    public String marker() {
        return marker;
    }

    /**
     * @param config a vision config
     * @return its kind
     * @throws ConfigException naming the supported model types
     */
    public static VitKind of(HfConfig config) {
        String t = config.modelType();
        for (VitKind k : values()) {
            if (k.modelType.equals(t)) {
                return k;
            }
        }
        throw new ConfigException(config.source() + ": unsupported vision model_type \"" + t + "\"; supported: "
                + SUPPORTED + " (and the Qwen2-VL / Qwen2.5-VL towers inside their VLM configs)");
    }

    /** @return whether a CLS token precedes the patches */
    public boolean hasCls() {
        return this != SIGLIP;
    }

    /**
     * @param c the vision config
     * @return the blueprint of its blocks (bidirectional, pre-LN, LayerNorm, biases everywhere)
     */
    public Blueprint describe(HfConfig c) {
        BlueprintBuilder b = BlueprintBuilder.blank(c);
        b.causal = false;
        b.hiddenSize = c.requireInt("hidden_size");
        b.numLayers = c.requireInt("num_hidden_layers");
        b.numHeads = c.requireInt("num_attention_heads");
        b.numKvHeads = b.numHeads;
        if (b.hiddenSize % b.numHeads != 0) {
            throw new ConfigException(c.source() + ": hidden_size " + b.hiddenSize + " is not a multiple of num_attention_heads "
                    + b.numHeads);
        }
        b.headDim = b.hiddenSize / b.numHeads;
        b.attnScale = 1.0 / Math.sqrt(b.headDim);
        b.norm = NormKind.LAYER_NORM;
        b.placement = NormPlacement.PRE;
        b.gatedMlp = false;
        b.qkvBias = b.outBias = b.mlpBias = true;
        b.hasLmHead = false;
        b.vocabSize = 0;
        // HF's per-family defaults: configs nested in a VLM often leave hidden_act out
        String act = switch (this) {
            case CLIP -> "quick_gelu";
            case SIGLIP -> "gelu_pytorch_tanh";
            case DINOV2 -> "gelu";
        };
        b.activation = Activation.fromConfig(c.stringOr(act, "hidden_act"), c.source());
        if (this == DINOV2) {
            if (c.boolOr(false, "use_swiglu_ffn")) {
                throw new ConfigException(c.source() + ": \"use_swiglu_ffn\": true (DINOv2 giant) is not supported yet; "
                        + "supported: the MLP DINOv2 variants (small, base, large)");
            }
            if (!c.boolOr(true, "qkv_bias")) {
                throw new ConfigException(c.source() + ": \"qkv_bias\": false is not supported for dinov2");
            }
            b.intermediateSize = (int) Math.round(b.hiddenSize * c.doubleOr(4.0, "mlp_ratio"));
            b.normEps = c.doubleOr(1e-6, "layer_norm_eps");
            String l = "encoder.layer.{i}.";
            b.names = new WeightNames(null, null, null, null, l + "attention.attention.query", l + "attention.attention.key",
                    l + "attention.attention.value", null, l + "attention.output.dense", null, l + "mlp.fc1", null,
                    l + "mlp.fc2", l + "norm1", null, l + "norm2", null, null, null, null, null, null);
        } else {
            b.intermediateSize = c.requireInt("intermediate_size");
            b.normEps = c.doubleOr(this == CLIP ? 1e-5 : 1e-6, "layer_norm_eps");
            String l = "encoder.layers.{i}.";
            b.names = new WeightNames(null, null, null, null, l + "self_attn.q_proj", l + "self_attn.k_proj",
                    l + "self_attn.v_proj", null, l + "self_attn.out_proj", null, l + "mlp.fc1", null, l + "mlp.fc2",
                    l + "layer_norm1", null, l + "layer_norm2", null, null, null, null, null, null);
        }
        int channels = c.intOr(3, "num_channels");
        if (channels != 3) {
            throw new ConfigException(c.source() + ": num_channels " + channels + " is not supported (RGB images: 3)");
        }
        return b.build();
    }
}
