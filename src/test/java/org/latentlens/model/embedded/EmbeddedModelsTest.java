package org.latentlens.model.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedModelsTest {

    @Test
    void unpacksMiniLmOnceAsAHuggingFaceFolderAndReusesIt(@TempDir Path cache) throws Exception {
        Path folder;
        try (EmbeddedModel m = EmbeddedModels.miniLmFolder(cache)) {
            folder = m.folder();
            assertEquals(cache.resolve("models/all-MiniLM-L6-v2"), folder);
            assertEquals("sentence-transformers/all-MiniLM-L6-v2", m.id());
            assertEquals(101, m.weights().names().size());
            assertEquals(30522 * 384 * 4, m.weights().loadFloat32("embeddings.word_embeddings.weight").remaining());
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode config = json.readTree(folder.resolve("config.json").toFile());
        assertEquals("bert", config.get("model_type").asText());
        assertEquals(12, config.get("num_attention_heads").asInt());
        assertEquals(6, config.get("num_hidden_layers").asInt());
        assertEquals("sentence-transformers/all-MiniLM-L6-v2", config.get("_name_or_path").asText());
        JsonNode tokConfig = json.readTree(folder.resolve("tokenizer_config.json").toFile());
        assertEquals("[CLS]", tokConfig.get("cls_token").asText());
        assertEquals(512, tokConfig.get("model_max_length").asInt());
        JsonNode tokenizer = json.readTree(folder.resolve("tokenizer.json").toFile());
        assertTrue(tokenizer.get("padding").isNull() && tokenizer.get("truncation").isNull());
        assertEquals(30522, tokenizer.get("model").get("vocab").size());

        // The folder's tokenizer.json, with DJL's defaults, neither pads to 128 nor truncates.
        try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(folder.resolve("tokenizer.json"), Map.of())) {
            assertEquals(List.of("[CLS]", "hello", "!", "[SEP]"), List.of(tok.encode("Hello!").getTokens()));
            String longText = "word ".repeat(300);
            assertEquals(302, tok.encode(longText).getIds().length);
        }

        // A second call reuses the folder as it is.
        FileTime before = Files.getLastModifiedTime(folder.resolve("model.onnx"));
        Files.setLastModifiedTime(folder.resolve("model.onnx"), FileTime.fromMillis(before.toMillis() - 60_000));
        FileTime marked = Files.getLastModifiedTime(folder.resolve("model.onnx"));
        try (EmbeddedModel again = EmbeddedModels.miniLmFolder(cache)) {
            assertEquals(folder, again.folder());
        }
        assertEquals(marked, Files.getLastModifiedTime(folder.resolve("model.onnx")), "reused, not rewritten");
        try (Stream<Path> siblings = Files.list(folder.getParent())) {
            assertEquals(List.of(folder), siblings.toList(), "no temporary or stale folders are left behind");
        }
    }

    @Test
    void rebuildsAnIncompleteOrStaleFolder(@TempDir Path cache) throws Exception {
        Path folder = cache.resolve("models/all-MiniLM-L6-v2");
        // What a crash mid-copy could have left if we wrote in place: a truncated model and no stamp.
        Files.createDirectories(folder);
        Files.write(folder.resolve("model.onnx"), new byte[1000]);
        try (EmbeddedModel m = EmbeddedModels.miniLmFolder(cache)) {
            assertEquals(101, m.weights().names().size());
        }
        long size = Files.size(folder.resolve("model.onnx"));
        assertTrue(size > 90_000_000L, "model.onnx is whole again: " + size);

        // A stamp from another artifact version makes it unpack again.
        Path stamp = folder.resolve("source.json");
        Files.writeString(stamp, Files.readString(stamp).replace("\"format\" : 1", "\"format\" : 0"));
        Files.delete(folder.resolve("config.json"));
        try (EmbeddedModel m = EmbeddedModels.miniLmFolder(cache)) {
            assertTrue(Files.isRegularFile(m.folder().resolve("config.json")));
        }
        try (Stream<Path> siblings = Files.list(folder.getParent())) {
            assertEquals(List.of(folder), siblings.toList());
        }
    }

    @Test
    void cacheRootFollowsXdg() {
        Path root = EmbeddedModels.cacheRoot();
        assertEquals("latentlens", root.getFileName().toString());
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path expectedBase = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        assertEquals(expectedBase.resolve("latentlens"), root);
    }
}
