package org.latentlens.render;

import java.util.List;
import java.util.Objects;

/**
 * What one lens reads at one (token, layer): its top-k entries, best first. The input of
 * {@link LensComparison}.
 *
 * @param lens the lens's name, e.g. "LatentLens", "LogitLens", "EmbeddingLens"
 * @param layer the layer read
 * @param position the token's index in the input
 * @param token the input token's text
 * @param topK the entries, best first (may be empty)
 */
public record LensReadout(String lens, int layer, int position, String token, List<LensEntry> topK) {
    /** Copies the list and rejects nulls. */
    public LensReadout {
        Objects.requireNonNull(lens, "lens");
        Objects.requireNonNull(token, "token");
        topK = List.copyOf(Objects.requireNonNull(topK, "topK"));
    }

    /** @return the best entry, or null when there is none */
    public LensEntry top() {
        return topK.isEmpty() ? null : topK.get(0);
    }
}
