package org.latentlens.index;

import java.util.ArrayList;
import java.util.List;

/**
 * The best k candidates seen so far for one query: a binary heap with the worst candidate on top, so a
 * new candidate is compared with one value and mostly rejected.
 */
final class TopK {
    private final int k;
    private final float[] sim;
    private final int[] layer;
    private final int[] row;
    private int size;

    TopK(int k) {
        this.k = k;
        this.sim = new float[k];
        this.layer = new int[k];
        this.row = new int[k];
    }

    /** @return the similarity a candidate must reach to be considered (-infinity until full) */
    float threshold() {
        return size < k ? Float.NEGATIVE_INFINITY : sim[0];
    }

    /** Offers a candidate; keeps it when it ranks before the current worst. */
    void offer(float s, int l, int r) {
        if (size < k) {
            int i = size++;
            sim[i] = s;
            layer[i] = l;
            row[i] = r;
            siftUp(i);
        } else if (worse(0, s, l, r)) {
            sim[0] = s;
            layer[0] = l;
            row[0] = r;
            siftDown(0);
        }
    }

    /** Whether the entry at i ranks after the candidate (s, l, r). */
    private boolean worse(int i, float s, int l, int r) {
        return SearchHit.compare(sim[i], layer[i], row[i], s, l, r) > 0;
    }

    /** Whether entry i ranks after entry j (the heap keeps the worst on top). */
    private boolean worseThan(int i, int j) {
        return SearchHit.compare(sim[i], layer[i], row[i], sim[j], layer[j], row[j]) > 0;
    }

    private void siftUp(int i) {
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (worseThan(i, p)) {
                swap(i, p);
                i = p;
            } else {
                return;
            }
        }
    }

    private void siftDown(int i) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int w = l;
            if (l + 1 < size && worseThan(l + 1, l)) {
                w = l + 1;
            }
            if (worseThan(w, i)) {
                swap(i, w);
                i = w;
            } else {
                return;
            }
        }
    }

    private void swap(int a, int b) {
        float s = sim[a];
        sim[a] = sim[b];
        sim[b] = s;
        int t = layer[a];
        layer[a] = layer[b];
        layer[b] = t;
        t = row[a];
        row[a] = row[b];
        row[b] = t;
    }

    /** Adds every candidate of another heap. */
    void addAll(TopK other) {
        for (int i = 0; i < other.size; i++) {
            offer(other.sim[i], other.layer[i], other.row[i]);
        }
    }

    /** @return the candidates, best first */
    List<SearchHit> sorted() {
        List<SearchHit> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(new SearchHit(layer[i], row[i], sim[i]));
        }
        out.sort((a, b) -> SearchHit.compare(a.similarity(), a.layer(), a.row(), b.similarity(), b.layer(), b.row()));
        return out;
    }
}
