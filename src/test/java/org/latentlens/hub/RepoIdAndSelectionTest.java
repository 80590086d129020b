package org.latentlens.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Repo id rules, the repo-or-path decision, and which files are chosen. */
class RepoIdAndSelectionTest {
    @TempDir
    Path dir;

    @Test
    void repoIdsFollowTheHubRules() {
        RepoId id = RepoId.parse("Qwen/Qwen2.5-7B");
        assertEquals("Qwen", id.owner());
        assertEquals("Qwen2.5-7B", id.name());
        assertEquals("models--Qwen--Qwen2.5-7B", id.cacheFolderName());
        assertEquals("models--gpt2", RepoId.parse("gpt2").cacheFolderName());
        for (String bad : new String[] {"", "a/b/c", "a--b/c", "a/b..c", "-a/b", "a b/c", "a/b/"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RepoId.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertArrayEquals(new String[] {"org/m", "v1.0"}, RepoId.splitRevision("org/m@v1.0"));
        assertArrayEquals(new String[] {"org/m", null}, RepoId.splitRevision("org/m"));
    }

    @Test
    void repoIdOrLocalPath() {
        assertTrue(RepoId.looksLikeRepoId("Qwen/Qwen2.5-7B"));
        assertTrue(RepoId.looksLikeRepoId("McGill-NLP/contextual_embeddings-llama3.1-8b@main"));
        assertFalse(RepoId.looksLikeRepoId(dir.toString()), "an existing folder is a path");
        assertFalse(RepoId.looksLikeRepoId("./models/qwen"));
        assertFalse(RepoId.looksLikeRepoId("../qwen"));
        assertFalse(RepoId.looksLikeRepoId("~/models/qwen"));
        assertFalse(RepoId.looksLikeRepoId("models/qwen/v1"));
        assertFalse(RepoId.looksLikeRepoId(""));
        assertTrue(HubClient.looksLikeRepoId("org/name"));
    }

    @Test
    void requestsNeedARepoAndOneRevision() {
        HubRequest r = HubRequest.builder().setRepo("org/index@v1").optLayers(1, 31).build();
        assertEquals("org/index", r.repo().toString());
        assertEquals("v1", r.revision());
        assertEquals(HubRequest.Kind.INDEX, r.kind());
        assertEquals("HubRequest{repo=org/index, revision=v1, kind=INDEX, layers=[1, 31]}", r.toString());
        assertEquals(HubRequest.Kind.AUTO, HubRequest.builder().setRepo("org/m").build().kind());
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> HubRequest.builder().build());
        assertTrue(none.getMessage().contains("setRepo"), none.getMessage());
        assertThrows(IllegalStateException.class,
                () -> HubRequest.builder().setRepo("org/m@a").optRevision("b").build());
        assertThrows(IllegalArgumentException.class, () -> HubRequest.builder().optRevision("../x"));
    }

    @Test
    void modelWeightChoice() {
        assertEquals(List.of("model.safetensors.index.json"), FileSelection.modelWeights(List.of(
                "model.safetensors.index.json", "model-00001-of-00002.safetensors", "model.safetensors")));
        assertEquals(List.of("model.safetensors"), FileSelection.modelWeights(List.of("model.safetensors",
                "model.fp16.safetensors")));
        assertEquals(List.of("weights.safetensors"), FileSelection.modelWeights(List.of("weights.safetensors",
                "original/consolidated.safetensors", "pytorch_model.bin")));
        assertEquals(List.of(), FileSelection.modelWeights(List.of("pytorch_model.bin")));
        assertEquals(List.of("config.json", "tokenizer.json"),
                FileSelection.modelSideFiles(List.of("tokenizer.json", "README.md", "config.json")));
        assertTrue(FileSelection.isPickle("pytorch_model.bin"));
        assertTrue(FileSelection.isPickle("layer_1/embeddings_cache.pt"));
        assertFalse(FileSelection.isPickle("model.safetensors"));
    }

    @Test
    void layerOfAPath() {
        assertEquals(3, FileSelection.layerOf("layer_3/vectors.f16"));
        assertEquals(12, FileSelection.layerOf("layers/layer-12.f16"));
        assertEquals(7, FileSelection.layerOf("layer7.bin"));
        assertEquals(-1, FileSelection.layerOf("index.json"));
        assertEquals(-1, FileSelection.layerOf("player_3.json"));
        assertEquals(List.of(4, 16), FileSelection.pythonIndexLayers(List.of(
                "layer_16/embeddings_cache.pt", "layer_4/embeddings_cache.pt", "layer_5/other.pt", "metadata.json")));
    }

    @Test
    void terminalProgressHandlesKnownUnknownResumedAndSmallFiles() {
        DownloadProgress p = DownloadProgress.terminal();
        try (DownloadProgress.Bar bar = p.start("model-00001-of-00002.safetensors", 5L << 20, 1L << 20)) {
            bar.advance(1L << 20);
            bar.reset();
            bar.advance(5L << 20);
        }
        try (DownloadProgress.Bar bar = p.start("unknown-size.bin", -1, 0)) {
            bar.advance(123);
        }
        try (DownloadProgress.Bar bar = p.start("config.json", 100, 0)) {
            bar.advance(100);
        }
    }

    @Test
    void globsMatchLikeFnmatch() {
        Predicate<String> p = FileSelection.globs(List.of("*.json", "layer_1/", "model-0000[12]-*"));
        assertTrue(p.test("config.json"));
        assertTrue(p.test("sub/dir/x.json"), "fnmatch's * crosses '/'");
        assertTrue(p.test("layer_1/embeddings_cache.pt"));
        assertTrue(p.test("model-00002-of-00003.safetensors"));
        assertFalse(p.test("model-00003-of-00003.safetensors"));
        assertFalse(p.test("layer_10/embeddings_cache.pt"));
        assertFalse(FileSelection.globs(List.of("a.b")).test("aXb"), "'.' is literal");
    }
}
