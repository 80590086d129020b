package org.latentlens.model.family;

import java.util.List;
import org.latentlens.io.HfConfig;
import org.latentlens.model.Blueprint;

/** Mistral: the Llama layout with a sliding window on every layer when {@code sliding_window} is set. */
public final class Mistral implements Family {
    @Override
    public List<String> modelTypes() {
        return List.of("mistral");
    }

    @Override
    public Blueprint describe(HfConfig c) {
        return BlueprintBuilder.decoder(c, 10000.0).build();
    }
}
