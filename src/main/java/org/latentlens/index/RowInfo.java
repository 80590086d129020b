package org.latentlens.index;

/**
 * The metadata of one stored row: which token, in which sentence, at which position.
 *
 * @param tokenStr the token as decoded text
 * @param tokenId the token id, or -1 when unknown
 * @param caption the full sentence the token occurred in
 * @param position the token's index in the sentence's token sequence, or -1 when unknown
 */
public record RowInfo(String tokenStr, int tokenId, String caption, int position) {
}
