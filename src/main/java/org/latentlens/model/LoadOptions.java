package org.latentlens.model;

/**
 * How to load a model folder. Every option is optional.
 *
 * <pre>{@code
 * LoadOptions opts = LoadOptions.builder().optDevice("cpu").optWeightsFile("model-bf16.safetensors").build();
 * }</pre>
 */
public final class LoadOptions {
    private final String configFile;
    private final String weightsFile;
    private final String device;
    private final Boolean addBos;
    private final org.latentlens.hub.HubSettings hub;

    private LoadOptions(Builder b) {
        this.hub = b.hub;
        this.configFile = b.configFile;
        this.weightsFile = b.weightsFile;
        this.device = b.device;
        this.addBos = b.addBos;
    }

    /** @return the defaults: config.json, the folder's safetensors, CPU, the checkpoint's BOS policy */
    public static LoadOptions defaults() {
        return builder().build();
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the config file name inside the folder */
    public String configFile() {
        return configFile;
    }

    /** @return a weights file name inside the folder, or null to find {@code model.safetensors[.index.json]} */
    public String weightsFile() {
        return weightsFile;
    }

    /** @return the device: {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto} */
    public String device() {
        return device;
    }

    /** @return Hub settings for repo ids, or null for those of the environment ({@code HF_*} variables) */
    public org.latentlens.hub.HubSettings hub() {
        return hub;
    }

    /** @return the BOS override, or null for the checkpoint's own policy */
    public Boolean addBos() {
        return addBos;
    }

    @Override
    public String toString() {
        return "LoadOptions{config=" + configFile + ", weights=" + (weightsFile == null ? "auto" : weightsFile)
                + ", device=" + device + ", addBos=" + (addBos == null ? "checkpoint" : addBos) + "}";
    }

    /** Builds {@link LoadOptions}. */
    public static final class Builder {
        private String configFile = "config.json";
        private String weightsFile;
        private String device = "cpu";
        private Boolean addBos;
        private org.latentlens.hub.HubSettings hub;

        private Builder() {
        }

        /** @param settings Hub endpoint, token, cache and offline mode for repo ids @return this builder */
        public Builder optHub(org.latentlens.hub.HubSettings settings) {
            this.hub = settings;
            return this;
        }

        /** @param name config file name (for example {@code config.transformers4.json}) @return this builder */
        public Builder optConfigFile(String name) {
            this.configFile = name;
            return this;
        }

        /** @param name weights file name inside the folder @return this builder */
        public Builder optWeightsFile(String name) {
            this.weightsFile = name;
            return this;
        }

        /** @param device {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto} @return this builder */
        public Builder optDevice(String device) {
            this.device = device;
            return this;
        }

        /** @param addBos force BOS on (true) or off (false) @return this builder */
        public Builder optAddBos(Boolean addBos) {
            this.addBos = addBos;
            return this;
        }

        /** @return the options */
        public LoadOptions build() {
            return new LoadOptions(this);
        }
    }
}
