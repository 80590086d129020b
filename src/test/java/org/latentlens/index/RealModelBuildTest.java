package org.latentlens.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlens.LatentLens;
import org.latentlens.TestFixtures;
import org.latentlens.lens.ContextualLens;
import org.latentlens.lens.LensEntry;
import org.latentlens.lens.LensResult;
import org.latentlens.lens.TokenStates;
import org.latentlens.model.LoadOptions;
import org.latentlens.model.Model;
import org.latentlens.model.ModelLoader;

/**
 * Index builds on real models with real tokenizers: the embedded MiniLM encoder (WordPiece, [CLS]/[SEP]) and
 * the Llama fixture decoder with a HuggingFace WordLevel tokenizer.json that adds a BOS token.
 */
class RealModelBuildTest {

    static final List<String> WORDS = List.of("the", "cat", "sat", "on", "mat", "jumped", "high", "dog", "ran",
            "a", "bank", "river", "raised", "rates", ".");

    /** A real tokenizer.json (WordLevel model, lower-casing, whitespace split, BOS template) sized for the fixture. */
    static Path llamaWithTokenizer(Path dir) throws IOException {
        Path src = TestFixtures.tinyModel("llama");
        Files.copy(src.resolve("config.json"), dir.resolve("config.json"));
        Files.copy(src.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        StringBuilder vocab = new StringBuilder("\"<pad>\": 0, \"<s>\": 1, \"</s>\": 2, \"<unk>\": 3");
        for (int i = 0; i < WORDS.size(); i++) {
            vocab.append(", \"").append(WORDS.get(i)).append("\": ").append(10 + i * 7);
        }
        String added = Stream.of("<pad>:0", "<s>:1", "</s>:2", "<unk>:3").map(s -> {
            String[] p = s.split(":");
            return "{\"id\": " + p[1] + ", \"content\": \"" + p[0] + "\", \"single_word\": false, \"lstrip\": false, "
                    + "\"rstrip\": false, \"normalized\": false, \"special\": true}";
        }).reduce((a, b) -> a + ", " + b).orElseThrow();
        String json = "{\"version\": \"1.0\", \"truncation\": null, \"padding\": null, \"added_tokens\": [" + added + "], "
                + "\"normalizer\": {\"type\": \"Lowercase\"}, \"pre_tokenizer\": {\"type\": \"Whitespace\"}, "
                + "\"post_processor\": {\"type\": \"TemplateProcessing\", "
                + "\"single\": [{\"SpecialToken\": {\"id\": \"<s>\", \"type_id\": 0}}, {\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}], "
                + "\"pair\": [{\"SpecialToken\": {\"id\": \"<s>\", \"type_id\": 0}}, {\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}, "
                + "{\"Sequence\": {\"id\": \"B\", \"type_id\": 1}}], "
                + "\"special_tokens\": {\"<s>\": {\"id\": \"<s>\", \"ids\": [1], \"tokens\": [\"<s>\"]}}}, "
                + "\"decoder\": null, \"model\": {\"type\": \"WordLevel\", \"vocab\": {" + vocab + "}, \"unk_token\": \"<unk>\"}}";
        Files.writeString(dir.resolve("tokenizer.json"), json);
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"bos_token\": \"<s>\", \"eos_token\": \"</s>\", \"pad_token\": \"<pad>\", \"padding_side\": \"left\"}");
        return dir;
    }

    static Map<Integer, List<String>> rows(ContextualIndex index) {
        Map<Integer, List<String>> out = new LinkedHashMap<>();
        for (int layer : index.layers()) {
            List<String> l = new ArrayList<>();
            for (int r = 0; r < index.rows(layer); r++) {
                RowInfo ri = index.row(layer, r);
                l.add(ri.tokenStr().strip() + "@" + ri.position() + ":" + ri.caption());
            }
            out.put(layer, l);
        }
        return out;
    }

    @Test
    void decoderPrefixDedupSkipsBosAndKeepsPaddingOutOfIt(@TempDir Path tmp) throws IOException {
        Path model = llamaWithTokenizer(Files.createDirectory(tmp.resolve("model")));
        List<String> corpus = List.of("the cat sat on the mat", "the cat jumped high", "the cat sat on the mat",
                "a dog ran .");
        try (Model m = ModelLoader.load(model, LoadOptions.defaults())) {
            assertEquals(1, m.tokenizer().encode("the cat").ids()[0], "the tokenizer adds BOS");
            BuildOptions opts = BuildOptions.builder().optLayers(1, 3).optBatchSize(3).build();
            ContextualIndex index = IndexBuilder.build(m, corpus, opts, tmp.resolve("a"));
            List<String> rows = rows(index).get(1);
            // BOS never stored; "the@1" and "cat@2" of sentence 2 share sentence 1's prefix; sentence 3 repeats sentence 1
            assertEquals(List.of("the@1:the cat sat on the mat", "cat@2:the cat sat on the mat", "sat@3:the cat sat on the mat",
                    "on@4:the cat sat on the mat", "the@5:the cat sat on the mat", "mat@6:the cat sat on the mat",
                    "jumped@3:the cat jumped high", "high@4:the cat jumped high", "a@1:a dog ran .", "dog@2:a dog ran .",
                    "ran@3:a dog ran .", ".@4:a dog ran ."), rows);
            assertEquals(rows, rows(index).get(3));
            // batch composition (and so padding) does not change a single byte
            ContextualIndex one = IndexBuilder.build(m, corpus, opts.toBuilder().optBatchSize(1).build(), tmp.resolve("b"));
            assertEquals(rows(index), rows(one));
            // vectors agree to float16 resolution (BLAS may sum in another order for another batch shape)
            for (int layer : index.layers()) {
                for (int row = 0; row < index.rows(layer); row++) {
                    float[] a = index.vector(layer, row);
                    float[] b = one.vector(layer, row);
                    for (int j = 0; j < a.length; j++) {
                        assertEquals(a[j], b[j], 2e-3, "layer " + layer + " row " + row);
                    }
                }
            }
            // the cap is per token id: with 1 context per token, "the" and "cat" are stored once
            ContextualIndex capped = IndexBuilder.build(m, corpus,
                    opts.toBuilder().optMaxContextsPerToken(1).build(), tmp.resolve("c"));
            long the = rows(capped).get(1).stream().filter(s -> s.startsWith("the@")).count();
            assertEquals(1, the);
            // LatentLens on the index finds the sentence's own rows at similarity 1
            LensResult r = new ContextualLens(index).read(TokenStates.ofText(m, "the cat jumped high"), 1, 3);
            for (int p = 1; p < 5; p++) {
                LensEntry top = r.at(3, p).get(0);
                assertEquals(1.0, top.score(), 1e-4);
                assertEquals(p, top.captionPosition());
            }
        }
    }

    @Test
    void encoderStoresEveryRealPositionOnceAndNoClsOrSep(@TempDir Path tmp) throws IOException {
        List<String> corpus = List.of("The bank raised interest rates.", "She sat on the bank of the river.",
                "The bank raised interest rates.");
        try (Model m = LatentLens.loadModel("embedded")) {
            List<long[]> updates = new ArrayList<>();
            BuildOptions opts = BuildOptions.builder().optLayers(2, 6).optBatchSize(2)
                    .optProgress((done, total, tps, r) -> updates.add(new long[] {done, total, r})).build();
            ContextualIndex index = LatentLens.buildIndex(m, corpus, opts, tmp.resolve("idx"));
            List<String> rows = rows(index).get(6);
            assertFalse(rows.stream().anyMatch(s -> s.startsWith("[CLS]") || s.startsWith("[SEP]")), rows.toString());
            int expected = m.tokenizer().encode(corpus.get(0)).length() - 2 + m.tokenizer().encode(corpus.get(1)).length() - 2;
            assertEquals(expected, rows.size(), "the repeated sentence adds nothing: " + rows);
            assertEquals(2, updates.size(), "one progress update per batch");
            assertArrayEquals(new long[] {3, 3, expected}, updates.get(1));
            assertTrue(rows.contains("bank@2:The bank raised interest rates."));
            assertTrue(rows.contains("bank@5:She sat on the bank of the river."));
            LensResult r = new ContextualLens(index).read(TokenStates.ofText(m, corpus.get(1)), 1, 6);
            LensEntry bank = r.at(6, 5).get(0);
            assertEquals("bank", bank.display().strip());
            assertEquals(1.0, bank.score(), 1e-4);
            assertEquals(corpus.get(1), bank.caption());
        }
    }
}
