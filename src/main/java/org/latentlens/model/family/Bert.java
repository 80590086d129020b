package org.latentlens.model.family;

import java.util.List;
import org.latentlens.io.ConfigException;
import org.latentlens.io.HfConfig;
import org.latentlens.model.Activation;
import org.latentlens.model.Blueprint;
import org.latentlens.model.NormKind;
import org.latentlens.model.NormPlacement;
import org.latentlens.model.WeightNames;

/**
 * BERT-family encoders (BERT, MiniLM, ...): word + absolute position + token-type embeddings with a
 * LayerNorm, bidirectional attention, post-norm blocks, exact GELU, a tanh pooler, no LM head.
 * Weight names may carry a {@code bert.} prefix; the loader accepts both.
 */
public final class Bert implements Family {
    @Override
    public List<String> modelTypes() {
        return List.of("bert");
    }

    @Override
    public Blueprint describe(HfConfig c) {
        BlueprintBuilder b = BlueprintBuilder.blank(c);
        String posType = c.stringOr("absolute", "position_embedding_type");
        if (!posType.equals("absolute")) {
            throw new ConfigException(c.source() + ": position_embedding_type \"" + posType
                    + "\" is not supported (only \"absolute\")");
        }
        b.causal = false;
        b.hasLmHead = false;
        b.hiddenSize = c.requireInt("hidden_size");
        b.numLayers = c.requireInt("num_hidden_layers");
        b.numHeads = b.numKvHeads = c.requireInt("num_attention_heads");
        b.headDim = b.hiddenSize / b.numHeads;
        b.intermediateSize = c.requireInt("intermediate_size");
        b.vocabSize = c.requireInt("vocab_size");
        b.typeVocabSize = c.intOr(2, "type_vocab_size");
        b.maxPositions = c.intOr(512, "max_position_embeddings");
        b.norm = NormKind.LAYER_NORM;
        b.normEps = c.doubleOr(1e-12, "layer_norm_eps");
        b.placement = NormPlacement.POST_RESIDUAL;
        b.activation = Activation.fromConfig(c.stringOr("gelu", "hidden_act"), c.source());
        b.gatedMlp = false;
        b.qkvBias = b.outBias = b.mlpBias = true;
        b.attnScale = 1.0 / Math.sqrt(b.headDim);
        String l = "encoder.layer.{i}.";
        b.names = new WeightNames("embeddings.word_embeddings", "embeddings.position_embeddings",
                "embeddings.token_type_embeddings", "embeddings.LayerNorm",
                l + "attention.self.query", l + "attention.self.key", l + "attention.self.value", null,
                l + "attention.output.dense", null, l + "intermediate.dense", null, l + "output.dense",
                null, l + "attention.output.LayerNorm", null, l + "output.LayerNorm", null, null, null, null, "pooler.dense");
        return b.build();
    }
}
