package org.latentlens.lens;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latentlens.model.Model;

/**
 * The Logit Lens: the model's final norm and LM head applied to hidden state i, read as a distribution
 * over the vocabulary. At the last state (which HuggingFace already normalised) the norm is not applied
 * again, so the result equals the model's own next-token distribution. Probabilities are the softmax
 * over the whole LM head; the top-k leaves out padded rows beyond the tokenizer's vocabulary (the
 * original ranked them too), and says so.
 */
public final class LogitLens implements Lens {
    private final Model model;

    /** @param model a decoder with an LM head */
    public LogitLens(Model model) {
        this.model = model;
    }

    @Override
    public String name() {
        return "LogitLens";
    }

    @Override
    public boolean applies() {
        return model.hasLmHead();
    }

    @Override
    public String whyNot() {
        return applies() ? "" : model.id() + " (" + model.modelType() + ") has no LM head"
                + (model.isCausal() ? "" : ": it is an encoder") + ", so the Logit Lens does not apply";
    }

    @Override
    public LensResult read(TokenStates input, int topK, int... layers) {
        if (!applies()) {
            throw new UnsupportedOperationException(whyNot());
        }
        int[] ls = input.layers(layers);
        int v = model.vocabSize();
        int tokVocab = model.hasTokenizer() ? model.tokenizer().vocabSize() : -1;
        int limit = VocabularyTopK.limit(v, tokVocab);
        List<String> notes = new ArrayList<>();
        if (limit < v) {
            notes.add((v - limit) + " LM-head rows beyond the tokenizer's " + limit
                    + " ids are padding and were left out of the ranking (they still count in the softmax)");
        }
        Map<Integer, List<List<LensEntry>>> out = new LinkedHashMap<>();
        int t = input.size();
        for (int layer : ls) {
            float[][] vecs = input.vectors(layer);
            float[] flat = new float[t * input.hiddenSize()];
            for (int i = 0; i < t; i++) {
                System.arraycopy(vecs[i], 0, flat, i * input.hiddenSize(), input.hiddenSize());
            }
            float[] logits = model.logitsOf(flat, t, layer != model.numLayers());
            List<List<LensEntry>> perToken = new ArrayList<>();
            for (int i = 0; i < t; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < v; j++) {
                    max = Math.max(max, logits[i * v + j]);
                }
                double sum = 0;
                for (int j = 0; j < v; j++) {
                    sum += Math.exp(logits[i * v + j] - max);
                }
                int[] best = VocabularyTopK.topK(logits, i, v, limit, topK);
                List<LensEntry> entries = new ArrayList<>();
                for (int r = 0; r < best.length; r++) {
                    float lg = logits[i * v + best[r]];
                    double p = Math.exp(lg - max) / sum;
                    entries.add(new LensEntry(r + 1, display(best[r]), p, best[r], lg, "", -1, -1));
                }
                perToken.add(entries);
            }
            out.put(layer, perToken);
        }
        return new LensResult(name(), labels(input), ids(input), ls, out, notes);
    }

    private String display(int id) {
        return model.hasTokenizer() ? model.tokenizer().tokenString(id) : "#" + id;
    }

    static List<String> labels(TokenStates in) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            l.add(in.label(i));
        }
        return l;
    }

    static long[] ids(TokenStates in) {
        long[] ids = new long[in.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = in.tokenId(i);
        }
        return ids;
    }
}
