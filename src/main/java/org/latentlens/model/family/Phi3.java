package org.latentlens.model.family;

import java.util.List;
import org.latentlens.io.HfConfig;
import org.latentlens.model.Blueprint;

/** Phi-3: the Llama layout with fused {@code qkv_proj} (q, k, v rows) and {@code gate_up_proj} (gate, up rows). */
public final class Phi3 implements Family {
    @Override
    public List<String> modelTypes() {
        return List.of("phi3");
    }

    @Override
    public Blueprint describe(HfConfig c) {
        BlueprintBuilder b = BlueprintBuilder.decoder(c, 10000.0);
        b.names = b.names.withQkv("model.layers.{i}.self_attn.qkv_proj").withGateUp("model.layers.{i}.mlp.gate_up_proj");
        return b.build();
    }
}
