package org.latentlens.index;

/**
 * One search hit: a stored contextual embedding close to a query vector.
 *
 * <p>Field order and meaning follow the original Python {@code Neighbor}: the token's display string,
 * the cosine similarity, the sentence it came from, its position in that sentence's token sequence,
 * its token id, and the model layer the stored embedding was taken from. Unknown values are {@code ""}
 * or {@code -1}, as there.
 *
 * @param tokenStr the token as decoded text (may start with a space)
 * @param similarity cosine similarity with the query
 * @param caption the full sentence the token occurred in
 * @param position the token's index in the sentence's token sequence
 * @param tokenId the token id, or -1 when unknown
 * @param contextualLayer the layer (hidden-state index) of the stored embedding, or -1 when unknown
 */
public record Neighbor(String tokenStr, float similarity, String caption, int position, int tokenId,
                       int contextualLayer) {

    /**
     * A neighbour with only a token string and a similarity, the other fields unknown.
     *
     * @param tokenStr the token as decoded text
     * @param similarity cosine similarity with the query
     */
    public Neighbor(String tokenStr, float similarity) {
        this(tokenStr, similarity, "", -1, -1, -1);
    }
}
