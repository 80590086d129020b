package org.latentlens.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlens.LatentLens;
import org.latentlens.TestFixtures;
import org.latentlens.index.ContextualIndex;
import org.latentlens.index.Neighbor;
import org.latentlens.io.SafetensorsCheckpoint;
import org.latentlens.model.ForwardOptions;
import org.latentlens.model.LoadOptions;
import org.latentlens.model.Model;
import org.latentlens.model.ModelLoader;
import org.latentlens.model.TokenBatch;
import org.latentlens.vision.VlmInputs;
import org.latentlens.vision.VlmProcessor;
import org.latentlens.vision.model.VisionLanguageModel;
import org.latentlens.vision.model.VlmOutput;

/**
 * {@code LatentLens.loadModel("org/name")} and {@code ContextualIndex.fromPretrained("org/name", layers)} on a
 * cache laid out by hand exactly as Python's huggingface_hub does (refs, blobs, relative snapshot links), with
 * HF_HUB_OFFLINE=1 and an endpoint nobody listens on: real weights and a real Python-format index, no network.
 */
class HubEndToEndOfflineTest {
    static final String COMMIT = "1111111111222222222233333333334444444444";

    static void put(Path repoDir, String file, byte[] data, boolean lfs) throws Exception {
        String name = lfs ? FakeHub.sha256(data) : FakeHub.gitSha1(data);
        Path blob = repoDir.resolve("blobs").resolve(name);
        Files.createDirectories(blob.getParent());
        Files.write(blob, data);
        Path link = repoDir.resolve("snapshots").resolve(COMMIT).resolve(file);
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, link.getParent().relativize(blob));
    }

    static void main(Path repoDir) throws Exception {
        Files.createDirectories(repoDir.resolve("refs"));
        Files.writeString(repoDir.resolve("refs/main"), COMMIT);
    }

    @Test
    void modelAndIndexLoadFromAHandMadeCacheOffline(@TempDir Path root) throws Exception {
        Path hub = root.resolve("hf/hub");
        Path model = hub.resolve("models--org--tiny-qwen2");
        main(model);
        Path src = TestFixtures.tinyModel("qwen2");
        put(model, "config.json", Files.readAllBytes(src.resolve("config.json")), false);
        put(model, "model.safetensors", Files.readAllBytes(src.resolve("model.safetensors")), true);
        Path index = hub.resolve("models--org--tiny-index");
        main(index);
        Path pt = TestFixtures.resource("latentlens-pt");
        put(index, "metadata.json", Files.readAllBytes(pt.resolve("metadata.json")), false);
        put(index, "layer_1/embeddings_cache.pt", Files.readAllBytes(pt.resolve("layer_1/embeddings_cache.pt")), true);
        put(index, "layer_2/embeddings_cache.pt", Files.readAllBytes(pt.resolve("layer_2/embeddings_cache.pt")), true);

        HubSettings offline = HubSettings.fromEnvironment(Map.of("HF_HOME", root.resolve("hf").toString(),
                "HF_HUB_OFFLINE", "1", "HF_ENDPOINT", "http://127.0.0.1:9")).build();
        ForwardOptions logits = ForwardOptions.builder().optLogits(true).build();
        try (Model m = LatentLens.loadModel("org/tiny-qwen2", LoadOptions.builder().optHub(offline).build());
             Model ref = ModelLoader.load(src, LoadOptions.defaults())) {
            assertEquals("qwen2", m.modelType());
            assertArrayEquals(ref.hiddenStates(TokenBatch.of(3, 4, 5), logits).logits().orElseThrow(),
                    m.hiddenStates(TokenBatch.of(3, 4, 5), logits).logits().orElseThrow());
        }
        ContextualIndex idx = ContextualIndex.fromPretrained(offline, "org/tiny-index", 1);
        assertEquals(List.of(1), idx.layers());
        ContextualIndex both = ContextualIndex.fromPretrained(offline, "org/tiny-index@main");
        assertEquals(List.of(1, 2), both.layers());
        List<Neighbor> hits = both.search(both.vector(1, 0), 1).get(0);
        assertEquals(1.0, hits.get(0).similarity(), 1e-5);

        // our own format, with only layer 1's vectors in the cache (as a partial download leaves it)
        Path saved = root.resolve("own");
        both.save(saved, org.latentlens.index.StorageType.FLOAT16);
        Path own = hub.resolve("models--org--own-index");
        main(own);
        try (var files = Files.walk(saved)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String rel = saved.relativize(f).toString();
                if (!rel.contains("layer_2")) {
                    put(own, rel, Files.readAllBytes(f), rel.endsWith(".vec"));
                }
            }
        }
        ContextualIndex ownIdx = ContextualIndex.fromPretrained(offline, "org/own-index", 1);
        assertEquals(List.of(1), ownIdx.layers());
        List<Neighbor> want = both.search(both.vector(1, 3), 2, 1).get(0);
        List<Neighbor> got = ownIdx.search(both.vector(1, 3), 2, 1).get(0);
        for (int i = 0; i < want.size(); i++) { // float16 storage: similarities to 1e-3
            assertEquals(want.get(i).caption(), got.get(i).caption());
            assertEquals(want.get(i).position(), got.get(i).position());
            assertEquals(want.get(i).similarity(), got.get(i).similarity(), 1e-3);
        }

        // a repo that is not cached, offline: the error names it
        Exception e = assertThrows(Exception.class,
                () -> LatentLens.loadModel("org/absent", LoadOptions.builder().optHub(offline).build()));
        assertTrue(e.getMessage().contains("org/absent"), e.getMessage());
    }

    @Test
    void visionLanguageModelLoadsFromAHandMadeCacheOffline(@TempDir Path root) throws Exception {
        Path repo = root.resolve("hf/hub/models--org--tiny-qwen2-vl");
        main(repo);
        Path src = TestFixtures.resource("fixtures/hf-tiny-vision/qwen2-vl");
        for (String f : List.of("config.json", "tokenizer.json", "tokenizer_config.json", "preprocessor_config.json")) {
            put(repo, f, Files.readAllBytes(src.resolve(f)), false);
        }
        put(repo, "model.safetensors", Files.readAllBytes(src.resolve("model.safetensors")), true);
        HubSettings offline = HubSettings.fromEnvironment(Map.of("HF_HOME", root.resolve("hf").toString(),
                "HF_HUB_OFFLINE", "1", "HF_ENDPOINT", "http://127.0.0.1:9")).build();
        LoadOptions options = LoadOptions.builder().optHub(offline).build();
        Path folder = LatentLens.modelFolder("org/tiny-qwen2-vl", options);
        assertTrue(folder.endsWith(Path.of("snapshots", COMMIT)), folder.toString());
        try (VisionLanguageModel vlm = LatentLens.loadVisionModel("org/tiny-qwen2-vl", options);
             VlmProcessor processor = VlmProcessor.load(folder);
             SafetensorsCheckpoint want = SafetensorsCheckpoint.openFiles("e", List.of(src.resolve("expected.safetensors")))) {
            VlmInputs in = processor.process(List.of(TestFixtures.resource("vision/image-processors/chelsea.png")),
                    "<|image_pad|>Describe this image in detail.");
            VlmOutput out = vlm.forward(in.toVlmInput(), ForwardOptions.allStates());
            assertArrayEquals(want.loadLongs("quickstart.input_ids"), in.tokens().inputIds()[0]);
            float[] a = want.loadFloats("quickstart.hidden_states.3");
            float[] b = out.text().state(3);
            assertEquals(a.length, b.length);
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-4, "quickstart.hidden_states.3[" + i + "]");
            }
        }
    }
}
