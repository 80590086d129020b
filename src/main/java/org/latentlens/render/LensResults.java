package org.latentlens.render;

import java.util.ArrayList;
import java.util.List;
import org.latentlens.lens.LensResult;

/**
 * Turns the lens API's results into the read-outs the comparison views take.
 *
 * <pre>{@code
 * LensComparison view = LensComparison.of(LensResults.readouts(latent, logit, embedding));
 * }</pre>
 */
public final class LensResults {
    private LensResults() {
    }

    /**
     * @param results readings of the same tokens by one or more lenses
     * @return one read-out per (lens, layer, token)
     */
    public static List<LensReadout> readouts(LensResult... results) {
        List<LensReadout> out = new ArrayList<>();
        for (LensResult r : results) {
            for (int layer : r.layers()) {
                for (int t = 0; t < r.tokens().size(); t++) {
                    List<LensEntry> top = new ArrayList<>();
                    for (org.latentlens.lens.LensEntry e : r.at(layer, t)) {
                        top.add(new LensEntry(e.display(), e.score()));
                    }
                    out.add(new LensReadout(r.lens(), layer, t, r.tokens().get(t), top));
                }
            }
        }
        return out;
    }
}
