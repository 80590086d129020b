package org.latentlens.model;

import org.latentlens.tokenizer.TextTokenizer;

/**
 * A loaded transformer that returns every hidden state exactly as HuggingFace transformers computes it.
 *
 * <p>Obtain one with {@code LatentLens.loadModel(path)}; close it to release native memory and mapped
 * weight files.
 *
 * <pre>{@code
 * try (Model model = LatentLens.loadModel(Path.of("models/qwen2"))) {
 *     HiddenStates hs = model.hiddenStates(model.tokenizer().batch(List.of("The bank raised rates.")));
 *     float[] last = hs.state(model.numLayers());
 * }
 * }</pre>
 */
public interface Model extends AutoCloseable {

    /** @return an identifier for the model: its folder, Hub repo id, or embedded name */
    String id();

    /** @return the HuggingFace {@code model_type}, for example {@code "qwen2"} */
    String modelType();

    /** @return n, the number of transformer blocks; hidden states are indexed 0..n */
    int numLayers();

    /** @return D, the width of the hidden states */
    int hiddenSize();

    /** @return the number of rows of the input embedding matrix */
    int vocabSize();

    /** @return whether attention is causal (decoders) rather than bidirectional (encoders) */
    boolean isCausal();

    /** @return whether the model has an LM head, so that logits can be computed */
    boolean hasLmHead();

    /** @return whether the model folder had tokenizer files */
    boolean hasTokenizer();

    /**
     * @return the model's tokenizer
     * @throws IllegalStateException naming the folder when it had no {@code tokenizer.json}
     */
    TextTokenizer tokenizer();

    /**
     * Runs the model.
     *
     * @param batch token ids and attention mask
     * @param options which states to keep and whether to compute logits
     * @return the hidden states
     * @throws IllegalArgumentException for a token id outside the vocabulary or a malformed batch
     */
    HiddenStates hiddenStates(TokenBatch batch, ForwardOptions options);

    /**
     * Runs the model and keeps every hidden state, without logits.
     *
     * @param batch token ids and attention mask
     * @return the hidden states
     */
    default HiddenStates hiddenStates(TokenBatch batch) {
        return hiddenStates(batch, ForwardOptions.allStates());
    }

    /**
     * Applies the final norm (optionally) and the LM head to arbitrary vectors: the Logit Lens.
     *
     * @param vectors row-major [T, D]
     * @param rows T
     * @param applyFinalNorm whether to apply the model's final norm first (false for state n, which is
     *                       already normalised)
     * @return row-major [T, V] logits, after any final logit soft-capping
     * @throws UnsupportedOperationException when the model has no LM head
     */
    float[] logitsOf(float[] vectors, int rows, boolean applyFinalNorm);

    /** @return the input embedding matrix as row-major [V, D] float32 (a copy) */
    float[] inputEmbeddings();

    /** Releases native memory and mapped files. */
    @Override
    void close();
}
