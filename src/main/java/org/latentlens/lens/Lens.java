package org.latentlens.lens;

/**
 * A way of reading hidden states: map each token's vector at each layer to a ranked list of
 * human-readable entries. Implementations: {@link ContextualLens} (LatentLens: nearest contextual
 * embeddings), {@link LogitLens} (final norm + LM head), {@link EmbeddingLens} (nearest input embeddings).
 *
 * <pre>{@code
 * TokenStates in = TokenStates.ofText(model, "The bank raised interest rates.");
 * LensResult r = new LogitLens(model).read(in, 5, 2, 4);
 * }</pre>
 */
public interface Lens {

    /** @return the lens's name, for example {@code "LogitLens"} */
    String name();

    /**
     * @return whether the lens applies to its model at all (the Logit Lens needs an LM head)
     */
    default boolean applies() {
        return true;
    }

    /** @return why the lens does not apply, or "" when it does */
    default String whyNot() {
        return "";
    }

    /**
     * Reads tokens' hidden states.
     *
     * @param input tokens and their hidden states
     * @param topK entries per token and layer
     * @param layers hidden-state indices to look at; none means every layer
     * @return the top-k entries per layer and token
     * @throws UnsupportedOperationException when the lens does not apply to the model, saying why
     */
    LensResult read(TokenStates input, int topK, int... layers);
}
