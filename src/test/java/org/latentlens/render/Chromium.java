package org.latentlens.render;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Headless Chromium for tests: a fresh profile per run, no network chatter, output captured. */
final class Chromium {
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-quic", "--hide-scrollbars", "--virtual-time-budget=15000");

    private Chromium() {
    }

    /** @return the chromium binary, or fails naming how to install it */
    static String binary() {
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        throw new IllegalStateException("Chromium not found: run bin/setup-test-deps (apt package 'chromium')");
    }

    /**
     * @param url the page
     * @param extra flags such as --dump-dom or --screenshot=FILE
     * @return standard output
     */
    static String run(String url, String... extra) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("ll-chromium-");
        try {
            List<String> cmd = new ArrayList<>();
            cmd.add(binary());
            cmd.addAll(FLAGS);
            cmd.add("--user-data-dir=" + profile);
            cmd.addAll(List.of(extra));
            cmd.add(url);
            Path out = Files.createTempFile("ll-chromium-", ".out");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("Chromium did not finish in 120 s on " + url);
            }
            String s = Files.readString(out, StandardCharsets.UTF_8);
            Files.deleteIfExists(out);
            return s;
        } finally {
            try (var walk = Files.walk(profile)) {
                walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
