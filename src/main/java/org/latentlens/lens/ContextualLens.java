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

    /**
     * @param index a contextual index built from the same model
     * @param indexLayers contextual layers to search (merged); none means all of the index's layers
     */
    public ContextualLens(ContextualIndex index, int... indexLayers) {
        this.index = index;
        this.indexLayers = indexLayers.clone();
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
            List<List<Neighbor>> hits = index.search(input.vectors(layer), topK, indexLayers);
            List<List<LensEntry>> perToken = new ArrayList<>();
            for (List<Neighbor> h : hits) {
                List<LensEntry> entries = new ArrayList<>();
                int r = 1;
                for (Neighbor n : h) {
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
