package org.latentlens.lens;

import java.util.List;
import org.latentlens.model.HiddenStates;
import org.latentlens.model.Model;
import org.latentlens.model.TokenBatch;
import org.latentlens.tokenizer.Encoding;

/**
 * What every lens reads: a sequence of tokens (or unnamed vectors) and their hidden states, computed once
 * and shared by all lenses of a comparison.
 *
 * <p>Three ways in: {@link #ofText}, {@link #ofTokens}, and {@link #ofVectors} for raw [T, D] vectors taken
 * from anywhere (another tool, a VLM's image tokens), which the lenses treat as the hidden states of one
 * given layer.
 */
public final class TokenStates {
    private final String[] labels;
    private final long[] tokenIds;
    private final HiddenStates states;
    private final float[][] rawVectors;
    private final int rawLayer;
    private final int hiddenSize;
    private final int numLayers;

    private TokenStates(String[] labels, long[] tokenIds, HiddenStates states, float[][] rawVectors, int rawLayer,
                        int hiddenSize, int numLayers) {
        this.labels = labels;
        this.tokenIds = tokenIds;
        this.states = states;
        this.rawVectors = rawVectors;
        this.rawLayer = rawLayer;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
    }

    /**
     * Tokenizes a text with the model's tokenizer (its special tokens included) and runs the model.
     *
     * @param model a loaded model with a tokenizer
     * @param text the text
     * @return the tokens and every hidden state
     */
    public static TokenStates ofText(Model model, String text) {
        Encoding e = model.tokenizer().encode(text);
        String[] labels = new String[e.length()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = model.tokenizer().tokenString(e.ids()[i]);
        }
        return run(model, e.ids(), labels);
    }

    /**
     * Runs the model on token ids.
     *
     * @param model a loaded model
     * @param ids token ids
     * @return the tokens and every hidden state
     */
    public static TokenStates ofTokens(Model model, long... ids) {
        String[] labels = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            labels[i] = model.hasTokenizer() ? model.tokenizer().tokenString(ids[i]) : "#" + ids[i];
        }
        return run(model, ids, labels);
    }

    private static TokenStates run(Model model, long[] ids, String[] labels) {
        if (ids.length == 0) {
            throw new IllegalArgumentException("nothing to look at: the input has no tokens");
        }
        HiddenStates hs = model.hiddenStates(new TokenBatch(new long[][] {ids}, null, null));
        return new TokenStates(labels, ids.clone(), hs, null, -1, model.hiddenSize(), model.numLayers());
    }

    /**
     * Raw vectors from anywhere, treated as hidden state {@code layer} of {@code model}.
     *
     * @param model the model whose space the vectors live in
     * @param vectors [T][D]
     * @param layer the hidden-state index they come from (decides, for example, whether the Logit Lens applies the
     *              final norm: not for layer n, which already has it)
     * @param labels a label per vector, or null for "v0", "v1", ...
     * @return the input
     */
    public static TokenStates ofVectors(Model model, float[][] vectors, int layer, List<String> labels) {
        if (vectors.length == 0) {
            throw new IllegalArgumentException("no vectors given");
        }
        for (int i = 0; i < vectors.length; i++) {
            if (vectors[i].length != model.hiddenSize()) {
                throw new IllegalArgumentException("vector " + i + " has " + vectors[i].length + " values but "
                        + model.id() + " has hidden size " + model.hiddenSize());
            }
        }
        if (layer < 0 || layer > model.numLayers()) {
            throw new IllegalArgumentException("layer " + layer + " is outside 0.." + model.numLayers());
        }
        String[] l = new String[vectors.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels == null ? "v" + i : labels.get(i);
        }
        long[] ids = new long[vectors.length];
        java.util.Arrays.fill(ids, -1);
        return new TokenStates(l, ids, null, vectors, layer, model.hiddenSize(), model.numLayers());
    }

    /** @return the number of tokens (or vectors) */
    public int size() {
        return labels.length;
    }

    /** @param i token index @return its display string */
    public String label(int i) {
        return labels[i];
    }

    /** @param i token index @return its id, or -1 for raw vectors */
    public long tokenId(int i) {
        return tokenIds[i];
    }

    /** @return n, the model's number of blocks */
    public int numLayers() {
        return numLayers;
    }

    /**
     * @param requested layers asked for, or empty for all available
     * @return the layers this input can be looked at in
     */
    public int[] layers(int... requested) {
        if (rawVectors != null) {
            if (requested.length > 0 && (requested.length != 1 || requested[0] != rawLayer)) {
                throw new IllegalArgumentException("raw vectors were given as layer " + rawLayer
                        + "; they cannot be looked at in layers " + java.util.Arrays.toString(requested));
            }
            return new int[] {rawLayer};
        }
        if (requested.length == 0) {
            int[] all = new int[numLayers + 1];
            for (int i = 0; i <= numLayers; i++) {
                all[i] = i;
            }
            return all;
        }
        for (int l : requested) {
            if (l < 0 || l > numLayers) {
                throw new IllegalArgumentException("layer " + l + " is outside 0.." + numLayers
                        + " (0 = embeddings, " + numLayers + " = after the final norm)");
            }
        }
        return requested.clone();
    }

    /**
     * @param layer a hidden-state index
     * @return the vectors of every token at that layer, [T][D]
     */
    public float[][] vectors(int layer) {
        if (rawVectors != null) {
            layers(layer);
            return rawVectors;
        }
        float[][] out = new float[labels.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = states.vector(layer, 0, i);
        }
        return out;
    }

    /** @return D */
    public int hiddenSize() {
        return hiddenSize;
    }
}
