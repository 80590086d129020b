package org.latentlens.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Import of the original Python format, checked against {@code latentlens-pt/expected.json}. */
class PythonImportTest {
    static final Path FIXTURE = Path.of("src/test/resources/latentlens-pt");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"", "variants/torch-1.13"})
    void readsRowsMetadataAndNormalises(String variant) throws Exception {
        Path dir = FIXTURE.resolve(variant);
        JsonNode exp = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        ContextualIndex index = ContextualIndex.fromDirectory(dir);
        assertEquals(List.of(1, 2), index.layers());
        assertEquals(8, index.hiddenSize());
        for (String l : List.of("1", "2")) {
            JsonNode layer = exp.get("layers").get(l);
            JsonNode norm = layer.get("embeddings").get("l2_normalized_float32");
            for (int r = 0; r < norm.size(); r++) {
                float[] v = index.vector(Integer.parseInt(l), r);
                for (int d = 0; d < 8; d++) {
                    assertEquals(norm.get(r).get(d).floatValue(), v[d], 1e-6, "layer " + l + " row " + r + " dim " + d);
                }
                JsonNode m = layer.get("metadata").get(r);
                RowInfo info = index.row(Integer.parseInt(l), r);
                assertEquals(m.get("token_str").asText(), info.tokenStr());
                assertEquals(m.get("caption").asText(), info.caption());
                assertEquals(m.get("position").asInt(), info.position());
                assertEquals(m.get("token_id").asInt(), info.tokenId());
            }
        }
        assertWorkedSearch(index, exp.get("search_example"));
    }

    static void assertWorkedSearch(ContextualIndex index, JsonNode ex) {
        JsonNode q = ex.get("query");
        float[][] queries = new float[q.size()][];
        for (int t = 0; t < q.size(); t++) {
            queries[t] = new float[q.get(t).size()];
            for (int d = 0; d < queries[t].length; d++) {
                queries[t][d] = q.get(t).get(d).floatValue();
            }
        }
        int k = ex.get("top_k").asInt();
        List<List<Neighbor>> got = index.search(queries, k);
        JsonNode results = ex.get("results");
        assertEquals(results.size(), got.size());
        for (int t = 0; t < results.size(); t++) {
            assertEquals(results.get(t).size(), got.get(t).size());
            for (int i = 0; i < results.get(t).size(); i++) {
                JsonNode e = results.get(t).get(i);
                Neighbor n = got.get(t).get(i);
                String where = "query " + t + " rank " + i;
                assertEquals(e.get("similarity").floatValue(), n.similarity(), 2e-6, where);
                assertEquals(e.get("contextual_layer").asInt(), n.contextualLayer(), where);
                assertEquals(e.get("token_str").asText(), n.tokenStr(), where);
                assertEquals(e.get("caption").asText(), n.caption(), where);
                assertEquals(e.get("position").asInt(), n.position(), where);
                assertEquals(e.get("token_id").asInt(), n.tokenId(), where);
            }
        }
        // and the raw hits name the same rows
        List<List<SearchHit>> hits = index.searchHits(flat(queries), queries.length, k);
        for (int t = 0; t < results.size(); t++) {
            for (int i = 0; i < results.get(t).size(); i++) {
                assertEquals(results.get(t).get(i).get("row").asInt(), hits.get(t).get(i).row());
            }
        }
    }

    static float[] flat(float[][] q) {
        float[] f = new float[q.length * q[0].length];
        for (int t = 0; t < q.length; t++) {
            System.arraycopy(q[t], 0, f, t * q[0].length, q[0].length);
        }
        return f;
    }

    @Test
    void importedIndexSurvivesSaveAndOpen() throws Exception {
        JsonNode exp = new ObjectMapper().readTree(FIXTURE.resolve("expected.json").toFile());
        ContextualIndex index = ContextualIndex.fromDirectory(FIXTURE);
        Path out = tmp.resolve("imported");
        index.save(out, StorageType.FLOAT32);
        try (ContextualIndex opened = ContextualIndex.open(out)) {
            opened.verify();
            assertWorkedSearch(opened, exp.get("search_example"));
            // captions and token strings are stored once
            assertEquals(3, opened.sentences().size());
            assertEquals(6, opened.tokenStrings().size());
        }
    }

    @Test
    void streamingImportWritesTheSameIndex() throws Exception {
        for (StorageType t : StorageType.values()) {
            Path a = tmp.resolve("mem-" + t);
            Path b = tmp.resolve("stream-" + t);
            ContextualIndex.fromDirectory(FIXTURE).save(a, t);
            ContextualIndex.importPython(FIXTURE, b, t);
            IndexFormatTest.assertSameTree(a, b);
        }
        Path one = tmp.resolve("one");
        ContextualIndex.importPython(FIXTURE.resolve("variants/torch-1.13"), one, StorageType.FLOAT32, 2);
        assertEquals(List.of(2), ContextualIndex.open(one).layers());
    }

    @Test
    void selectsLayersAndReportsMissingOnes() throws Exception {
        assertEquals(List.of(2), ContextualIndex.fromDirectory(FIXTURE, 2).layers());
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> ContextualIndex.fromDirectory(tmp));
        assertTrue(e.getMessage().contains("No embeddings_cache.pt"), e.getMessage());
        e = assertThrows(FileNotFoundException.class, () -> ContextualIndex.fromDirectory(FIXTURE, 7));
        assertTrue(e.getMessage().contains("layer_7") && e.getMessage().contains("[1, 2]"), e.getMessage());
        Files.createDirectories(tmp.resolve("x"));
        // opening a Python-format directory as our format explains what to do
        Exception ne = assertThrows(java.nio.file.NoSuchFileException.class, () -> ContextualIndex.open(FIXTURE));
        assertTrue(ne.getMessage().contains("latentlens import"), ne.getMessage());
    }
}
