package org.latentlens.model.family;

import java.util.List;
import org.latentlens.io.HfConfig;
import org.latentlens.model.Blueprint;

/** Llama 2/3 (including Llama 3.1 rope scaling): the common decoder layout, optional biases. */
public final class Llama implements Family {
    @Override
    public List<String> modelTypes() {
        return List.of("llama");
    }

    @Override
    public Blueprint describe(HfConfig c) {
        BlueprintBuilder b = BlueprintBuilder.decoder(c, 10000.0);
        b.qkvBias = b.outBias = c.boolOr(false, "attention_bias");
        b.mlpBias = c.boolOr(false, "mlp_bias");
        return b.build();
    }
}
