package org.latentlens.index;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * How {@link IndexBuilder} builds an index. Defaults match the original library: automatic layers,
 * 50 contexts per token, batches of 32 sentences, at most 512 tokens per sentence; rows are stored as
 * float16.
 *
 * <pre>{@code
 * BuildOptions opts = BuildOptions.builder().optLayers(1, 8, 16).optMaxContextsPerToken(20).build();
 * }</pre>
 *
 * <p>Every value is validated by {@link Builder#build()}, which names the offending field.
 */
public final class BuildOptions {
    /** Which token positions never become rows. */
    public enum PositionRule {
        /** Skip the tokenizer's special tokens (BOS, EOS, CLS, SEP, ...): every real word token is kept. */
        SKIP_SPECIAL_TOKENS,
        /**
         * The original's rule: skip positions 0 and 1 whatever they hold. With tokenizers that add no BOS
         * this drops the first two real tokens of every sentence; offered to reproduce old indices.
         */
        SKIP_FIRST_TWO_POSITIONS
    }

    private final int[] layers;
    private final int maxContextsPerToken;
    private final int batchSize;
    private final int maxLength;
    private final PositionRule positionRule;
    private final StorageType dtype;
    private final boolean showProgress;
    private final BuildProgress progress;

    private BuildOptions(Builder b) {
        this.layers = b.layers == null ? null : b.layers.clone();
        this.maxContextsPerToken = b.maxContextsPerToken;
        this.batchSize = b.batchSize;
        this.maxLength = b.maxLength;
        this.positionRule = b.positionRule;
        this.dtype = b.dtype;
        this.showProgress = b.showProgress;
        this.progress = b.progress;
    }

    /** @return the default options */
    public static BuildOptions defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.layers = layers == null ? null : layers.clone();
        b.maxContextsPerToken = maxContextsPerToken;
        b.batchSize = batchSize;
        b.maxLength = maxLength;
        b.positionRule = positionRule;
        b.dtype = dtype;
        b.showProgress = showProgress;
        b.progress = progress;
        return b;
    }

    /**
     * The original's default layers for an n-block model: {1, 2, 4, 8, 16, 24} below n, plus n-2 and n-1.
     *
     * @param n the number of transformer blocks
     * @return the sorted, distinct layers (for n = 32: 1, 2, 4, 8, 16, 24, 30, 31)
     */
    public static int[] autoLayers(int n) {
        TreeSet<Integer> s = new TreeSet<>();
        for (int l : new int[] {1, 2, 4, 8, 16, 24}) {
            if (l < n) {
                s.add(l);
            }
        }
        s.add(n - 2);
        s.add(n - 1);
        s.removeIf(l -> l < 0);
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return the requested layers, sorted, or {@code null} for {@link #autoLayers(int)} */
    public int[] layers() {
        return layers == null ? null : layers.clone();
    }

    /**
     * @param numLayers the model's number of blocks n
     * @return the layers to extract for that model
     * @throws IllegalArgumentException if a requested layer is outside 0..n
     */
    public int[] layersFor(int numLayers) {
        int[] ls = layers == null ? autoLayers(numLayers) : layers.clone();
        for (int l : ls) {
            if (l < 0 || l > numLayers) {
                throw new IllegalArgumentException("layers: " + l + " is outside 0.." + numLayers
                        + " (0 = embeddings, " + numLayers + " = after the final norm) for this model");
            }
        }
        if (ls.length == 0) {
            throw new IllegalArgumentException("layers: no layers for a model with " + numLayers + " blocks");
        }
        return ls;
    }

    /** @return the most rows kept per token id */
    public int maxContextsPerToken() {
        return maxContextsPerToken;
    }

    /** @return sentences per forward pass */
    public int batchSize() {
        return batchSize;
    }

    /** @return the most tokens per sentence; longer sentences are truncated with a warning */
    public int maxLength() {
        return maxLength;
    }

    /** @return which positions are skipped */
    public PositionRule positionRule() {
        return positionRule;
    }

    /** @return how rows are stored */
    public StorageType dtype() {
        return dtype;
    }

    /** @return whether a progress bar is drawn on stderr */
    public boolean showProgress() {
        return showProgress;
    }

    /** @return the progress receiver, or null for the terminal bar (when {@link #showProgress()}) */
    public BuildProgress progress() {
        return progress;
    }

    /**
     * The options that decide the index's contents, in a stable order (recorded in {@code index.json} and
     * compared when a build resumes). The batch size is among them: it does not change the rows, but a
     * checkpoint counts whole batches.
     */
    Map<String, Object> asMap(int[] resolvedLayers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layers", Arrays.stream(resolvedLayers).boxed().toList());
        m.put("maxContextsPerToken", maxContextsPerToken);
        m.put("batchSize", batchSize);
        m.put("maxLength", maxLength);
        m.put("positionRule", positionRule.name());
        m.put("dtype", dtype.label());
        m.put("capKey", "token id");
        return m;
    }

    @Override
    public String toString() {
        return "BuildOptions{layers=" + (layers == null ? "auto" : Arrays.toString(layers)) + ", maxContextsPerToken="
                + maxContextsPerToken + ", batchSize=" + batchSize + ", maxLength=" + maxLength + ", positionRule="
                + positionRule + ", dtype=" + dtype.label() + "}";
    }

    /** Builds {@link BuildOptions}; {@code opt*} setters are optional, {@link #build()} validates. */
    public static final class Builder {
        private int[] layers;
        private int maxContextsPerToken = 50;
        private int batchSize = 32;
        private int maxLength = 512;
        private PositionRule positionRule = PositionRule.SKIP_SPECIAL_TOKENS;
        private StorageType dtype = StorageType.FLOAT16;
        private boolean showProgress = true;
        private BuildProgress progress;

        private Builder() {
        }

        /**
         * @param layers hidden-state indices to extract (0 = embeddings, n = after the final norm); none = auto
         * @return this builder
         */
        public Builder optLayers(int... layers) {
            this.layers = layers == null || layers.length == 0 ? null : layers.clone();
            return this;
        }

        /**
         * @param n the most rows kept per token id (first come, first served in corpus order)
         * @return this builder
         */
        public Builder optMaxContextsPerToken(int n) {
            this.maxContextsPerToken = n;
            return this;
        }

        /**
         * @param n sentences per forward pass (also the checkpoint interval)
         * @return this builder
         */
        public Builder optBatchSize(int n) {
            this.batchSize = n;
            return this;
        }

        /**
         * @param n the most tokens per sentence, special tokens included
         * @return this builder
         */
        public Builder optMaxLength(int n) {
            this.maxLength = n;
            return this;
        }

        /**
         * @param rule which positions never become rows
         * @return this builder
         */
        public Builder optPositionRule(PositionRule rule) {
            this.positionRule = rule;
            return this;
        }

        /**
         * @param dtype row storage
         * @return this builder
         */
        public Builder optDtype(StorageType dtype) {
            this.dtype = dtype;
            return this;
        }

        /**
         * @param show whether to draw a progress bar on stderr
         * @return this builder
         */
        public Builder optShowProgress(boolean show) {
            this.showProgress = show;
            return this;
        }

        /**
         * @param progress receives progress after every batch instead of the terminal bar (for notebooks:
         *                 {@code (done, total, tps, rows) -> display.stepTo(done)})
         * @return this builder
         */
        public Builder optProgress(BuildProgress progress) {
            this.progress = progress;
            return this;
        }

        /**
         * @return the validated options
         * @throws IllegalArgumentException naming the first invalid field and its value
         */
        public BuildOptions build() {
            if (layers != null) {
                TreeSet<Integer> s = new TreeSet<>();
                for (int l : layers) {
                    if (l < 0) {
                        throw new IllegalArgumentException("layers: " + l + " is negative (0 = embeddings)");
                    }
                    if (!s.add(l)) {
                        throw new IllegalArgumentException("layers: " + l + " is given twice in " + Arrays.toString(layers));
                    }
                }
                layers = s.stream().mapToInt(Integer::intValue).toArray();
            }
            if (maxContextsPerToken < 1) {
                throw new IllegalArgumentException("maxContextsPerToken must be at least 1, got " + maxContextsPerToken);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
            }
            if (maxLength < 1) {
                throw new IllegalArgumentException("maxLength must be at least 1, got " + maxLength);
            }
            if (positionRule == null) {
                throw new IllegalArgumentException("positionRule must not be null");
            }
            if (dtype == null) {
                throw new IllegalArgumentException("dtype must not be null");
            }
            return new BuildOptions(this);
        }
    }
}
