package org.latentlens.model;

import java.util.Arrays;

/**
 * What a forward pass should return. By default every hidden state and no logits: the LM head is the
 * most expensive matrix product of a small model, so it runs only when asked.
 *
 * <pre>{@code
 * ForwardOptions opts = ForwardOptions.builder().optStates(1, 8, 16).optLogits(true).build();
 * }</pre>
 */
public final class ForwardOptions {
    private final int[] states;
    private final boolean logits;
    private final EmbeddingOverride embeddingOverride;

    /**
     * Replaces the embedding output (hidden state 0) of chosen tokens, the way VLMs scatter image
     * features into placeholder positions of {@code inputs_embeds}.
     */
    @FunctionalInterface
    public interface EmbeddingOverride {
        /**
         * @param row batch row
         * @param column token column
         * @return the D-dimensional vector to use instead of the (scaled) token embedding, or null to keep it
         */
        float[] vectorFor(int row, int column);
    }

    private ForwardOptions(Builder b) {
        this.states = b.states;
        this.logits = b.logits;
        this.embeddingOverride = b.embeddingOverride;
    }

    /** @return the embedding override, or null */
    public EmbeddingOverride embeddingOverride() {
        return embeddingOverride;
    }

    /** @return options for every hidden state and no logits */
    public static ForwardOptions allStates() {
        return builder().build();
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the requested state indices, or {@code null} for all */
    public int[] states() {
        return states == null ? null : states.clone();
    }

    /**
     * @param index a hidden-state index
     * @return whether it is requested
     */
    public boolean wantsState(int index) {
        if (states == null) {
            return true;
        }
        for (int s : states) {
            if (s == index) {
                return true;
            }
        }
        return false;
    }

    /** @return whether logits are requested */
    public boolean logits() {
        return logits;
    }

    @Override
    public String toString() {
        return "ForwardOptions{states=" + (states == null ? "all" : Arrays.toString(states)) + ", logits=" + logits + "}";
    }

    /** Builds {@link ForwardOptions}. */
    public static final class Builder {
        private int[] states;
        private boolean logits;
        private EmbeddingOverride embeddingOverride;

        private Builder() {
        }

        /**
         * @param indices hidden-state indices to keep (0 = embeddings .. n = after the final norm)
         * @return this builder
         */
        public Builder optStates(int... indices) {
            this.states = indices.clone();
            return this;
        }

        /**
         * @param logits whether to apply the LM head and return logits
         * @return this builder
         */
        public Builder optLogits(boolean logits) {
            this.logits = logits;
            return this;
        }

        /**
         * @param override replaces the embedding output of chosen tokens (image features in a VLM)
         * @return this builder
         */
        public Builder optEmbeddingOverride(EmbeddingOverride override) {
            this.embeddingOverride = override;
            return this;
        }

        /** @return the options */
        public ForwardOptions build() {
            return new ForwardOptions(this);
        }
    }
}
