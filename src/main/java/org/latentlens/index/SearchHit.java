package org.latentlens.index;

/**
 * One raw search result: which stored row matched and how well.
 *
 * @param layer the layer (hidden-state index) the row belongs to
 * @param row the row's index within that layer
 * @param similarity the cosine similarity with the (normalised) query
 */
public record SearchHit(int layer, int row, float similarity) {

    /**
     * The result order: higher similarity first; equal similarities by lower layer, then lower row, so
     * that results never depend on thread scheduling.
     *
     * @param simA similarity of hit a
     * @param layerA layer of hit a
     * @param rowA row of hit a
     * @param simB similarity of hit b
     * @param layerB layer of hit b
     * @param rowB row of hit b
     * @return negative when hit a ranks before hit b
     */
    static int compare(float simA, int layerA, int rowA, float simB, int layerB, int rowB) {
        int c = Float.compare(simB, simA);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(layerA, layerB);
        return c != 0 ? c : Integer.compare(rowA, rowB);
    }
}
