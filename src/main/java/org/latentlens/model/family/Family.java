package org.latentlens.model.family;

import org.latentlens.io.HfConfig;
import org.latentlens.model.Blueprint;

/**
 * One model family: how its {@code config.json} and weight names map onto the shared blocks.
 * Implementations state only what differs from the common decoder layout of {@link BlueprintBuilder}.
 */
public interface Family {

    /** @return the {@code model_type} values this family handles */
    java.util.List<String> modelTypes();

    /**
     * @param config a model's config
     * @return the resolved blueprint
     * @throws org.latentlens.io.ConfigException naming the key when the config is incomplete or unsupported
     */
    Blueprint describe(HfConfig config);
}
