package org.latentlens.lens;

import java.util.List;
import java.util.Map;

/**
 * A lens's reading of a sequence: per token, per layer, the top-k entries, plus notes on anything left out.
 *
 * @param lens the lens's name
 * @param tokens the token labels, in order
 * @param tokenIds the token ids (-1 for raw vectors)
 * @param layers the layers looked at
 * @param entries {@code entries.get(layer).get(token)} is that token's top-k at that layer
 * @param notes remarks a reader needs (for example rows of the embedding matrix that were left out)
 */
public record LensResult(String lens, List<String> tokens, long[] tokenIds, int[] layers,
                         Map<Integer, List<List<LensEntry>>> entries, List<String> notes) {

    /**
     * @param layer a layer that was looked at
     * @param token a token index
     * @return the top-k entries, best first
     */
    public List<LensEntry> at(int layer, int token) {
        List<List<LensEntry>> perToken = entries.get(layer);
        if (perToken == null) {
            throw new IllegalArgumentException(lens + " did not look at layer " + layer + "; layers: "
                    + java.util.Arrays.toString(layers));
        }
        return perToken.get(token);
    }
}
