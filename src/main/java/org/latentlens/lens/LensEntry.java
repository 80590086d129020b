package org.latentlens.lens;

/**
 * One entry of a lens's top-k for one token at one layer.
 *
 * @param rank 1-based rank
 * @param display what to show: a vocabulary token, or a contextual neighbour's token string
 * @param score the ranking score: cosine similarity (LatentLens, EmbeddingLens) or probability (LogitLens)
 * @param tokenId the entry's token id, or -1
 * @param logit the raw logit (LogitLens), else NaN
 * @param caption the sentence a contextual neighbour came from (LatentLens), else ""
 * @param captionPosition the neighbour's token position in that sentence, else -1
 * @param contextualLayer the layer the neighbour was stored from (LatentLens), else -1
 */
public record LensEntry(int rank, String display, double score, long tokenId, double logit, String caption,
                        int captionPosition, int contextualLayer) {
}
