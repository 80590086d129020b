package org.latentlens.model.family;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.latentlens.io.ConfigException;
import org.latentlens.io.HfConfig;
import org.latentlens.model.Blueprint;

/**
 * The language model of Qwen2-VL and Qwen2.5-VL: the Qwen2 layout (q/k/v biases) with a multimodal rope
 * whose {@code mrope_section} splits the frequencies over temporal, height and width positions. Accepts
 * the nested 5.x configs ({@code text_config.model_type} {@code qwen2_vl_text}) and the flat 4.x Hub ones.
 */
public final class Qwen2Vl implements Family {
    @Override
    public List<String> modelTypes() {
        return List.of("qwen2_vl", "qwen2_vl_text", "qwen2_5_vl", "qwen2_5_vl_text");
    }

    @Override
    public Blueprint describe(HfConfig c) {
        BlueprintBuilder b = BlueprintBuilder.decoder(c, 1000000.0);
        b.qkvBias = true;
        b.outBias = false;
        if (b.layerTypes == null) {
            boolean useWindow = c.boolOr(false, "use_sliding_window");
            int maxWindowLayers = c.intOr(b.numLayers, "max_window_layers");
            b.slidingLayers(i -> useWindow && i >= maxWindowLayers);
        }
        int[] section = mropeSection(c);
        b.ropePerLayer.replaceAll(r -> r.withMropeSection(section, c.source()));
        return b.build();
    }

    private static int[] mropeSection(HfConfig c) {
        for (String key : List.of("rope_parameters", "rope_scaling")) {
            JsonNode rp = c.textJson().get(key);
            JsonNode s = rp == null ? null : rp.get("mrope_section");
            if (s != null && s.isArray()) {
                int[] out = new int[s.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = s.get(i).asInt();
                }
                return out;
            }
        }
        throw new ConfigException(c.source() + ": a " + c.modelType() + " language model needs \"mrope_section\" in "
                + "\"rope_parameters\" (transformers 5.x) or \"rope_scaling\" (4.x)");
    }
}
