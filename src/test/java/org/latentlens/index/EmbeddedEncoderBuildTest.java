package org.latentlens.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlens.LatentLens;
import org.latentlens.model.Model;
import org.latentlens.tokenizer.TextTokenizer;

/** A build with a real model and tokenizer: the embedded all-MiniLM-L6-v2 (a BERT encoder). */
class EmbeddedEncoderBuildTest {
    @TempDir
    Path tmp;

    @Test
    void encoderBuildSkipsSpecialTokensAndDoesNotDependOnBatching() throws Exception {
        List<String> corpus = List.of("The bank raised interest rates.", "We sat on the river bank.",
                "A short one.", "The bank raised interest rates.", "Money in the bank earns interest over many long years.");
        try (Model m = LatentLens.loadModel("embedded")) {
            assertFalse(m.isCausal());
            TextTokenizer tok = m.tokenizer();
            BuildOptions.Builder b = BuildOptions.builder().optLayers(2, m.numLayers()).optShowProgress(false)
                    .optDtype(StorageType.FLOAT32);
            ContextualIndex one = IndexBuilder.build(m, corpus, b.optBatchSize(1).build(), tmp.resolve("b1"));
            ContextualIndex all = IndexBuilder.build(m, corpus, b.optBatchSize(5).build(), tmp.resolve("b5"));
            int expected = 0;
            List<String> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(corpus));
            for (String s : distinct) {
                for (long id : tok.encode(s).ids()) {
                    expected += tok.isSpecial(id) ? 0 : 1;
                }
            }
            assertEquals(expected, one.rows(2), "every non-special token of each distinct sentence (cap not reached)");
            for (int r = 0; r < one.rows(2); r++) {
                RowInfo ri = one.row(2, r);
                assertFalse(tok.isSpecial(ri.tokenId()), ri.toString());
                assertEquals(ri, all.row(2, r));
                float[] x = one.vector(m.numLayers(), r);
                float[] y = all.vector(m.numLayers(), r);
                for (int d = 0; d < x.length; d++) {
                    // right padding: a sentence's states are the same alone or in a padded batch
                    assertEquals(x[d], y[d], 1e-4, "row " + r + " dim " + d);
                }
            }
            // searching a stored row's own hidden state finds it
            Neighbor top = one.search(one.vector(2, 3), 1, 2).get(0).get(0);
            assertEquals(one.row(2, 3).caption(), top.caption());
            assertEquals(one.row(2, 3).position(), top.position());
            assertTrue(top.similarity() > 0.9999f);
        }
    }
}
