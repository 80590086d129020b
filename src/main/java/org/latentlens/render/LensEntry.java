package org.latentlens.render;

import java.util.Objects;

/**
 * One entry of a lens read-out: a vocabulary token or a neighbour, and its score (a probability for the
 * logit lens, a cosine similarity for LatentLens and the embedding lens).
 *
 * @param text the entry's text, as decoded
 * @param score its score; higher is better
 */
public record LensEntry(String text, double score) {
    /** Rejects a null text. */
    public LensEntry {
        Objects.requireNonNull(text, "text");
    }
}
