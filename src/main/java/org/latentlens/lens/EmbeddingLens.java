package org.latentlens.lens;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latentlens.model.Model;

/**
 * The Embedding Lens: cosine similarity between a hidden state and every row of the model's input
 * embedding matrix. Rows beyond the tokenizer's vocabulary (padding added for efficient matrix shapes)
 * are left out, and the result says how many. Close it to free the normalised matrix.
 */
public final class EmbeddingLens implements Lens, AutoCloseable {
    private final Model model;
    private final NDManager manager;
    private final NDArray unitRows;
    private final int rows;

    /** @param model any loaded model */
    public EmbeddingLens(Model model) {
        this.model = model;
        int v = model.vocabSize();
        int tokVocab = model.hasTokenizer() ? model.tokenizer().vocabSize() : -1;
        this.rows = VocabularyTopK.limit(v, tokVocab);
        this.manager = NDManager.newBaseManager();
        float[] e = model.inputEmbeddings();
        int d = model.hiddenSize();
        NDArray all = manager.create(e, new Shape(v, d));
        NDArray kept = rows < v ? all.get("0:" + rows) : all;
        this.unitRows = kept.normalize(2, 1, 1e-12);
    }

    @Override
    public String name() {
        return "EmbeddingLens";
    }

    @Override
    public LensResult read(TokenStates input, int topK, int... layers) {
        int[] ls = input.layers(layers);
        List<String> notes = new ArrayList<>();
        if (rows < model.vocabSize()) {
            notes.add((model.vocabSize() - rows) + " embedding rows beyond the tokenizer's " + rows
                    + " ids are padding and were left out");
        }
        Map<Integer, List<List<LensEntry>>> out = new LinkedHashMap<>();
        int t = input.size();
        int d = input.hiddenSize();
        int k = Math.min(topK, rows);
        for (int layer : ls) {
            float[][] vecs = input.vectors(layer);
            float[] flat = new float[t * d];
            for (int i = 0; i < t; i++) {
                System.arraycopy(vecs[i], 0, flat, i * d, d);
            }
            List<List<LensEntry>> perToken = new ArrayList<>();
            try (NDManager scope = manager.newSubManager()) {
                NDArray q = scope.create(flat, new Shape(t, d)).normalize(2, 1, 1e-12);
                NDArray sims = q.matMul(unitRows.transpose());
                float[] s = sims.toFloatArray();
                for (int i = 0; i < t; i++) {
                    int[] best = VocabularyTopK.topK(s, i, rows, rows, k);
                    List<LensEntry> entries = new ArrayList<>();
                    for (int r = 0; r < best.length; r++) {
                        String disp = model.hasTokenizer() ? model.tokenizer().tokenString(best[r]) : "#" + best[r];
                        entries.add(new LensEntry(r + 1, disp, s[i * rows + best[r]], best[r], Double.NaN, "", -1, -1));
                    }
                    perToken.add(entries);
                }
            }
            out.put(layer, perToken);
        }
        return new LensResult(name(), LogitLens.labels(input), LogitLens.ids(input), ls, out, notes);
    }

    @Override
    public void close() {
        manager.close();
    }
}
