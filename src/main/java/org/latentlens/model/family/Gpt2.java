package org.latentlens.model.family;

import java.util.List;
import org.latentlens.io.ConfigException;
import org.latentlens.io.HfConfig;
import org.latentlens.model.Activation;
import org.latentlens.model.Blueprint;
import org.latentlens.model.NormKind;
import org.latentlens.model.WeightNames;

/**
 * GPT-2: learned absolute positions, pre-norm LayerNorm with bias, Conv1D weights stored [in, out], a
 * fused q|k|v projection, a plain (ungated) MLP with {@code gelu_new}, biases everywhere.
 */
public final class Gpt2 implements Family {
    @Override
    public List<String> modelTypes() {
        return List.of("gpt2");
    }

    @Override
    public Blueprint describe(HfConfig c) {
        BlueprintBuilder b = BlueprintBuilder.blank(c);
        b.hiddenSize = c.requireInt("n_embd", "hidden_size");
        b.numLayers = c.requireInt("n_layer", "num_hidden_layers");
        b.numHeads = b.numKvHeads = c.requireInt("n_head", "num_attention_heads");
        b.headDim = b.hiddenSize / b.numHeads;
        b.intermediateSize = c.intOr(4 * b.hiddenSize, "n_inner");
        b.vocabSize = c.requireInt("vocab_size");
        b.maxPositions = c.requireInt("n_positions", "max_position_embeddings");
        b.norm = NormKind.LAYER_NORM;
        b.normEps = c.doubleOr(1e-5, "layer_norm_epsilon");
        b.activation = Activation.fromConfig(c.stringOr("gelu_new", "activation_function"), c.source());
        b.gatedMlp = false;
        b.qkvBias = b.outBias = b.mlpBias = true;
        b.conv1dWeights = true;
        b.tieWordEmbeddings = c.tieWordEmbeddings();
        if (c.boolOr(false, "scale_attn_by_inverse_layer_idx")) {
            throw new ConfigException(c.source() + ": \"scale_attn_by_inverse_layer_idx\": true is not supported");
        }
        b.attnScale = c.boolOr(true, "scale_attn_weights") ? 1.0 / Math.sqrt(b.headDim) : 1.0;
        String h = "transformer.h.{i}.";
        b.names = new WeightNames("transformer.wte", "transformer.wpe", null, null,
                null, null, null, h + "attn.c_attn", h + "attn.c_proj",
                null, h + "mlp.c_fc", null, h + "mlp.c_proj",
                h + "ln_1", null, h + "ln_2", null, null, null, "transformer.ln_f", "lm_head", null);
        return b.build();
    }
}
