package org.latentlens.model.family;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latentlens.io.ConfigException;
import org.latentlens.io.HfConfig;
import org.latentlens.model.Blueprint;

/** The registry of supported families, keyed by {@code model_type}, filled in one place. */
public final class Families {
    private static final Map<String, Family> BY_TYPE = new LinkedHashMap<>();

    static {
        for (Family f : List.of(new Llama(), new Mistral(), new Qwen2(), new Gemma(), new Olmo(), new Phi3(),
                new Gpt2(), new Bert(), new Qwen2Vl())) {
            for (String t : f.modelTypes()) {
                BY_TYPE.put(t, f);
            }
        }
    }

    private Families() {
    }

    /** @return every supported {@code model_type}, sorted */
    public static List<String> supportedModelTypes() {
        List<String> l = new ArrayList<>(BY_TYPE.keySet());
        Collections.sort(l);
        return l;
    }

    /**
     * @param config a model config
     * @return the blueprint its family describes
     * @throws ConfigException for an unknown model_type, listing the supported ones
     */
    public static Blueprint describe(HfConfig config) {
        String type = config.modelType();
        Family f = BY_TYPE.get(type);
        if (f == null) {
            throw new ConfigException(config.source() + ": unsupported model_type \"" + type + "\"; supported: "
                    + supportedModelTypes());
        }
        return f.describe(config);
    }
}
