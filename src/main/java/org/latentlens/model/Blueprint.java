package org.latentlens.model;

import java.util.List;

/**
 * A fully resolved description of one model: what a family's description plus a concrete
 * {@code config.json} say about shapes, weight names and every option of the shared blocks. The
 * forward pass is written once, over blueprints; a family only states what differs.
 *
 * @param modelType the HuggingFace {@code model_type}
 * @param causal causal (decoder) or bidirectional (encoder) attention
 * @param hiddenSize D
 * @param numLayers number of blocks
 * @param numHeads query heads
 * @param numKvHeads key/value heads (GQA when fewer than query heads)
 * @param headDim width of one head
 * @param intermediateSize MLP width
 * @param vocabSize rows of the embedding matrix
 * @param names where each weight lives
 * @param conv1dWeights whether projection weights are stored [in, out] (GPT-2's Conv1D) instead of [out, in]
 * @param norm norm kind
 * @param normEps norm epsilon
 * @param placement norm placement
 * @param activation MLP activation
 * @param gatedMlp {@code act(gate(x)) * up(x)} rather than {@code act(up(x))}
 * @param qkvBias whether q/k/v projections have biases
 * @param outBias whether the attention output projection has a bias
 * @param mlpBias whether MLP projections have biases
 * @param qkNorm q/k normalisation
 * @param ropePerLayer rotary embedding of each layer, or null for learned/absent positions
 * @param rotaryDim rotated dimensions per head
 * @param slidingWindowPerLayer window W per layer (query q sees keys q-W &lt; k &le; q), 0 for none
 * @param attnScale the factor applied to q·k (usually 1/sqrt(head_dim))
 * @param attnSoftcap attention logit soft-cap (0 = none)
 * @param finalSoftcap final logit soft-cap (0 = none)
 * @param clipQkv clamp of q, k, v to ±clip (0 = none)
 * @param embedScale factor applied to token embeddings (Gemma: sqrt(D)), 1 otherwise
 * @param tieWordEmbeddings LM head shares the embedding matrix
 * @param hasLmHead whether the model type has an LM head at all (false for encoders)
 * @param typeVocabSize number of token types (BERT), 0 otherwise
 * @param maxPositions the size of a learned position table, or the configured context length
 */
public record Blueprint(String modelType, boolean causal, int hiddenSize, int numLayers, int numHeads, int numKvHeads,
                        int headDim, int intermediateSize, int vocabSize, WeightNames names, boolean conv1dWeights,
                        NormKind norm, double normEps, NormPlacement placement, Activation activation, boolean gatedMlp,
                        boolean qkvBias, boolean outBias, boolean mlpBias, QkNorm qkNorm, List<RopeSpec> ropePerLayer,
                        int rotaryDim, int[] slidingWindowPerLayer, double attnScale, double attnSoftcap,
                        double finalSoftcap, double clipQkv, float embedScale, boolean tieWordEmbeddings,
                        boolean hasLmHead, int typeVocabSize, int maxPositions) {

    /** How queries and keys are normalised before attention, if at all. */
    public enum QkNorm {
        /** No q/k norm. */
        NONE,
        /** One norm per head over head_dim, before RoPE (Qwen3, Gemma 3). */
        PER_HEAD,
        /** One norm over the whole projected q (all heads) and k, before the head split (OLMo 2). */
        WHOLE
    }

    /** @return whether positions come from a learned table rather than RoPE */
    public boolean learnedPositions() {
        return names.positionEmbed() != null;
    }
}
