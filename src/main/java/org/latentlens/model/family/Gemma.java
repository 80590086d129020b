package org.latentlens.model.family;

import java.util.List;
import org.latentlens.io.HfConfig;
import org.latentlens.model.Activation;
import org.latentlens.model.Blueprint;
import org.latentlens.model.NormKind;
import org.latentlens.model.NormPlacement;

/**
 * Gemma 2 and Gemma 3 (text): (1+w) RMSNorm in sandwich placement, embeddings scaled by sqrt(D), query
 * scale {@code query_pre_attn_scalar^-1/2}, alternating sliding/full layers, optional attention and
 * final logit soft-capping; Gemma 3 adds per-head q/k norms and a separate rope for local layers.
 */
public final class Gemma implements Family {
    @Override
    public List<String> modelTypes() {
        return List.of("gemma2", "gemma3_text");
    }

    @Override
    public Blueprint describe(HfConfig c) {
        BlueprintBuilder b = BlueprintBuilder.decoder(c, 10000.0);
        boolean gemma3 = b.modelType.equals("gemma3_text");
        // Gemma's code reads hidden_activation; hidden_act is a legacy key some configs also carry
        b.activation = Activation.fromConfig(c.stringOr("gelu_pytorch_tanh", "hidden_activation", "hidden_act"), c.source());
        b.norm = NormKind.RMS_ONE_PLUS;
        b.placement = NormPlacement.SANDWICH;
        String l = "model.layers.{i}.";
        b.names = b.names.withBlockNorms(l + "input_layernorm", l + "post_attention_layernorm",
                l + "pre_feedforward_layernorm", l + "post_feedforward_layernorm");
        b.embedScale = (float) Math.sqrt(b.hiddenSize);
        b.attnScale = 1.0 / Math.sqrt(c.doubleOr(b.headDim, "query_pre_attn_scalar"));
        b.attnSoftcap = c.doubleOr(0, "attn_logit_softcapping");
        b.finalSoftcap = c.doubleOr(0, "final_logit_softcapping");
        b.qkvBias = b.outBias = c.boolOr(false, "attention_bias");
        if (gemma3) {
            b.qkNorm = Blueprint.QkNorm.PER_HEAD;
            b.names = b.names.withQkNorms(l + "self_attn.q_norm", l + "self_attn.k_norm");
        }
        if (b.layerTypes == null) {
            int pattern = c.intOr(6, "sliding_window_pattern", "_sliding_window_pattern");
            // HF's defaults: Gemma 2 alternates starting with a sliding layer; Gemma 3 makes every pattern-th layer full
            b.slidingLayers(gemma3 ? i -> (i + 1) % pattern != 0 : i -> i % 2 == 0);
        }
        return b.build();
    }
}
