package org.latentlens.lens;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latentlens.index.ContextualIndex;
import org.latentlens.index.Neighbor;

/**
 * LatentLens itself: each hidden state's nearest neighbours among contextual token embeddings of the
 * same model, searched in every layer of the index and merged across them (the original's cross-layer
 * merge), so a visual or late-layer token may find its best match at any depth of the text model.
 */
public final class ContextualLens implements Lens {
    private final ContextualIndex index;
    private final int[] indexLayers;
    private final boolean distinctContexts;

    /**
     * @param index a contextual index built from the same model
     * @param indexLayers contextual layers to search (merged); none means all of the index's layers
     */
    public ContextualLens(ContextualIndex index, int... indexLayers) {
        this(index, false, indexLayers);
    }

    private ContextualLens(ContextualIndex index, boolean distinctContexts, int... indexLayers) {
        this.index = index;
        this.indexLayers = indexLayers.clone();
        this.distinctContexts = distinctContexts;
    }

    /**
     * A variant that shows each stored context (sentence and position) once: the merged search often returns the
     * same token of the same sentence from several index layers, which says little new. The best-scoring layer
     * is kept. Similarities and order are otherwise those of the plain search.
     *
     * @return the variant
     */
    public ContextualLens distinctContexts() {
        return new ContextualLens(index, true, indexLayers);
    }

    @Override
    public String name() {
        return "LatentLens";
    }

    @Override
    public LensResult read(TokenStates input, int topK, int... layers) {
        if (input.hiddenSize() != index.hiddenSize()) {
            throw new IllegalArgumentException("the index holds " + index.hiddenSize() + "-dimensional embeddings but the "
                    + "model's hidden size is " + input.hiddenSize() + ": build the index with the same model");
        }
        int[] ls = input.layers(layers);
        Map<Integer, List<List<LensEntry>>> out = new LinkedHashMap<>();
        for (int layer : ls) {
            int searchLayers = indexLayers.length == 0 ? index.layers().size() : indexLayers.length;
            int k = distinctContexts ? topK * searchLayers : topK;
            List<List<Neighbor>> hits = index.search(input.vectors(layer), k, indexLayers);
            List<List<LensEntry>> perToken = new ArrayList<>();
            for (List<Neighbor> h : hits) {
                List<LensEntry> entries = new ArrayList<>();
                java.util.Set<String> seen = new java.util.HashSet<>();
                int r = 1;
                for (Neighbor n : h) {
                    if (distinctContexts && (!seen.add(n.caption() + "\u0000" + n.position()) || entries.size() == topK)) {
                        continue;
                    }
                    entries.add(new LensEntry(r++, n.tokenStr(), n.similarity(), n.tokenId(), Double.NaN, n.caption(),
                            n.position(), n.contextualLayer()));
                }
                perToken.add(entries);
            }
            out.put(layer, perToken);
        }
        return new LensResult(name(), LogitLens.labels(input), LogitLens.ids(input), ls, out, List.of());
    }
}
