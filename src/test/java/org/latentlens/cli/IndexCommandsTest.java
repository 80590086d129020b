package org.latentlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlens.index.ContextualIndex;
import org.latentlens.index.Neighbor;
import org.latentlens.index.StorageType;

/** bench make-bank / bench search / import through the command line. */
class IndexCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void benchSearchWritesTheMergedTopKOfEveryQuery() throws Exception {
        Path bank = tmp.resolve("bank");
        assertEquals(0, Main.run("bench", "make-bank", "--n", "300", "--d", "32", "--layers", "2", "--t", "5", "--seed", "3",
                "--out", bank.toString()));
        Path json = tmp.resolve("out.json");
        assertEquals(0, Main.run("bench", "search", "--bank", bank.toString(), "--runs", "1", "--top-k", "4", "--json",
                json.toString()));
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        assertEquals(5, r.get("layer").size());
        assertEquals(4, r.get("row").get(0).size());
        // same answer as the index API on the mapped bank, in brute-force order
        ContextualIndex idx = BenchSearchCommand.openBank(bank);
        float[] q = BenchSearchCommand.readFloats(bank.resolve("queries.f32"), 32);
        for (int t = 0; t < 5; t++) {
            float[] qt = java.util.Arrays.copyOfRange(q, t * 32, t * 32 + 32);
            ContextualIndex.normalize(qt, 0, 32);
            double prev = Double.POSITIVE_INFINITY;
            for (int i = 0; i < 4; i++) {
                int layer = r.get("layer").get(t).get(i).asInt();
                int row = r.get("row").get(t).get(i).asInt();
                float[] v = idx.vector(layer, row);
                double s = 0;
                for (int d = 0; d < 32; d++) {
                    s += (double) qt[d] * v[d];
                }
                assertEquals(s, r.get("sim").get(t).get(i).asDouble(), 1e-5);
                assertTrue(s <= prev + 1e-6);
                prev = s;
            }
        }
        // the same bank saved as an index searches the same through --index/--queries
        Path index = tmp.resolve("index");
        idx.save(index, StorageType.FLOAT32);
        Path json2 = tmp.resolve("out2.json");
        assertEquals(0, Main.run("bench", "search", "--index", index.toString(), "--queries",
                bank.resolve("queries.f32").toString(), "--runs", "1", "--top-k", "4", "--json", json2.toString()));
        assertEquals(r, new ObjectMapper().readTree(json2.toFile()));
    }

    @Test
    void importConvertsThePythonFormat() throws Exception {
        Path out = tmp.resolve("imported");
        assertEquals(0, Main.run("import", "--from", "src/test/resources/latentlens-pt", "--out", out.toString(),
                "--dtype", "float32"));
        try (ContextualIndex idx = ContextualIndex.open(out)) {
            assertEquals(List.of(1, 2), idx.layers());
            JsonNode ex = new ObjectMapper().readTree(Path.of("src/test/resources/latentlens-pt/expected.json").toFile())
                    .get("search_example");
            float[] q0 = new float[8];
            for (int d = 0; d < 8; d++) {
                q0[d] = ex.get("query").get(0).get(d).floatValue();
            }
            Neighbor top = idx.search(q0, 1).get(0).get(0);
            assertEquals(ex.get("results").get(0).get(0).get("token_str").asText(), top.tokenStr());
            assertEquals(ex.get("results").get(0).get(0).get("similarity").floatValue(), top.similarity(), 2e-6);
        }
        assertTrue(Files.isRegularFile(out.resolve("index.json")));
        assertEquals(1, Main.run("import", "--from", tmp.resolve("missing").toString(), "--out", tmp.resolve("x").toString()));
    }

    @Test
    void corpusFilesFollowTheOriginalRules() throws Exception {
        Path txt = tmp.resolve("c.txt");
        Files.writeString(txt, "  one  \n\ntwo\n");
        assertEquals(List.of("one", "two"), BuildIndexCommand.readCorpus(txt));
        Path csv = tmp.resolve("c.csv");
        Files.writeString(csv, "text,label\n\"a, quoted\",1\nb,2\n,3\n");
        assertEquals(List.of("a, quoted", "b"), BuildIndexCommand.readCorpus(csv));
        Path headerless = tmp.resolve("h.csv");
        Files.writeString(headerless, "first,1\nsecond,2\n");
        assertEquals(List.of("first", "second"), BuildIndexCommand.readCorpus(headerless));
    }
}
