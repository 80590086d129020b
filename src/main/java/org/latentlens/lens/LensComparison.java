package org.latentlens.lens;

import java.util.ArrayList;
import java.util.List;
import org.latentlens.index.ContextualIndex;
import org.latentlens.model.Model;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The three lenses side by side on the same hidden states, as one long Tablesaw table with columns
 * token, position, layer, lens, rank, entry and score ({@code table.write().csv(file)} exports it).
 * A lens that does not apply (the Logit Lens on an encoder) contributes no rows; the table's name says so.
 */
public final class LensComparison {
    private LensComparison() {
    }

    /**
     * @param model the model
     * @param index a contextual index of the same model, or null to leave LatentLens out
     * @param text the text to read
     * @param topK entries per token, layer and lens
     * @param layers hidden-state indices; none means every layer
     * @return the comparison table
     */
    public static Table compare(Model model, ContextualIndex index, String text, int topK, int... layers) {
        TokenStates in = TokenStates.ofText(model, text);
        List<LensResult> results = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        if (index != null) {
            results.add(new ContextualLens(index).read(in, topK, layers));
        }
        LogitLens logit = new LogitLens(model);
        if (logit.applies()) {
            results.add(logit.read(in, topK, layers));
        } else {
            skipped.add(logit.whyNot());
        }
        try (EmbeddingLens emb = new EmbeddingLens(model)) {
            results.add(emb.read(in, topK, layers));
        }
        return table(results, skipped.isEmpty() ? "compare: " + text : "compare: " + text + " (" + String.join("; ", skipped) + ")");
    }

    /**
     * @param results lens readings of the same tokens
     * @param name the table's name
     * @return the long-format table
     */
    public static Table table(List<LensResult> results, String name) {
        StringColumn token = StringColumn.create("token");
        IntColumn position = IntColumn.create("position");
        IntColumn layer = IntColumn.create("layer");
        StringColumn lens = StringColumn.create("lens");
        IntColumn rank = IntColumn.create("rank");
        StringColumn entry = StringColumn.create("entry");
        DoubleColumn score = DoubleColumn.create("score");
        for (LensResult r : results) {
            for (int l : r.layers()) {
                for (int t = 0; t < r.tokens().size(); t++) {
                    for (LensEntry e : r.at(l, t)) {
                        token.append(r.tokens().get(t));
                        position.append(t);
                        layer.append(l);
                        lens.append(r.lens());
                        rank.append(e.rank());
                        entry.append(e.display());
                        score.append(e.score());
                    }
                }
            }
        }
        return Table.create(name, token, position, layer, lens, rank, entry, score);
    }
}
