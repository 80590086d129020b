package org.latentlens.hub;

import java.util.Arrays;
import java.util.List;

/**
 * What to download: a repository at a revision, as a model, an index (some layers), files matching globs, or
 * whichever of model and index the repository holds. Built with {@code set} (required) and {@code opt} (optional)
 * methods; the {@code download} command's options map one-to-one onto them.
 *
 * <pre>{@code
 * HubRequest r = HubRequest.builder()
 *         .setRepo("McGill-NLP/contextual_embeddings-llama3.1-8b")   // "org/name" or "org/name@revision"
 *         .optLayers(1, 31)                                        // an index, these layers
 *         .build();
 * Path folder = hub.download(r);
 * }</pre>
 */
public final class HubRequest {
    /** How the repository's files are chosen. */
    public enum Kind {
        /** An index if the repo holds one (index.json, metadata.json or layer_N/ files), else a model. */
        AUTO,
        /** Config, tokenizer and safetensors weights (see {@link HubClient#downloadModel}). */
        MODEL,
        /** An index, all layers or the given ones (see {@link HubClient#downloadIndex}). */
        INDEX,
        /** Exactly the files matching the globs (see {@link HubClient#downloadMatching}). */
        MATCHING
    }

    private final RepoId repo;
    private final String revision;
    private final Kind kind;
    private final int[] layers;
    private final List<String> include;

    private HubRequest(Builder b) {
        this.repo = b.repo;
        this.revision = b.revision;
        this.kind = b.kind;
        this.layers = b.layers == null ? null : b.layers.clone();
        this.include = List.copyOf(b.include);
    }

    /**
     * A new builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the repository */
    public RepoId repo() {
        return repo;
    }

    /** @return the branch, tag or commit, or null for {@code main} */
    public String revision() {
        return revision;
    }

    /** @return how files are chosen */
    public Kind kind() {
        return kind;
    }

    /** @return the index layers wanted, or null for all */
    public int[] layers() {
        return layers == null ? null : layers.clone();
    }

    /** @return the globs of a {@link Kind#MATCHING} request */
    public List<String> include() {
        return include;
    }

    @Override
    public String toString() {
        return "HubRequest{repo=" + repo + ", revision=" + (revision == null ? "main" : revision) + ", kind=" + kind
                + (layers == null ? "" : ", layers=" + Arrays.toString(layers))
                + (include.isEmpty() ? "" : ", include=" + include) + "}";
    }

    /** Builds a {@link HubRequest}; {@link #setRepo} is required. */
    public static final class Builder {
        private RepoId repo;
        private String revision;
        private String revisionFromRepo;
        private Kind kind = Kind.AUTO;
        private int[] layers;
        private List<String> include = List.of();

        private Builder() {
        }

        /**
         * Sets the repository (required).
         *
         * @param spec {@code org/name}, or {@code org/name@revision}
         * @return this builder
         * @throws IllegalArgumentException when the id is not a valid repo id
         */
        public Builder setRepo(String spec) {
            String[] parts = RepoId.splitRevision(spec);
            this.repo = RepoId.parse(parts[0]);
            this.revisionFromRepo = parts[1];
            return this;
        }

        /**
         * Sets the branch, tag or commit (default {@code main}).
         *
         * @param revision the revision, or null
         * @return this builder
         */
        public Builder optRevision(String revision) {
            this.revision = revision == null || revision.isBlank() ? null : HubCache.validateRevision(revision.strip());
            return this;
        }

        /**
         * Asks for a model.
         *
         * @return this builder
         */
        public Builder optModel() {
            this.kind = Kind.MODEL;
            return this;
        }

        /**
         * Asks for an index with all its layers.
         *
         * @return this builder
         */
        public Builder optIndex() {
            this.kind = Kind.INDEX;
            this.layers = null;
            return this;
        }

        /**
         * Asks for an index, only these layers.
         *
         * @param layers layer numbers, at least one
         * @return this builder
         */
        public Builder optLayers(int... layers) {
            if (layers == null || layers.length == 0) {
                throw new IllegalArgumentException("layers: give at least one layer, or use optIndex() for all");
            }
            this.kind = Kind.INDEX;
            this.layers = layers.clone();
            return this;
        }

        /**
         * Asks for exactly the files matching these globs (the only way to get pickled weights).
         *
         * @param globs fnmatch patterns, at least one
         * @return this builder
         */
        public Builder optInclude(List<String> globs) {
            if (globs == null || globs.isEmpty()) {
                throw new IllegalArgumentException("include: give at least one glob");
            }
            this.kind = Kind.MATCHING;
            this.include = List.copyOf(globs);
            return this;
        }

        /**
         * Builds the request.
         *
         * @return the request
         * @throws IllegalStateException when the repository is missing or two revisions disagree
         */
        public HubRequest build() {
            if (repo == null) {
                throw new IllegalStateException("HubRequest: repo is required (setRepo(\"org/name\"))");
            }
            if (revisionFromRepo != null) {
                if (revision != null && !revision.equals(revisionFromRepo)) {
                    throw new IllegalStateException("HubRequest: two revisions given, '" + revisionFromRepo
                            + "' in the repo id and '" + revision + "' as revision");
                }
                revision = HubCache.validateRevision(revisionFromRepo);
            }
            return new HubRequest(this);
        }
    }
}
