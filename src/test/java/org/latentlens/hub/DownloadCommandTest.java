package org.latentlens.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latentlens.hub.HubTestSupport.bytes;
import static org.latentlens.hub.HubTestSupport.utf8;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlens.cli.Main;

/** {@code latentlens download} end to end against the fake Hub. */
class DownloadCommandTest {
    @TempDir
    Path cache;
    FakeHub hub;
    String modelCommit;
    String indexCommit;
    String out;
    String err;

    @BeforeEach
    void setUp() throws Exception {
        hub = new FakeHub();
        modelCommit = hub.commit("org/model", "main", Map.of("config.json", utf8("{}"),
                "model.safetensors", bytes(5000, 1), "pytorch_model.bin", bytes(100, 2)));
        Map<String, byte[]> index = new LinkedHashMap<>();
        index.put("metadata.json", utf8("{\"layers\":[1,31]}"));
        index.put("layer_1/embeddings_cache.pt", bytes(300, 3));
        index.put("layer_31/embeddings_cache.pt", bytes(300, 4));
        indexCommit = hub.commit("org/index", "main", index);
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    private int run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            String[] all = new String[args.length + 5];
            all[0] = "download";
            System.arraycopy(args, 0, all, 1, args.length);
            all[args.length + 1] = "--cache-dir";
            all[args.length + 2] = cache.toString();
            all[args.length + 3] = "--endpoint";
            all[args.length + 4] = hub.endpoint();
            return Main.run(all);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            out = o.toString(StandardCharsets.UTF_8).strip();
            err = e.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void downloadsAModelAndPrintsItsFolder() {
        assertEquals(0, run("org/model", "--no-progress"), err);
        Path snap = cache.resolve("models--org--model/snapshots/" + modelCommit);
        assertEquals(snap.toString(), out);
        assertTrue(Files.exists(snap.resolve("model.safetensors")));
        assertFalse(Files.exists(snap.resolve("pytorch_model.bin")));
        assertTrue(err.contains("kind=AUTO"), err);
    }

    @Test
    void includeFetchesExactlyTheMatchingFiles() {
        assertEquals(0, run("org/model@main", "--include", "*.bin", "--no-progress"), err);
        Path snap = Path.of(out);
        assertTrue(Files.exists(snap.resolve("pytorch_model.bin")));
        assertFalse(Files.exists(snap.resolve("config.json")));
    }

    @Test
    void indexLayersAndAutoDetectedIndex() {
        assertEquals(0, run("org/index", "--index-layers", "31", "--no-progress"), err);
        Path snap = cache.resolve("models--org--index/snapshots/" + indexCommit);
        assertTrue(Files.exists(snap.resolve("layer_31/embeddings_cache.pt")));
        assertFalse(Files.exists(snap.resolve("layer_1")));
        assertEquals(0, run("org/index", "--no-progress"), err);
        assertTrue(Files.exists(snap.resolve("layer_1/embeddings_cache.pt")));
        assertTrue(err.contains("-> " + snap), err);
    }

    @Test
    void errorsAreOneActionableLine() {
        assertEquals(1, run("org/missing", "--no-progress"));
        assertTrue(err.contains("latentlens download: error: Repository 'org/missing' not found"), err);
        assertEquals(1, run("not a repo!", "--no-progress"));
        assertTrue(err.contains("Invalid HuggingFace repo id"), err);
        assertEquals(1, run("org/model", "--offline", "--revision", "v2"));
        assertTrue(err.contains("not in the cache"), err);
        assertEquals(1, run("org/model@v1", "--revision", "v2"));
        assertTrue(err.contains("two revisions"), err);
    }
}
