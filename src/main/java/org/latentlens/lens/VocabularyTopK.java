package org.latentlens.lens;

/** Top-k selection over a score row, restricted to the ids a tokenizer knows. */
final class VocabularyTopK {
    private VocabularyTopK() {
    }

    /**
     * @param scores scores, row-major [rows, width]
     * @param row the row
     * @param width V
     * @param limit only ids below this are candidates
     * @param k how many
     * @return the best ids, best first (ties: lower id first)
     */
    static int[] topK(float[] scores, int row, int width, int limit, int k) {
        int n = Math.min(k, limit);
        int[] best = new int[n];
        float[] bestScore = new float[n];
        int filled = 0;
        int base = row * width;
        for (int id = 0; id < limit; id++) {
            float s = scores[base + id];
            if (filled < n) {
                int pos = filled++;
                while (pos > 0 && bestScore[pos - 1] < s) {
                    best[pos] = best[pos - 1];
                    bestScore[pos] = bestScore[pos - 1];
                    pos--;
                }
                best[pos] = id;
                bestScore[pos] = s;
            } else if (s > bestScore[n - 1]) {
                int pos = n - 1;
                while (pos > 0 && bestScore[pos - 1] < s) {
                    best[pos] = best[pos - 1];
                    bestScore[pos] = bestScore[pos - 1];
                    pos--;
                }
                best[pos] = id;
                bestScore[pos] = s;
            }
        }
        return best;
    }

    /**
     * @param vocabSize rows of the model's embedding or LM head
     * @param tokenizerVocab ids the tokenizer knows, or -1 when there is no tokenizer
     * @return the candidate limit
     */
    static int limit(int vocabSize, int tokenizerVocab) {
        return tokenizerVocab > 0 ? Math.min(vocabSize, tokenizerVocab) : vocabSize;
    }
}
