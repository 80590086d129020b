package org.latentlens.model.family;

import java.util.List;
import org.latentlens.io.HfConfig;
import org.latentlens.model.Blueprint;
import org.latentlens.model.NormKind;
import org.latentlens.model.NormPlacement;
import org.latentlens.model.WeightNames;

/**
 * OLMo (1) and OLMo 2. OLMo: parameter-free LayerNorm (eps 1e-5) and q/k/v clamped to
 * {@code ±clip_qkv}. OLMo 2: RMSNorm after attention and after the MLP (no pre-norms), and q/k RMSNorm
 * over all heads before the head split.
 */
public final class Olmo implements Family {
    @Override
    public List<String> modelTypes() {
        return List.of("olmo", "olmo2");
    }

    @Override
    public Blueprint describe(HfConfig c) {
        BlueprintBuilder b = BlueprintBuilder.decoder(c, 10000.0);
        b.qkvBias = b.outBias = c.boolOr(false, "attention_bias");
        if (b.modelType.equals("olmo")) {
            b.norm = NormKind.LAYER_NORM_NO_PARAMS;
            b.normEps = 1e-5; // OlmoLayerNorm hard-codes it
            b.clipQkv = c.doubleOr(0, "clip_qkv");
            String free = WeightNames.PARAMETER_FREE;
            b.names = new WeightNames(b.names.embed(), null, null, null, b.names.q(), b.names.k(), b.names.v(), null,
                    b.names.o(), b.names.gate(), b.names.up(), null, b.names.down(), free, null, free, null, null, null,
                    free, b.names.lmHead(), null);
        } else {
            String l = "model.layers.{i}.";
            b.placement = NormPlacement.POST_SUBLAYER;
            b.names = b.names.withBlockNorms(null, l + "post_attention_layernorm", null, l + "post_feedforward_layernorm")
                    .withQkNorms(l + "self_attn.q_norm", l + "self_attn.k_norm");
            b.qkNorm = Blueprint.QkNorm.WHOLE;
        }
        return b.build();
    }
}
