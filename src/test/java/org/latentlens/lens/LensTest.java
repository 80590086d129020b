package org.latentlens.lens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.latentlens.TestFixtures;
import org.latentlens.index.ContextualIndex;
import org.latentlens.index.RowInfo;
import org.latentlens.model.ForwardOptions;
import org.latentlens.model.HiddenStates;
import org.latentlens.model.LoadOptions;
import org.latentlens.model.Model;
import org.latentlens.model.ModelLoader;
import org.latentlens.model.TokenBatch;
import tech.tablesaw.api.Table;

/** The three lenses on the fixture models, checked against the model's own outputs. */
class LensTest {
    static final long[] IDS = {17, 230, 5, 411, 99, 230, 64};

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "gemma2", "phi3"})
    void logitLensAtLastLayerIsTheModelsOwnSoftmax(String name) {
        try (Model m = ModelLoader.load(TestFixtures.tinyModel(name), LoadOptions.defaults())) {
            HiddenStates hs = m.hiddenStates(TokenBatch.of(IDS), ForwardOptions.builder().optLogits(true).build());
            float[] logits = hs.logits().orElseThrow();
            int v = m.vocabSize();
            LensResult r = new LogitLens(m).read(TokenStates.ofTokens(m, IDS), 5, m.numLayers(), 1);
            for (int t = 0; t < IDS.length; t++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < v; j++) {
                    max = Math.max(max, logits[t * v + j]);
                }
                double sum = 0;
                for (int j = 0; j < v; j++) {
                    sum += Math.exp(logits[t * v + j] - max);
                }
                List<LensEntry> top = r.at(m.numLayers(), t);
                assertEquals(5, top.size());
                for (LensEntry e : top) {
                    double want = Math.exp(logits[t * v + (int) e.tokenId()] - max) / sum;
                    assertEquals(want, e.score(), 1e-5, "probability of " + e.tokenId());
                    assertEquals(logits[t * v + (int) e.tokenId()], e.logit(), 1e-4);
                }
                // the top entry is the model's argmax
                int argmax = 0;
                for (int j = 1; j < v; j++) {
                    if (logits[t * v + j] > logits[t * v + argmax]) {
                        argmax = j;
                    }
                }
                assertEquals(argmax, top.get(0).tokenId());
                for (int i = 1; i < top.size(); i++) {
                    assertTrue(top.get(i - 1).score() >= top.get(i).score());
                }
            }
            // an intermediate layer goes through the final norm: different from the last layer's reading
            assertFalse(r.at(1, 0).equals(r.at(m.numLayers(), 0)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "gemma2", "olmo"})
    void embeddingLensAtLayerZeroFindsEachTokenItself(String name) {
        try (Model m = ModelLoader.load(TestFixtures.tinyModel(name), LoadOptions.defaults());
             EmbeddingLens lens = new EmbeddingLens(m)) {
            LensResult r = lens.read(TokenStates.ofTokens(m, IDS), 3, 0);
            for (int t = 0; t < IDS.length; t++) {
                LensEntry top = r.at(0, t).get(0);
                assertEquals(IDS[t], top.tokenId(), "token " + t);
                assertEquals(1.0, top.score(), 1e-5);
            }
        }
    }

    @Test
    void latentLensFindsTheSentencesOwnRowsAtSimilarityOne() {
        try (Model m = ModelLoader.load(TestFixtures.tinyModel("qwen3"), LoadOptions.defaults())) {
            HiddenStates hs = m.hiddenStates(TokenBatch.of(IDS));
            Map<Integer, float[]> vectors = new HashMap<>();
            Map<Integer, List<RowInfo>> rows = new HashMap<>();
            for (int layer : new int[] {1, 2}) {
                vectors.put(layer, hs.state(layer).clone());
                List<RowInfo> info = new ArrayList<>();
                for (int p = 0; p < IDS.length; p++) {
                    info.add(new RowInfo("#" + IDS[p], (int) IDS[p], "the fixture sentence", p));
                }
                rows.put(layer, info);
            }
            ContextualIndex index = ContextualIndex.of(m.hiddenSize(), vectors, rows);
            LensResult r = new ContextualLens(index).read(TokenStates.ofTokens(m, IDS), 3, 1, 2);
            for (int layer : new int[] {1, 2}) {
                for (int p = 0; p < IDS.length; p++) {
                    LensEntry top = r.at(layer, p).get(0);
                    assertEquals(1.0, top.score(), 1e-5);
                    assertEquals(layer, top.contextualLayer(), "its own layer matches best");
                    if (p != 5) { // token 230 occurs twice; its contexts differ, so each position finds its own row
                        assertEquals(p, top.captionPosition());
                    }
                    assertEquals(IDS[p], top.tokenId());
                }
            }
        }
    }

    @Test
    void compareTableAndEncoderWithoutLmHead() {
        try (Model m = ModelLoader.load(TestFixtures.tinyModel("bert"), LoadOptions.defaults())) {
            LogitLens logit = new LogitLens(m);
            assertFalse(logit.applies());
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> logit.read(TokenStates.ofTokens(m, 5, 6, 7), 3));
            assertTrue(e.getMessage().contains("does not apply"));
        }
        try (Model m = ModelLoader.load(TestFixtures.tinyModel("llama"), LoadOptions.defaults());
             EmbeddingLens emb = new EmbeddingLens(m)) {
            TokenStates in = TokenStates.ofTokens(m, IDS);
            Table t = LensComparison.table(List.of(new LogitLens(m).read(in, 2, 1, 3), emb.read(in, 2, 1, 3)), "x");
            assertEquals(List.of("token", "position", "layer", "lens", "rank", "entry", "score"), t.columnNames());
            assertEquals(2 * 2 * IDS.length * 2, t.rowCount());
            assertTrue(t.write().toString("csv").startsWith("token,position,layer,lens,rank,entry,score"));
        }
    }

    @Test
    void rawVectorsAreReadAsTheirLayer() {
        try (Model m = ModelLoader.load(TestFixtures.tinyModel("llama"), LoadOptions.defaults())) {
            HiddenStates hs = m.hiddenStates(TokenBatch.of(IDS), ForwardOptions.builder().optLogits(true).build());
            float[][] v = {hs.vector(m.numLayers(), 0, 2)};
            LensResult r = new LogitLens(m).read(TokenStates.ofVectors(m, v, m.numLayers(), List.of("x")), 1);
            LensResult direct = new LogitLens(m).read(TokenStates.ofTokens(m, IDS), 1, m.numLayers());
            assertEquals(direct.at(m.numLayers(), 2).get(0).tokenId(), r.at(m.numLayers(), 0).get(0).tokenId());
            assertThrows(IllegalArgumentException.class,
                    () -> TokenStates.ofVectors(m, new float[][] {new float[3]}, 1, null));
        }
    }
}
