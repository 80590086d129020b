package org.latentlens.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latentlens.hub.HubTestSupport.bytes;
import static org.latentlens.hub.HubTestSupport.utf8;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cache laid out by hand exactly as Python's huggingface_hub leaves it (refs without newline, blobs named by
 * sha256 or git sha1, relative symlinks from snapshots, a .no_exist marker), used with HF_HUB_OFFLINE=1 and an
 * endpoint nobody listens on: nothing may touch the network.
 */
class HubOfflineCacheTest {
    static final String MODEL_COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final String INDEX_COMMIT = "89abcdef0123456789abcdef0123456789abcdef";
    static final String SHARDED_COMMIT = "fedcba9876543210fedcba9876543210fedcba98";

    @TempDir
    Path root;
    Path hubCache;
    byte[] config = utf8("{\"model_type\":\"llama\"}");
    byte[] tokenizer = utf8("{\"version\":\"1.0\"}");
    byte[] weights = bytes(2048, 1);
    byte[] layer1 = bytes(1024, 2);

    /** Writes a blob and links it from the snapshot the way huggingface_hub does. */
    static void put(Path repoDir, String commit, String file, byte[] data, boolean lfs) throws Exception {
        String name = lfs ? FakeHub.sha256(data) : FakeHub.gitSha1(data);
        Path blob = repoDir.resolve("blobs").resolve(name);
        Files.createDirectories(blob.getParent());
        Files.write(blob, data);
        Path link = repoDir.resolve("snapshots").resolve(commit).resolve(file);
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, link.getParent().relativize(blob));
    }

    static void ref(Path repoDir, String name, String commit) throws Exception {
        Path p = repoDir.resolve("refs").resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, commit); // no trailing newline, as Python writes it
    }

    @BeforeEach
    void layOutCache() throws Exception {
        hubCache = root.resolve("hf/hub");
        Path model = hubCache.resolve("models--org--tiny");
        ref(model, "main", MODEL_COMMIT);
        ref(model, "v1.0", MODEL_COMMIT);
        put(model, MODEL_COMMIT, "config.json", config, false);
        put(model, MODEL_COMMIT, "tokenizer.json", tokenizer, false);
        put(model, MODEL_COMMIT, "model.safetensors", weights, true);
        Path noExist = model.resolve(".no_exist").resolve(MODEL_COMMIT).resolve("tokenizer.model");
        Files.createDirectories(noExist.getParent());
        Files.createFile(noExist);

        Path index = hubCache.resolve("models--org--index");
        ref(index, "main", INDEX_COMMIT);
        put(index, INDEX_COMMIT, "metadata.json", utf8("{\"layers\": [1, 2], \"hidden_dim\": 8}"), false);
        put(index, INDEX_COMMIT, "layer_1/embeddings_cache.pt", layer1, true);

        Path sharded = hubCache.resolve("models--org--sharded");
        ref(sharded, "main", SHARDED_COMMIT);
        put(sharded, SHARDED_COMMIT, "config.json", config, false);
        put(sharded, SHARDED_COMMIT, "model.safetensors.index.json", utf8("{\"weight_map\":{"
                + "\"a\":\"model-00001-of-00002.safetensors\",\"b\":\"model-00002-of-00002.safetensors\"}}"), false);
        put(sharded, SHARDED_COMMIT, "model-00001-of-00002.safetensors", bytes(100, 3), true);
    }

    private HubClient offlineClient() {
        // As a user would configure it: environment variables only (injected, not the real environment).
        HubSettings s = HubSettings.fromEnvironment(Map.of(
                        "HF_HUB_OFFLINE", "1",
                        "HF_HOME", root.resolve("hf").toString(),
                        "HF_ENDPOINT", "http://127.0.0.1:9"))
                .optProgress(false).optLog(m -> { }).build();
        assertTrue(s.offline());
        assertEquals(hubCache, s.cacheDir());
        return new HubClient(s, DownloadProgress.none());
    }

    @Test
    void modelLoadsFromTheHandMadeCache() throws Exception {
        try (HubClient c = offlineClient()) {
            Path snap = c.downloadModel("org/tiny", null);
            assertEquals(hubCache.resolve("models--org--tiny/snapshots/" + MODEL_COMMIT), snap);
            assertArrayEquals(config, Files.readAllBytes(snap.resolve("config.json")));
            assertArrayEquals(weights, Files.readAllBytes(snap.resolve("model.safetensors")));
            assertEquals(snap, c.downloadModel("org/tiny", "v1.0"));
            assertEquals(snap, c.downloadModel("org/tiny", MODEL_COMMIT));
            assertEquals(snap, c.modelFolder("org/tiny@v1.0"));
            assertArrayEquals(tokenizer, Files.readAllBytes(c.downloadFile("org/tiny", null, "tokenizer.json")));
        }
    }

    @Test
    void indexLoadsRequestedLayersFromTheCache() throws Exception {
        try (HubClient c = offlineClient()) {
            Path snap = c.downloadIndex("org/index", null, new int[] {1});
            assertArrayEquals(layer1, Files.readAllBytes(snap.resolve("layer_1/embeddings_cache.pt")));
            assertEquals(snap, c.indexFolder("org/index", new int[] {1}));

            HubException e = assertThrows(HubException.class, () -> c.downloadIndex("org/index", null, new int[] {5}));
            assertEquals(HubException.Reason.FILE_NOT_FOUND, e.reason(), "the cached metadata.json lists [1, 2]");
            assertTrue(e.getMessage().contains("[5]") && e.getMessage().contains("[1, 2]"), e.getMessage());

            HubException two = assertThrows(HubException.class, () -> c.downloadIndex("org/index", null, new int[] {2}));
            assertEquals(HubException.Reason.NOT_CACHED, two.reason());
            assertTrue(two.getMessage().contains("layer_2/embeddings_cache.pt"), two.getMessage());

            // No layers given: metadata.json lists 1 and 2, and layer 2 was never downloaded.
            HubException all = assertThrows(HubException.class, () -> c.downloadIndex("org/index", null, null));
            assertTrue(all.getMessage().contains("layer_2/embeddings_cache.pt"), all.getMessage());
        }
    }

    @Test
    void missingFilesAreNamed() throws Exception {
        try (HubClient c = offlineClient()) {
            HubException file = assertThrows(HubException.class,
                    () -> c.downloadFile("org/tiny", null, "generation_config.json"));
            assertEquals(HubException.Reason.NOT_CACHED, file.reason());
            assertTrue(file.getMessage().contains("generation_config.json") && file.getMessage().contains("HF_HUB_OFFLINE"),
                    file.getMessage());

            HubException known = assertThrows(HubException.class, () -> c.downloadFile("org/tiny", null, "tokenizer.model"));
            assertTrue(known.getMessage().contains("does not exist"), known.getMessage());

            HubException shard = assertThrows(HubException.class, () -> c.downloadModel("org/sharded", null));
            assertEquals(HubException.Reason.NOT_CACHED, shard.reason());
            assertTrue(shard.getMessage().contains("model-00002-of-00002.safetensors"), shard.getMessage());

            Files.delete(hubCache.resolve("models--org--sharded/snapshots/" + SHARDED_COMMIT
                    + "/model.safetensors.index.json"));
            HubException noIndex = assertThrows(HubException.class, () -> c.downloadModel("org/sharded", null));
            assertEquals(HubException.Reason.NOT_CACHED, noIndex.reason());
            assertTrue(noIndex.getMessage().contains("model.safetensors.index.json"), noIndex.getMessage());

            HubException repo = assertThrows(HubException.class, () -> c.downloadModel("org/absent", null));
            assertEquals(HubException.Reason.NOT_CACHED, repo.reason());
            assertTrue(repo.getMessage().contains("org/absent"), repo.getMessage());

            HubException rev = assertThrows(HubException.class, () -> c.downloadModel("org/tiny", "dev"));
            assertTrue(rev.getMessage().contains("refs/dev"), rev.getMessage());
        }
    }

    @Test
    void cacheApiReadsPythonRefsAndLinks() throws Exception {
        HubCache cache = new HubCache(hubCache);
        RepoId tiny = RepoId.parse("org/tiny");
        assertEquals(MODEL_COMMIT, cache.resolveRevision(tiny, "main").orElseThrow());
        assertTrue(cache.cachedFile(tiny, "main", "config.json").isPresent());
        assertTrue(cache.cachedFile(tiny, "main", "nope.json").isEmpty());
        assertTrue(cache.isKnownMissing(tiny, MODEL_COMMIT, "tokenizer.model"));
        assertEquals(java.util.List.of("config.json", "model.safetensors", "tokenizer.json"),
                cache.snapshotFiles(tiny, MODEL_COMMIT));
        assertThrows(IllegalArgumentException.class, () -> cache.cachedFile(tiny, "main", "../../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> cache.resolveRevision(tiny, "../x"));
    }
}
