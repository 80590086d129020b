package org.latentlens.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Index building with a deterministic test-double model. */
class IndexBuilderTest {
    @TempDir
    Path tmp;

    static List<String> corpus() {
        Random r = new Random(17);
        String[] words = {"the", "cat", "dog", "sat", "on", "mat", "ran", "far", "a", "big", "red", "bank", "river",
            "money", "rates", "rose", "fell", "quick", "brown", "fox"};
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            int n = 3 + r.nextInt(8);
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < n; j++) {
                sb.append(j == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
            }
            out.add(sb.toString());
        }
        out.add(out.get(5)); // an exact repeat
        return out;
    }

    static BuildOptions killOptions() {
        return BuildOptions.builder().optLayers(1, 3, 4).optBatchSize(7).optMaxContextsPerToken(6).optShowProgress(false).build();
    }

    private static BuildOptions.Builder quiet() {
        return BuildOptions.builder().optShowProgress(false);
    }

    @Test
    void autoLayersMatchTheOriginal() {
        assertArrayEquals(new int[] {1, 2, 4, 8, 16, 24, 30, 31}, BuildOptions.autoLayers(32));
        assertArrayEquals(new int[] {1, 2, 4, 8, 16, 24, 26, 27}, BuildOptions.autoLayers(28));
        assertArrayEquals(new int[] {1, 2, 4, 8, 10, 11}, BuildOptions.autoLayers(12));
        assertArrayEquals(new int[] {1, 2, 4, 5}, BuildOptions.autoLayers(6));
        assertArrayEquals(new int[] {1, 2, 4, 8, 16, 24, 40, 41}, BuildOptions.autoLayers(42));
        assertArrayEquals(new int[] {0, 1}, BuildOptions.autoLayers(2));
        assertArrayEquals(new int[] {0}, BuildOptions.autoLayers(1));
    }

    @Test
    void optionsNameTheBadField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> quiet().optBatchSize(0).build()).getMessage().startsWith("batchSize"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> quiet().optMaxLength(-1).build()).getMessage().startsWith("maxLength"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> quiet().optMaxContextsPerToken(0).build()).getMessage()
                .startsWith("maxContextsPerToken"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> quiet().optLayers(1, 1).build()).getMessage().startsWith("layers"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IndexBuilder.build(new FakeModel(true, 4, 8), List.of("a b"), quiet().optLayers(5).build(), tmp.resolve("x")));
        assertTrue(e.getMessage().contains("layers: 5") && e.getMessage().contains("0..4"), e.getMessage());
    }

    private static List<RowInfo> rows(ContextualIndex idx, int layer) {
        List<RowInfo> out = new ArrayList<>();
        for (int r = 0; r < idx.rows(layer); r++) {
            out.add(idx.row(layer, r));
        }
        return out;
    }

    @Test
    void causalPrefixDedupSkipsSpecialTokensAndStoresTheRightStates() throws Exception {
        FakeModel m = new FakeModel(true, 4, 16);
        List<String> c = List.of("the cat sat on the mat", "the cat jumped high", "the cat sat on the mat");
        ContextualIndex idx = IndexBuilder.build(m, c, quiet().optLayers(2, 4).optDtype(StorageType.FLOAT32).build(),
                tmp.resolve("i"));
        List<RowInfo> r = rows(idx, 2);
        // sentence 1: every word (BOS skipped); sentence 2: only the new prefixes; sentence 3: nothing
        List<String> words = r.stream().map(x -> x.tokenStr()).toList();
        assertEquals(8, r.size(), words.toString());
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 3, 4), r.stream().map(RowInfo::position).toList());
        assertEquals("the cat jumped high", r.get(6).caption());
        assertEquals(FakeModel.wordId("jumped"), r.get(6).tokenId());
        assertEquals(" w" + FakeModel.wordId("jumped"), r.get(6).tokenStr());
        assertEquals(rows(idx, 2), rows(idx, 4));
        // the stored vector is the normalised state of that very (sentence, position, layer)
        long[] ids = FakeModel.TOKENIZER.encode("the cat jumped high").ids();
        float[] want = m.state(ids, 3, 4);
        ContextualIndex.normalize(want, 0, want.length);
        assertArrayEquals(want, idx.vector(4, 6));
        // and searching for it finds it
        Neighbor top = idx.search(want, 1, 4).get(0).get(0);
        assertEquals("the cat jumped high", top.caption());
        assertEquals(3, top.position());
        assertEquals(1.0f, top.similarity(), 1e-6);
        assertEquals("list", idx.info().corpusSource());
        assertEquals(IndexBuilder.sha256(c), idx.info().corpusSha256());
        assertEquals("fake-causal", idx.info().modelId());
        assertFalse(Files.exists(tmp.resolve("i").resolve(IndexBuilder.WORK_DIR)));
    }

    @Test
    void capIsPerTokenIdAndFirstComeFirstServed() throws Exception {
        List<String> c = List.of("a dog", "b dog", "b dog", "c dog", "dog", "d dog");
        ContextualIndex idx = IndexBuilder.build(new FakeModel(true, 2, 8), c, quiet().optLayers(1).optMaxContextsPerToken(2).build(),
                tmp.resolve("cap"));
        List<RowInfo> dogs = rows(idx, 1).stream().filter(x -> x.tokenId() == FakeModel.wordId("dog")).toList();
        assertEquals(2, dogs.size());
        assertEquals(List.of("a dog", "b dog"), dogs.stream().map(RowInfo::caption).toList());
        Map<Integer, Integer> perId = new HashMap<>();
        rows(idx, 1).forEach(x -> perId.merge(x.tokenId(), 1, Integer::sum));
        assertTrue(perId.values().stream().allMatch(n -> n <= 2));
    }

    @Test
    void originalPositionRuleSkipsPositionsZeroAndOne() throws Exception {
        ContextualIndex idx = IndexBuilder.build(new FakeModel(true, 2, 8), List.of("the cat sat on"),
                quiet().optLayers(1).optPositionRule(BuildOptions.PositionRule.SKIP_FIRST_TWO_POSITIONS).build(), tmp.resolve("o"));
        assertEquals(List.of(2, 3, 4), rows(idx, 1).stream().map(RowInfo::position).toList());
        ContextualIndex mine = IndexBuilder.build(new FakeModel(true, 2, 8), List.of("the cat sat on"),
                quiet().optLayers(1).build(), tmp.resolve("s"));
        assertEquals(List.of(1, 2, 3, 4), rows(mine, 1).stream().map(RowInfo::position).toList());
    }

    @Test
    void encodersDedupeSentencePositionPairsOnly() throws Exception {
        List<String> c = List.of("the cat sat", "the cat ran", "the cat sat");
        ContextualIndex idx = IndexBuilder.build(new FakeModel(false, 2, 8), c, quiet().optLayers(2).build(), tmp.resolve("e"));
        // no prefix dedup: "the cat" appears in both distinct sentences; the repeat adds nothing
        assertEquals(6, idx.rows(2));
        assertEquals(List.of("the cat sat", "the cat sat", "the cat sat", "the cat ran", "the cat ran", "the cat ran"),
                rows(idx, 2).stream().map(RowInfo::caption).toList());
    }

    @Test
    void overlongSentencesAreTruncatedAndCounted() throws Exception {
        ContextualIndex idx = IndexBuilder.build(new FakeModel(true, 2, 8), List.of("a b c d e f g h", "x y"),
                quiet().optLayers(1).optMaxLength(4).build(), tmp.resolve("t"));
        assertTrue(rows(idx, 1).stream().allMatch(x -> x.position() < 4));
        assertEquals(5, idx.rows(1));
        assertEquals(1, idx.info().options().get("truncatedSentences"));
    }

    @Test
    void batchSizeDoesNotChangeTheRows() throws Exception {
        List<String> c = corpus();
        ContextualIndex a = IndexBuilder.build(new FakeModel(true, 4, 24), c, quiet().optLayers(1, 4).optBatchSize(1).build(),
                tmp.resolve("b1"));
        ContextualIndex b = IndexBuilder.build(new FakeModel(true, 4, 24), c, quiet().optLayers(1, 4).optBatchSize(16).build(),
                tmp.resolve("b16"));
        for (String f : List.of("layer_1.vec", "layer_4.vec", "rows-0.rows", "sentences.str", "tokens.str")) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("b1/data-1").resolve(f)),
                    Files.readAllBytes(tmp.resolve("b16/data-1").resolve(f)), f);
        }
        assertEquals(a.rows(1), b.rows(1));
    }

    @Test
    void killedBuildResumesToAByteIdenticalIndex() throws Exception {
        Path reference = tmp.resolve("reference");
        IndexBuilder.build(new FakeModel(true, 4, 24), corpus(), "test-corpus", killOptions(), reference);
        int lastBatch = (corpus().size() + 6) / 7 - 1;
        for (String[] kill : List.of(new String[] {"rows", "4"}, new String[] {"checkpoint", "4"},
                new String[] {"checkpoint", String.valueOf(lastBatch)})) {
            String point = kill[0];
            int batch = Integer.parseInt(kill[1]);
            Path out = tmp.resolve("killed-" + point + "-" + batch);
            Process p = new ProcessBuilder(javaBin(), "--add-modules", "jdk.incubator.vector", "-cp",
                    System.getProperty("java.class.path"), BuildKillMain.class.getName(), out.toString(), kill[1], point)
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("child-" + point + "-" + batch + ".log").toFile()).start();
            Path marker = Path.of(out + ".killpoint");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(marker) && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(marker), "child never reached the kill point: "
                    + Files.readString(tmp.resolve("child-" + point + "-" + batch + ".log")));
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, p.exitValue());
            assertTrue(Files.exists(out.resolve(IndexBuilder.WORK_DIR).resolve("state.json")));
            assertFalse(Files.exists(out.resolve("index.json")), "no index may load before the build finishes");
            if (batch == lastBatch) {
                // as if the kill had come while publishing: an unpublished generation lies around
                Files.createDirectories(out.resolve("data-1"));
                Files.writeString(out.resolve("data-1/layer_1.vec"), "torn");
                Files.createDirectories(out.resolve(".tmp-data-1"));
            }
            // rerun: resumes after the last checkpoint and runs only the remaining batches
            FakeModel m = new FakeModel(true, 4, 24);
            IndexBuilder.build(m, corpus(), "test-corpus", killOptions(), out);
            int done = Math.min(corpus().size(), (point.equals("rows") ? batch : batch + 1) * 7);
            assertEquals(corpus().size() - done, m.sequencesRun.get());
            IndexFormatTest.assertSameTree(reference, out);
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java" + (File.separatorChar == '\\' ? ".exe" : "")).toString();
    }
}
