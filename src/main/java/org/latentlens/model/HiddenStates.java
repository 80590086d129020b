package org.latentlens.model;

import java.util.Optional;

/**
 * Every hidden state of one forward pass over a {@link TokenBatch}, held as plain Java arrays.
 *
 * <p>Indexing follows HuggingFace: state 0 is the embedding output (already scaled for Gemma), state i
 * (1 &le; i &lt; n) the residual stream after block i, and state n the output of the last block after
 * the final norm (for post-norm encoders such as BERT, simply the last block's output). Each state is a
 * flat row-major [B, L, D] array. Positions where the attention mask is 0 are never computed and read as
 * zeros. States that were not requested in {@link ForwardOptions} are {@code null}.
 */
public final class HiddenStates {
    private final int batchSize;
    private final int seqLen;
    private final int hiddenSize;
    private final long[][] attentionMask;
    private final float[][] states;
    private final float[] logits;
    private final int vocabSize;
    private final float[] poolerOutput;

    /**
     * @param batchSize B
     * @param seqLen L
     * @param hiddenSize D
     * @param attentionMask the batch's mask [B][L]
     * @param states per state index, a flat [B*L*D] array or {@code null} when not requested
     * @param logits flat [B*L*V] logits, or {@code null}
     * @param vocabSize V (0 when there are no logits)
     * @param poolerOutput flat [B*D] pooler output of encoders that have one, or {@code null}
     */
    public HiddenStates(int batchSize, int seqLen, int hiddenSize, long[][] attentionMask, float[][] states,
                        float[] logits, int vocabSize, float[] poolerOutput) {
        this.batchSize = batchSize;
        this.seqLen = seqLen;
        this.hiddenSize = hiddenSize;
        this.attentionMask = attentionMask;
        this.states = states;
        this.logits = logits;
        this.vocabSize = vocabSize;
        this.poolerOutput = poolerOutput;
    }

    /** @return B */
    public int batchSize() {
        return batchSize;
    }

    /** @return L */
    public int seqLen() {
        return seqLen;
    }

    /** @return D */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** @return n + 1, the number of hidden-state indices (embeddings plus one per block) */
    public int numStates() {
        return states.length;
    }

    /** @return the attention mask the states were computed with, [B][L] */
    public long[][] attentionMask() {
        return attentionMask;
    }

    /**
     * @param index hidden-state index, 0..n
     * @return whether that state was computed
     */
    public boolean has(int index) {
        return index >= 0 && index < states.length && states[index] != null;
    }

    /**
     * @param index hidden-state index, 0..n
     * @return the state as a flat row-major [B, L, D] array (shared, not copied)
     * @throws IllegalArgumentException if the index is out of range or the state was not requested
     */
    public float[] state(int index) {
        if (index < 0 || index >= states.length) {
            throw new IllegalArgumentException("hidden-state index " + index + " is out of range 0.."
                    + (states.length - 1));
        }
        if (states[index] == null) {
            throw new IllegalArgumentException("hidden state " + index
                    + " was not requested: add it to ForwardOptions.states(...)");
        }
        return states[index];
    }

    /**
     * @param index hidden-state index
     * @param batch row in the batch
     * @param position token position (column)
     * @return a copy of the D-dimensional vector
     */
    public float[] vector(int index, int batch, int position) {
        float[] out = new float[hiddenSize];
        System.arraycopy(state(index), ((batch * seqLen) + position) * hiddenSize, out, 0, hiddenSize);
        return out;
    }

    /** @return logits as a flat [B, L, V] array, if they were requested and the model has an LM head */
    public Optional<float[]> logits() {
        return Optional.ofNullable(logits);
    }

    /** @return V, the width of the logits (0 without logits) */
    public int vocabSize() {
        return vocabSize;
    }

    /** @return the pooler output [B, D] of encoders with a pooler (BERT), if present */
    public Optional<float[]> poolerOutput() {
        return Optional.ofNullable(poolerOutput);
    }
}
