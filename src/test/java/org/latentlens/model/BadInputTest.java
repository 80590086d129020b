package org.latentlens.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlens.TestFixtures;
import org.latentlens.io.ConfigException;
import org.latentlens.io.MissingTensorException;
import org.latentlens.io.SafetensorsCheckpoint;
import org.latentlens.io.SafetensorsWriter;
import org.latentlens.io.TensorFormatException;

/** Bad input gets a clear exception naming the thing that is wrong. */
class BadInputTest {

    private static Path copyModel(String name, Path dir) throws IOException {
        Path src = TestFixtures.tinyModel(name);
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(src.resolve(f), dir.resolve(f));
        }
        return dir;
    }

    private static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message should contain '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void unknownModelTypeListsSupportedOnes(@TempDir Path dir) throws IOException {
        copyModel("llama", dir);
        Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json"))
                .replace("\"model_type\": \"llama\"", "\"model_type\": \"mamba\""));
        ConfigException e = assertThrows(ConfigException.class, () -> ModelLoader.load(dir, LoadOptions.defaults()));
        assertMessage(e, "mamba", "supported", "qwen2", "gemma3_text", "bert");
    }

    @Test
    void missingTensorIsNamed(@TempDir Path dir) throws IOException {
        Path src = TestFixtures.tinyModel("llama");
        Files.copy(src.resolve("config.json"), dir.resolve("config.json"));
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsCheckpoint cp = SafetensorsCheckpoint.openFolder(src)) {
            for (String n : cp.names()) {
                if (!n.equals("model.layers.1.mlp.down_proj.weight")) {
                    w.addFloats(n, cp.loadFloats(n), cp.info(n).shape());
                }
            }
        }
        w.write(dir.resolve("model.safetensors"));
        MissingTensorException e = assertThrows(MissingTensorException.class,
                () -> ModelLoader.load(dir, LoadOptions.defaults()));
        assertMessage(e, "model.layers.1.mlp.down_proj.weight");
    }

    @Test
    void shapeMismatchNamesTensorAndBothShapes(@TempDir Path dir) throws IOException {
        copyModel("llama", dir);
        Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json"))
                .replace("\"intermediate_size\": 128", "\"intermediate_size\": 96"));
        TensorFormatException e = assertThrows(TensorFormatException.class,
                () -> ModelLoader.load(dir, LoadOptions.defaults()));
        assertMessage(e, "gate_proj.weight", "[128, 64]", "[96, 64]");
    }

    @Test
    void truncatedSafetensorsIsDetectedAtOpen(@TempDir Path dir) throws IOException {
        copyModel("llama", dir);
        byte[] all = Files.readAllBytes(dir.resolve("model.safetensors"));
        Files.write(dir.resolve("model.safetensors"), java.util.Arrays.copyOf(all, all.length - 1000));
        TensorFormatException e = assertThrows(TensorFormatException.class,
                () -> ModelLoader.load(dir, LoadOptions.defaults()));
        assertMessage(e, "model.safetensors", "truncated");
        Files.write(dir.resolve("model.safetensors"), java.util.Arrays.copyOf(all, 100));
        e = assertThrows(TensorFormatException.class, () -> ModelLoader.load(dir, LoadOptions.defaults()));
        assertMessage(e, "truncated");
    }

    @Test
    void corruptHeaderIsNamed(@TempDir Path dir) throws IOException {
        copyModel("llama", dir);
        byte[] all = Files.readAllBytes(dir.resolve("model.safetensors"));
        all[9] = '#';
        Files.write(dir.resolve("model.safetensors"), all);
        TensorFormatException e = assertThrows(TensorFormatException.class,
                () -> ModelLoader.load(dir, LoadOptions.defaults()));
        assertMessage(e, "corrupt header", "model.safetensors");
    }

    @Test
    void badBatchesAreRejectedWithReasons() {
        try (Model m = ModelLoader.load(TestFixtures.tinyModel("qwen2"), LoadOptions.defaults())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.hiddenStates(TokenBatch.of(5, 512, 7)));
            assertMessage(e, "input_ids[0][1] = 512", "vocabulary", "512");
            e = assertThrows(IllegalArgumentException.class, () -> new TokenBatch(new long[0][], null, null));
            assertMessage(e, "empty");
            e = assertThrows(IllegalArgumentException.class, () -> new TokenBatch(new long[][] {{}}, null, null));
            assertMessage(e, "empty");
            e = assertThrows(IllegalArgumentException.class,
                    () -> new TokenBatch(new long[][] {{5, 6, 7}}, new long[][] {{1, 1}}, null));
            assertMessage(e, "attention_mask", "length 2", "[1, 3]");
            e = assertThrows(IllegalArgumentException.class,
                    () -> new TokenBatch(new long[][] {{5, 6, 7}}, new long[][] {{1, 1, 1}, {1, 1, 1}}, null));
            assertMessage(e, "attention_mask has 2 rows");
            e = assertThrows(IllegalArgumentException.class,
                    () -> new TokenBatch(new long[][] {{5, 6}}, new long[][] {{0, 0}}, null));
            assertMessage(e, "no real token");
        }
    }

    @Test
    void folderWithoutTokenizerLoadsAndOnlyTextFails() {
        try (Model m = ModelLoader.load(TestFixtures.tinyModel("llama"), LoadOptions.defaults())) {
            m.hiddenStates(TokenBatch.of(5, 6, 7));
            IllegalStateException e = assertThrows(IllegalStateException.class, m::tokenizer);
            assertMessage(e, "no tokenizer", "tokenizer.json", "Token ids still work");
        }
    }

    @Test
    void encoderHasNoLogits() {
        try (Model m = ModelLoader.load(TestFixtures.tinyModel("bert"), LoadOptions.defaults())) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> m.hiddenStates(TokenBatch.of(5, 6, 7), ForwardOptions.builder().optLogits(true).build()));
            assertMessage(e, "no LM head", "encoder");
        }
    }
}
