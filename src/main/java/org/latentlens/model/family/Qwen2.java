package org.latentlens.model.family;

import java.util.List;
import org.latentlens.io.HfConfig;
import org.latentlens.model.Blueprint;

/**
 * Qwen2 / Qwen2.5 and Qwen3: the Llama layout; Qwen2 has q/k/v biases, Qwen3 a per-head RMSNorm on
 * queries and keys. Sliding windows apply only with {@code use_sliding_window}, from layer
 * {@code max_window_layers} on.
 */
public final class Qwen2 implements Family {
    @Override
    public List<String> modelTypes() {
        return List.of("qwen2", "qwen3");
    }

    @Override
    public Blueprint describe(HfConfig c) {
        BlueprintBuilder b = BlueprintBuilder.decoder(c, 10000.0);
        boolean qwen3 = b.modelType.equals("qwen3");
        b.qkvBias = qwen3 ? c.boolOr(false, "attention_bias") : true;
        b.outBias = qwen3 && c.boolOr(false, "attention_bias");
        if (qwen3) {
            b.qkNorm = Blueprint.QkNorm.PER_HEAD;
            b.names = b.names.withQkNorms("model.layers.{i}.self_attn.q_norm", "model.layers.{i}.self_attn.k_norm");
        }
        if (b.layerTypes == null) {
            boolean useWindow = c.boolOr(false, "use_sliding_window");
            int maxWindowLayers = c.intOr(b.numLayers, "max_window_layers");
            b.slidingLayers(i -> useWindow && i >= maxWindowLayers);
        }
        return b.build();
    }
}
