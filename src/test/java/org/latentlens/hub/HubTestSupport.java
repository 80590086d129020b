package org.latentlens.hub;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/** Shared helpers: fast settings against a {@link FakeHub}, deterministic payloads. */
final class HubTestSupport {
    private HubTestSupport() {
    }

    static HubSettings.Builder settings(FakeHub hub, Path cache, List<String> log) {
        return HubSettings.builder()
                .optEndpoint(hub.endpoint())
                .optCacheDir(cache)
                .optConnectTimeout(Duration.ofSeconds(2))
                .optMetadataTimeout(Duration.ofSeconds(2))
                .optReadTimeout(Duration.ofSeconds(3))
                .optRetryBackoff(Duration.ofMillis(5))
                .optMaxRetries(3)
                .optProgress(false)
                .optLog(log::add);
    }

    static List<String> newLog() {
        return new CopyOnWriteArrayList<>();
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
