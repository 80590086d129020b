package org.latentlens.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latentlens.hub.HubTestSupport.bytes;
import static org.latentlens.hub.HubTestSupport.newLog;
import static org.latentlens.hub.HubTestSupport.settings;
import static org.latentlens.hub.HubTestSupport.utf8;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads against a local fake Hub: file choice, cache layout, revisions, auth and 404 diagnosis. */
class HubClientTest {
    private static final String TOKEN = "hf_secretTOKENvalue123";

    @TempDir
    Path cache;
    FakeHub hub;
    List<String> log = newLog();

    byte[] config = utf8("{\"model_type\":\"llama\"}");
    byte[] shard1 = bytes(70_000, 1);
    byte[] shard2 = bytes(50_000, 2);
    String commit;

    @BeforeEach
    void setUp() throws Exception {
        hub = new FakeHub();
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(".gitattributes", utf8("*.safetensors filter=lfs"));
        files.put("README.md", utf8("# model"));
        files.put("config.json", config);
        files.put("tokenizer.json", utf8("{\"model\":{}}"));
        files.put("tokenizer_config.json", utf8("{}"));
        files.put("model.safetensors.index.json", utf8("{\"metadata\":{},\"weight_map\":{"
                + "\"a\":\"model-00001-of-00002.safetensors\",\"b\":\"model-00002-of-00002.safetensors\","
                + "\"c\":\"model-00001-of-00002.safetensors\"}}"));
        files.put("model-00001-of-00002.safetensors", shard1);
        files.put("model-00002-of-00002.safetensors", shard2);
        files.put("pytorch_model.bin", bytes(1000, 3));
        files.put("original/consolidated.safetensors", bytes(1000, 4));
        commit = hub.commit("org/model", "main", files);
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    private HubClient client() {
        return new HubClient(settings(hub, cache, log).optToken(TOKEN).build(), DownloadProgress.none());
    }

    @Test
    void downloadModelFetchesConfigTokenizerAndShardsIntoPythonLayout() throws Exception {
        Path snap;
        try (HubClient c = client()) {
            snap = c.downloadModel("org/model", null);
        }
        Path repoDir = cache.resolve("models--org--model");
        assertEquals(repoDir.resolve("snapshots").resolve(commit), snap);
        assertEquals(commit, Files.readString(repoDir.resolve("refs/main"), StandardCharsets.UTF_8),
                "refs/main holds the bare commit, no newline, as huggingface_hub writes it");
        assertArrayEquals(config, Files.readAllBytes(snap.resolve("config.json")));
        assertArrayEquals(shard1, Files.readAllBytes(snap.resolve("model-00001-of-00002.safetensors")));
        assertArrayEquals(shard2, Files.readAllBytes(snap.resolve("model-00002-of-00002.safetensors")));
        assertTrue(Files.exists(snap.resolve("tokenizer.json")));
        assertTrue(Files.exists(snap.resolve("tokenizer_config.json")));
        assertFalse(Files.exists(snap.resolve("pytorch_model.bin")), "pickles are never fetched implicitly");
        assertFalse(Files.exists(snap.resolve("original")), "subfolder weights are another format");
        assertFalse(Files.exists(snap.resolve("README.md")));

        // Blob names: sha256 for LFS, git blob sha1 (the ETag) for plain files; links are relative.
        assertEquals(Path.of("../../blobs/" + FakeHub.gitSha1(config)),
                Files.readSymbolicLink(snap.resolve("config.json")));
        assertEquals(Path.of("../../blobs/" + FakeHub.sha256(shard1)),
                Files.readSymbolicLink(snap.resolve("model-00001-of-00002.safetensors")));
        assertTrue(Files.isRegularFile(repoDir.resolve("blobs/" + FakeHub.sha256(shard2))));
        try (Stream<Path> s = Files.list(repoDir.resolve("blobs"))) {
            assertTrue(s.noneMatch(p -> p.toString().contains("incomplete")), "no temp file left behind");
        }

        // The token goes to the Hub, never to the CDN the LFS files are redirected to.
        assertTrue(hub.hubAuthorizations.contains("Bearer " + TOKEN));
        assertTrue(hub.cdnAuthorizations.isEmpty(), "token leaked to CDN: " + hub.cdnAuthorizations.size());
        assertEquals(2, hub.cdnGets.get());
        assertTrue(log.stream().noneMatch(l -> l.contains(TOKEN)));
    }

    @Test
    void shardsDownloadInParallel() throws Exception {
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        hub.bodyGate = gate; // every LFS body waits until both shards are in flight at once
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (HubClient c = client()) {
            java.util.concurrent.Future<Path> f = ex.submit(() -> c.downloadModel("org/model", null));
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (hub.activeBodies.get() < 2) {
                assertTrue(System.nanoTime() < deadline, "shards were not fetched concurrently");
                Thread.sleep(5);
            }
            gate.countDown();
            Path snap = f.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertArrayEquals(shard2, Files.readAllBytes(snap.resolve("model-00002-of-00002.safetensors")));
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void localPathThatDoesNotExistIsNamedInTheError() throws Exception {
        try (HubClient c = client()) {
            HubException e = assertThrows(HubException.class, () -> c.modelFolder("models/missing"));
            assertEquals(HubException.Reason.REPO_NOT_FOUND, e.reason());
            assertTrue(e.getMessage().contains("no local folder 'models/missing'"), e.getMessage());
        }
    }

    @Test
    void secondDownloadUsesTheCacheWithoutFetchingAgain() throws Exception {
        try (HubClient c = client()) {
            c.downloadModel("org/model", null);
            int heads = hub.heads.get();
            int gets = hub.cdnGets.get();
            Path again = c.downloadModel("org/model", "main");
            assertEquals(heads, hub.heads.get(), "files of a known commit need no HEAD");
            assertEquals(gets, hub.cdnGets.get());
            assertTrue(Files.exists(again.resolve("config.json")));
        }
    }

    @Test
    void newCommitReusesUnchangedBlobsAndMovesTheRef() throws Exception {
        try (HubClient c = client()) {
            c.downloadModel("org/model", null);
        }
        int gets = hub.cdnGets.get();
        Map<String, byte[]> files = new LinkedHashMap<>(Map.of(
                "config.json", utf8("{\"model_type\":\"llama\",\"v\":2}"),
                "model.safetensors.index.json", utf8("{\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\","
                        + "\"b\":\"model-00002-of-00002.safetensors\"}}"),
                "model-00001-of-00002.safetensors", shard1,
                "model-00002-of-00002.safetensors", shard2));
        String next = hub.commit("org/model", "main", files);
        try (HubClient c = client()) {
            Path snap = c.downloadModel("org/model", null);
            assertEquals(cache.resolve("models--org--model/snapshots/" + next), snap);
            assertTrue(Files.readString(snap.resolve("config.json")).contains("\"v\":2"));
            assertArrayEquals(shard1, Files.readAllBytes(snap.resolve("model-00001-of-00002.safetensors")));
        }
        assertEquals(gets, hub.cdnGets.get(), "unchanged shards are linked, not downloaded again");
        assertEquals(next, Files.readString(cache.resolve("models--org--model/refs/main")));
        assertTrue(Files.exists(cache.resolve("models--org--model/snapshots/" + commit + "/config.json")),
                "the old snapshot stays, as in huggingface_hub");
    }

    @Test
    void revisionsBranchTagCommitAndPullRequestRefs() throws Exception {
        byte[] devConfig = utf8("{\"dev\":true}");
        String devCommit = hub.commit("org/model", "dev", Map.of("config.json", devConfig));
        hub.repos.get("org/model").refs.put("refs/pr/1", devCommit);
        try (HubClient c = client()) {
            Path p = c.downloadFile("org/model", "dev", "config.json");
            assertArrayEquals(devConfig, Files.readAllBytes(p));
            assertEquals(cache.resolve("models--org--model/snapshots/" + devCommit + "/config.json"), p);
            assertEquals(devCommit, Files.readString(cache.resolve("models--org--model/refs/dev")));

            Path pr = c.downloadFile("org/model", "refs/pr/1", "config.json");
            assertEquals(p, pr);
            assertEquals(devCommit, Files.readString(cache.resolve("models--org--model/refs/refs/pr/1")));

            Path byCommit = c.downloadFile("org/model", commit, "config.json");
            assertArrayEquals(config, Files.readAllBytes(byCommit));
            assertFalse(Files.exists(cache.resolve("models--org--model/refs/" + commit)),
                    "a commit hash is not written as a ref");
        }
    }

    @Test
    void gatedRepoWithoutTokenSaysToAcceptLicenceAndSetToken() throws Exception {
        hub.repos.get("org/model").requiredToken = TOKEN;
        try (HubClient anon = new HubClient(settings(hub, cache, log).build(), DownloadProgress.none())) {
            HubException e = assertThrows(HubException.class, () -> anon.downloadFile("org/model", null, "config.json"));
            assertEquals(HubException.Reason.UNAUTHORIZED, e.reason());
            assertTrue(e.getMessage().contains("HF_TOKEN") && e.getMessage().contains("licence")
                    && e.getMessage().contains(hub.endpoint() + "/org/model"), e.getMessage());
        }
        try (HubClient wrong = new HubClient(settings(hub, cache, log).optToken("hf_wrongWRONG").build(),
                DownloadProgress.none())) {
            HubException e = assertThrows(HubException.class, () -> wrong.downloadModel("org/model", null));
            assertEquals(HubException.Reason.UNAUTHORIZED, e.reason());
            assertFalse(e.getMessage().contains("hf_wrongWRONG"), "the token must never be printed");
            assertTrue(e.getMessage().contains("not accepted"), e.getMessage());
        }
        try (HubClient ok = client()) {
            assertTrue(Files.exists(ok.downloadModel("org/model", null).resolve("config.json")));
        }
    }

    @Test
    void notFoundSaysWhetherRepoRevisionOrFileIsMissing() throws Exception {
        for (boolean codes : new boolean[] {true, false}) {
            hub.sendErrorCodes = codes;
            try (HubClient c = client()) {
                HubException repo = assertThrows(HubException.class, () -> c.downloadFile("org/nope", null, "config.json"));
                assertEquals(HubException.Reason.REPO_NOT_FOUND, repo.reason(), repo.getMessage());
                assertTrue(repo.getMessage().contains("org/nope"));

                HubException rev = assertThrows(HubException.class, () -> c.downloadFile("org/model", "v9", "config.json"));
                assertEquals(HubException.Reason.REVISION_NOT_FOUND, rev.reason(), rev.getMessage());
                assertTrue(rev.getMessage().contains("'v9'"));

                HubException file = assertThrows(HubException.class, () -> c.downloadFile("org/model", null, "nope.json"));
                assertEquals(HubException.Reason.FILE_NOT_FOUND, file.reason(), file.getMessage());
                assertTrue(file.getMessage().contains("nope.json"));

                HubException api = assertThrows(HubException.class, () -> c.downloadModel("org/model", "v9"));
                assertEquals(HubException.Reason.REVISION_NOT_FOUND, api.reason(), api.getMessage());
            }
        }
    }

    @Test
    void renamedRepoRelativeRedirectIsFollowed() throws Exception {
        hub.renamed.put("old/model", "org/model");
        try (HubClient c = client()) {
            Path p = c.downloadFile("old/model", null, "config.json");
            assertArrayEquals(config, Files.readAllBytes(p));
        }
    }

    @Test
    void pickleOnlyRepoIsRefusedUnlessExplicitlyIncluded() throws Exception {
        hub.commit("org/old", "main", Map.of("config.json", config, "pytorch_model.bin", bytes(500, 9)));
        try (HubClient c = client()) {
            HubException e = assertThrows(HubException.class, () -> c.downloadModel("org/old", null));
            assertEquals(HubException.Reason.BAD_REPO_CONTENT, e.reason());
            assertTrue(e.getMessage().contains("pytorch_model.bin") && e.getMessage().contains("--include"),
                    e.getMessage());
            Path snap = c.downloadMatching("org/old", null, List.of("*.bin"));
            assertTrue(Files.exists(snap.resolve("pytorch_model.bin")));
            assertFalse(Files.exists(snap.resolve("config.json")));
        }
    }

    @Test
    void singleFileSafetensorsModel() throws Exception {
        byte[] w = bytes(3000, 5);
        hub.commit("org/small", "main", Map.of("config.json", config, "model.safetensors", w,
                "onnx/model.safetensors", bytes(10, 6)));
        try (HubClient c = client()) {
            Path snap = c.downloadModel("org/small", null);
            assertArrayEquals(w, Files.readAllBytes(snap.resolve("model.safetensors")));
            assertFalse(Files.exists(snap.resolve("onnx")));
        }
    }

    @Test
    void pythonIndexFetchesMetadataThenOnlyRequestedLayers() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("metadata.json", utf8("{\"layers\": [1, 2, 31], \"hidden_dim\": 8}"));
        files.put("layer_1/embeddings_cache.pt", bytes(4000, 11));
        files.put("layer_2/embeddings_cache.pt", bytes(4000, 12));
        files.put("layer_31/embeddings_cache.pt", bytes(4000, 13));
        hub.commit("org/index", "main", files);
        try (HubClient c = client()) {
            Path snap = c.downloadIndex("org/index", null, new int[] {1, 31});
            assertTrue(Files.exists(snap.resolve("metadata.json")));
            assertArrayEquals(files.get("layer_31/embeddings_cache.pt"),
                    Files.readAllBytes(snap.resolve("layer_31/embeddings_cache.pt")));
            assertTrue(Files.exists(snap.resolve("layer_1/embeddings_cache.pt")));
            assertFalse(Files.exists(snap.resolve("layer_2")));
            assertEquals(Path.of("../../../blobs/" + FakeHub.sha256(files.get("layer_1/embeddings_cache.pt"))),
                    Files.readSymbolicLink(snap.resolve("layer_1/embeddings_cache.pt")));

            HubException e = assertThrows(HubException.class, () -> c.downloadIndex("org/index", null, new int[] {5}));
            assertEquals(HubException.Reason.FILE_NOT_FOUND, e.reason());
            assertTrue(e.getMessage().contains("[5]") && e.getMessage().contains("[1, 2, 31]"), e.getMessage());

            Path all = c.downloadIndex("org/index", null, null);
            assertTrue(Files.exists(all.resolve("layer_2/embeddings_cache.pt")));
        }
    }

    @Test
    void pythonIndexWithoutMetadataListsFilesLikeTheOriginal() throws Exception {
        hub.commit("org/bare", "main", Map.of(
                "layer_4/embeddings_cache.pt", bytes(100, 1), "layer_16/embeddings_cache.pt", bytes(100, 2)));
        try (HubClient c = client()) {
            Path snap = c.downloadIndex("org/bare", null, null);
            assertTrue(Files.exists(snap.resolve("layer_4/embeddings_cache.pt")));
            assertTrue(Files.exists(snap.resolve("layer_16/embeddings_cache.pt")));
        }
    }

    @Test
    void ourIndexFormatFetchesManifestSharedFilesAndRequestedLayers() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("index.json", utf8("{\"format\":\"latentlens-index\",\"layers\":[1,8]}"));
        files.put("README.md", utf8("# index"));
        files.put("strings.bin", bytes(50, 1));
        files.put("layer_1/vectors.f16", bytes(800, 2));
        files.put("layer_1/rows.bin", bytes(80, 3));
        files.put("layer_8/vectors.f16", bytes(800, 4));
        files.put("layer_8/rows.bin", bytes(80, 5));
        hub.commit("org/ours", "main", files);
        try (HubClient c = client()) {
            Path snap = c.downloadIndex("org/ours", null, new int[] {8});
            assertTrue(Files.exists(snap.resolve("index.json")));
            assertTrue(Files.exists(snap.resolve("strings.bin")));
            assertArrayEquals(files.get("layer_8/vectors.f16"), Files.readAllBytes(snap.resolve("layer_8/vectors.f16")));
            assertTrue(Files.exists(snap.resolve("layer_8/rows.bin")));
            assertFalse(Files.exists(snap.resolve("layer_1")));
            assertFalse(Files.exists(snap.resolve("README.md")));
            HubException e = assertThrows(HubException.class, () -> c.downloadIndex("org/ours", null, new int[] {2}));
            assertTrue(e.getMessage().contains("[1, 8]"), e.getMessage());
        }
    }

    @Test
    void ourIndexManifestNamesExactlyTheFilesOfTheRequestedLayers() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("index.json", utf8("{\"format\":\"latentlens-index\",\"formatVersion\":1,\"dataDir\":\"data-2\","
                + "\"sentences\":{\"file\":\"sentences.str\",\"count\":3},"
                + "\"tokenStrings\":{\"file\":\"tokens.str\",\"count\":2},"
                + "\"layers\":[{\"layer\":1,\"rows\":5,\"vectors\":\"layer_1.vec\",\"rowTable\":\"rows-0.rows\"},"
                + "{\"layer\":8,\"rows\":5,\"vectors\":\"layer_8.vec\",\"rowTable\":\"rows-0.rows\"}]}"));
        files.put("data-1/layer_8.vec", bytes(100, 1)); // an older generation: never fetched
        files.put("data-2/sentences.str", bytes(60, 2));
        files.put("data-2/tokens.str", bytes(40, 3));
        files.put("data-2/rows-0.rows", bytes(80, 4));
        files.put("data-2/layer_1.vec", bytes(300, 5));
        files.put("data-2/layer_8.vec", bytes(300, 6));
        hub.commit("org/ours2", "main", files);
        try (HubClient c = client()) {
            Path snap = c.downloadIndex("org/ours2", null, new int[] {8});
            for (String f : List.of("index.json", "data-2/sentences.str", "data-2/tokens.str", "data-2/rows-0.rows",
                    "data-2/layer_8.vec")) {
                assertArrayEquals(files.get(f), Files.readAllBytes(snap.resolve(f)), f);
            }
            assertFalse(Files.exists(snap.resolve("data-2/layer_1.vec")));
            assertFalse(Files.exists(snap.resolve("data-1")));
            HubException e = assertThrows(HubException.class, () -> c.downloadIndex("org/ours2", null, new int[] {3}));
            assertEquals(HubException.Reason.FILE_NOT_FOUND, e.reason());
            assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[1, 8]"), e.getMessage());
        }
    }

    @Test
    void proxyFromTheEnvironmentCarriesHubRequests() throws Exception {
        String port = hub.endpoint().substring(hub.endpoint().lastIndexOf(':') + 1);
        HubSettings s = HubSettings.fromEnvironment(Map.of(
                        "HF_ENDPOINT", "http://hub.invalid", // only reachable through the proxy
                        "HTTP_PROXY", "127.0.0.1:" + port,
                        "no_proxy", "localhost,.example.org",
                        "HF_HUB_CACHE", cache.toString()))
                .optProgress(false).optLog(log::add).optRetryBackoff(java.time.Duration.ofMillis(5)).build();
        assertTrue(s.toString().contains("httpProxy=127.0.0.1:" + port), s.toString());
        assertEquals(null, s.proxyFor(java.net.URI.create("http://cdn.example.org/x")));
        assertEquals(null, s.proxyFor(java.net.URI.create("https://hub.invalid/x")), "no HTTPS_PROXY set");
        try (HubClient c = new HubClient(s, DownloadProgress.none())) {
            Path snap = c.downloadModel("org/model", null);
            assertArrayEquals(shard1, Files.readAllBytes(snap.resolve("model-00001-of-00002.safetensors")));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HubSettings.builder().optProxy(null, "http://user:pw@proxy:3128", List.of()));
        assertFalse(e.getMessage().contains("pw"), e.getMessage());
    }

    @Test
    void aModelRepoIsNotAnIndex() throws Exception {
        try (HubClient c = client()) {
            HubException e = assertThrows(HubException.class, () -> c.downloadIndex("org/model", null, null));
            assertEquals(HubException.Reason.BAD_REPO_CONTENT, e.reason());
            assertTrue(e.getMessage().contains("metadata.json"), e.getMessage());
        }
    }

    @Test
    void explicitFileListComesFromOneCommit() throws Exception {
        try (HubClient c = client()) {
            Path snap = c.downloadFiles("org/model", null, List.of("config.json", "pytorch_model.bin",
                    "original/consolidated.safetensors"));
            assertEquals(cache.resolve("models--org--model/snapshots/" + commit), snap);
            assertTrue(Files.exists(snap.resolve("pytorch_model.bin")));
            assertTrue(Files.exists(snap.resolve("original/consolidated.safetensors")));
            assertEquals(Path.of("../../../blobs/" + FakeHub.sha256(hub.repos.get("org/model").commits.get(commit)
                    .get("original/consolidated.safetensors").data())),
                    Files.readSymbolicLink(snap.resolve("original/consolidated.safetensors")));
        }
    }

    @Test
    void modelFolderPassesLocalPathsThrough() throws Exception {
        try (HubClient c = client()) {
            assertEquals(cache, c.modelFolder(cache.toString()));
            Path snap = c.modelFolder("org/model@" + commit);
            assertEquals(cache.resolve("models--org--model/snapshots/" + commit), snap);
        }
    }
}
