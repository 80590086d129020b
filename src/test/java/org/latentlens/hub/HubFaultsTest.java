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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fault injection: dropped, corrupted, stalled and failing transfers, a full disk, and concurrent downloaders. */
class HubFaultsTest {
    @TempDir
    Path cache;
    FakeHub hub;
    List<String> log = newLog();
    byte[] weights = bytes(300_000, 42);
    byte[] config = utf8("{\"model_type\":\"llama\",\"hidden_size\":8}");
    String commit;

    @BeforeEach
    void setUp() throws Exception {
        hub = new FakeHub();
        commit = hub.commit("org/model", "main", Map.of("config.json", config, "model.safetensors", weights));
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    private HubClient client(HubSettings.Builder b) {
        return new HubClient(b.build(), DownloadProgress.none());
    }

    private HubClient client() {
        return client(settings(hub, cache, log));
    }

    private Path blobs() {
        return cache.resolve("models--org--model/blobs");
    }

    private Path temp() {
        return blobs().resolve(FakeHub.sha256(weights) + HubCache.TEMP_SUFFIX);
    }

    private List<Path> blobFiles() throws IOException {
        if (!Files.isDirectory(blobs())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(blobs())) {
            return s.toList();
        }
    }

    private void awaitLog(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (log.stream().noneMatch(l -> l.contains(text))) {
            assertTrue(System.nanoTime() < deadline, "no log line containing '" + text + "': " + log);
            Thread.sleep(10);
        }
    }

    @Test
    void droppedConnectionResumesWithRange() throws Exception {
        hub.dropNextBodies.set(2);
        try (HubClient c = client()) {
            Path p = c.downloadFile("org/model", null, "model.safetensors");
            assertArrayEquals(weights, Files.readAllBytes(p));
        }
        assertEquals(2, hub.rangeGets.get(), "each drop resumes from where it stopped");
        assertTrue(log.stream().anyMatch(l -> l.contains("interrupted at") && l.contains("resuming")), log.toString());
        assertFalse(Files.exists(temp()));
    }

    @Test
    void partialFileFromAnEarlierRunIsResumed() throws Exception {
        Files.createDirectories(blobs());
        Files.write(temp(), java.util.Arrays.copyOf(weights, 100_000));
        try (HubClient c = client()) {
            assertArrayEquals(weights, Files.readAllBytes(c.downloadFile("org/model", null, "model.safetensors")));
        }
        assertEquals(1, hub.rangeGets.get());
    }

    @Test
    void completeTempFileFromAKilledRunIsVerifiedAndMovedWithoutDownloading() throws Exception {
        Files.createDirectories(blobs());
        Files.write(temp(), weights);
        try (HubClient c = client()) {
            assertArrayEquals(weights, Files.readAllBytes(c.downloadFile("org/model", null, "model.safetensors")));
        }
        assertEquals(0, hub.cdnGets.get());
        assertFalse(Files.exists(temp()));
    }

    @Test
    void serverIgnoringRangeRestartsFromZero() throws Exception {
        hub.ignoreRange = true;
        Files.createDirectories(blobs());
        Files.write(temp(), bytes(100_000, 7)); // garbage prefix, must be discarded
        try (HubClient c = client()) {
            assertArrayEquals(weights, Files.readAllBytes(c.downloadFile("org/model", null, "model.safetensors")));
        }
    }

    @Test
    void corruptedBytesAreDetectedAndRemoved() throws Exception {
        hub.corruptBodies = true;
        try (HubClient c = client()) {
            HubException e = assertThrows(HubException.class, () -> c.downloadFile("org/model", null, "model.safetensors"));
            assertEquals(HubException.Reason.CHECKSUM_MISMATCH, e.reason());
            assertTrue(e.getMessage().contains(FakeHub.sha256(weights)) && e.getMessage().contains("deleted"),
                    e.getMessage());
        }
        assertEquals(List.of(), blobFiles(), "neither the bad blob nor its temp file may stay");
        assertFalse(Files.exists(cache.resolve("models--org--model/snapshots/" + commit + "/model.safetensors")));
        hub.corruptBodies = false;
        try (HubClient c = client()) {
            assertArrayEquals(weights, Files.readAllBytes(c.downloadFile("org/model", null, "model.safetensors")));
        }
    }

    @Test
    void corruptedResumedPrefixIsCaughtByTheChecksum() throws Exception {
        Files.createDirectories(blobs());
        byte[] prefix = java.util.Arrays.copyOf(weights, 100_000);
        prefix[10] ^= 1;
        Files.write(temp(), prefix);
        try (HubClient c = client()) {
            HubException e = assertThrows(HubException.class, () -> c.downloadFile("org/model", null, "model.safetensors"));
            assertEquals(HubException.Reason.CHECKSUM_MISMATCH, e.reason());
        }
        assertFalse(Files.exists(temp()));
    }

    @Test
    void expiredCdnAddressIsRefreshedOnce() throws Exception {
        hub.cdnForbidNext.set(1);
        try (HubClient c = client()) {
            assertArrayEquals(weights, Files.readAllBytes(c.downloadFile("org/model", null, "model.safetensors")));
        }
        assertEquals(2, hub.heads.get(), "one HEAD for the file, one for a fresh address");
        hub.cdnForbidNext.set(5);
        try (HubClient c = client()) {
            Files.delete(cache.resolve("models--org--model/snapshots/" + commit + "/model.safetensors"));
            Files.delete(blobs().resolve(FakeHub.sha256(weights)));
            HubException e = assertThrows(HubException.class, () -> c.downloadFile("org/model", null, "model.safetensors"));
            assertEquals(HubException.Reason.UNAUTHORIZED, e.reason());
        }
    }

    @Test
    void serverErrorsAreRetriedThenSucceed() throws Exception {
        hub.fail500.set(2);
        try (HubClient c = client()) {
            assertArrayEquals(weights, Files.readAllBytes(c.downloadFile("org/model", null, "model.safetensors")));
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("retry 1/3")), log.toString());
    }

    @Test
    void persistentServerErrorsGiveUpAfterBoundedRetries() throws Exception {
        hub.fail500.set(1000);
        try (HubClient c = client()) {
            HubException e = assertThrows(HubException.class, () -> c.downloadFile("org/model", null, "config.json"));
            assertEquals(HubException.Reason.UNAVAILABLE, e.reason());
            assertTrue(e.getMessage().contains("4 attempts") && e.getMessage().contains("HF_HUB_OFFLINE"), e.getMessage());
        }
        assertEquals(1000 - 4, hub.fail500.get(), "1 attempt + 3 retries");
    }

    @Test
    void stalledTransferTimesOutAndResumes() throws Exception {
        hub.stallNextBodies.set(1);
        hub.stallMillis = 5000;
        long t0 = System.nanoTime();
        try (HubClient c = client(settings(hub, cache, log).optReadTimeout(Duration.ofMillis(500)))) {
            assertArrayEquals(weights, Files.readAllBytes(c.downloadFile("org/model", null, "model.safetensors")));
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 4000, "should not wait for the stalled server: " + ms + " ms");
        assertTrue(log.stream().anyMatch(l -> l.contains("stalled")), log.toString());
        assertTrue(log.stream().noneMatch(l -> l.contains("signature=")), "signed CDN query logged: " + log);
        assertTrue(hub.rangeGets.get() >= 1, "resumed with Range");
    }

    @Test
    void serverThatNeverSendsTheBodyFailsWithATimeout() throws Exception {
        hub.bodyDelayMillis = 5000;
        try (HubClient c = client(settings(hub, cache, log).optMaxRetries(1).optReadTimeout(Duration.ofMillis(500)))) {
            HubException e = assertThrows(HubException.class, () -> c.downloadFile("org/model", null, "model.safetensors"));
            assertEquals(HubException.Reason.UNAVAILABLE, e.reason());
            assertTrue(e.getMessage().contains("stalled") && e.getMessage().contains("resume"), e.getMessage());
        }
    }

    @Test
    void stalledMetadataRequestTimesOutWithBoundedRetries() throws Exception {
        hub.headDelayMillis = 5000;
        try (HubClient c = client(settings(hub, cache, log).optMaxRetries(1)
                .optMetadataTimeout(Duration.ofMillis(300)))) {
            HubException e = assertThrows(HubException.class, () -> c.downloadFile("org/model", null, "config.json"));
            assertEquals(HubException.Reason.UNAVAILABLE, e.reason());
            assertTrue(e.getMessage().contains("2 attempts") && e.getMessage().contains("HttpTimeoutException"),
                    e.getMessage());
        }
        assertEquals(2, hub.heads.get());
    }

    @Test
    void fullDiskIsReportedBeforeDownloading() throws Exception {
        try (HubClient c = new HubClient(settings(hub, cache, log).build(), DownloadProgress.none(), dir -> 1000)) {
            HubException e = assertThrows(HubException.class, () -> c.downloadFile("org/model", null, "model.safetensors"));
            assertEquals(HubException.Reason.DISK_FULL, e.reason());
            assertTrue(e.getMessage().contains("HF_HUB_CACHE") && e.getMessage().contains("293.0 KiB needed"),
                    e.getMessage());
        }
        assertEquals(0, hub.cdnGets.get());
        assertTrue(BlobDownloader.isDiskFull(new IOException("No space left on device")));
        assertFalse(BlobDownloader.isDiskFull(new IOException("Connection reset")));
    }

    @Test
    void twoConcurrentDownloadersOfOneFileShareOneTransfer() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        hub.bodyGate = gate; // the first transfer stalls until the second downloader is seen waiting
        ExecutorService ex = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Path>> results = new ArrayList<>();
        try (HubClient a = client(); HubClient b = client()) {
            for (HubClient c : List.of(a, b)) {
                Callable<Path> job = () -> {
                    start.await();
                    return c.downloadFile("org/model", null, "model.safetensors");
                };
                results.add(ex.submit(job));
            }
            start.countDown();
            awaitLog("waiting for another download");
            gate.countDown();
            Path p1 = results.get(0).get(20, TimeUnit.SECONDS);
            Path p2 = results.get(1).get(20, TimeUnit.SECONDS);
            assertEquals(p1, p2);
            assertArrayEquals(weights, Files.readAllBytes(p1));
        } finally {
            ex.shutdownNow();
        }
        assertEquals(1, hub.cdnGets.get(), "the second downloader waits for the lock and reuses the blob");
        assertTrue(log.stream().anyMatch(l -> l.contains("waiting for another download")), log.toString());
    }

    @Test
    void waitsForALockHeldByAnotherProcess() throws Exception {
        Path lock = cache.resolve(".locks/models--org--model/" + FakeHub.sha256(weights) + ".lock");
        Files.createDirectories(lock.getParent());
        Path ready = cache.resolve("ready");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path release = cache.resolve("release");
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), lock.toString(), ready.toString(), release.toString())
                .redirectErrorStream(true).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!Files.exists(ready) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(ready), "lock holder did not start");
            ExecutorService ex = Executors.newSingleThreadExecutor();
            try (HubClient c = client()) {
                Future<Path> download = ex.submit(() -> c.downloadFile("org/model", null, "model.safetensors"));
                awaitLog("another process");
                assertFalse(download.isDone(), "must wait while the other process holds the lock");
                Files.createFile(release);
                assertArrayEquals(weights, Files.readAllBytes(download.get(20, TimeUnit.SECONDS)));
            } finally {
                ex.shutdownNow();
            }
            assertTrue(holder.waitFor(10, TimeUnit.SECONDS));
            assertEquals(1, hub.cdnGets.get());
        } finally {
            holder.destroy();
        }
    }

    @Test
    void unreachableHubFallsBackToTheCache() throws Exception {
        try (HubClient c = client()) {
            c.downloadModel("org/model", null);
        }
        hub.close();
        try (HubClient c = client(settings(hub, cache, log).optMaxRetries(0).optConnectTimeout(Duration.ofMillis(500)))) {
            Path snap = c.downloadModel("org/model", null);
            assertArrayEquals(config, Files.readAllBytes(snap.resolve("config.json")));
            Path one = c.downloadFile("org/model", null, "config.json");
            assertArrayEquals(config, Files.readAllBytes(one));
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("unreachable")), log.toString());
    }
}
