package org.latentlens.notebook;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The notebook CI: the kernel is installed into a temporary prefix (with this build's classes and
 * dependencies), then {@code bin/run-notebooks} executes every notebook in {@code notebooks/} on Debian's
 * Jupyter, exports HTML and checks the charts in headless Chromium (artifacts: {@code target/notebooks/}), and
 * {@code bin/kernel-starts} starts the kernel repeatedly without a hang.
 *
 * <p>The start count is {@value #DEFAULT_STARTS} here to keep the suite short; the full 50 run with
 * {@code -Dlatentlens.kernelStarts=50}, or {@code bin/kernel-starts 50}.
 */
class NotebooksTest {
    static final int DEFAULT_STARTS = 10;
    private static Path prefix;

    @BeforeAll
    static void installKernel(@TempDir Path tmp) throws Exception {
        prefix = tmp.resolve("prefix");
        List<String> cp = new ArrayList<>(List.of(TestClasspath.get().split(File.pathSeparator)));
        cp.removeIf(e -> e.isBlank() || !Files.exists(Path.of(e)));
        KernelInstaller.builder().prefix(prefix).classpath(cp).build().install();
    }

    private static String run(Path log, long minutes, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + minutes + " min; log: " + log);
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + tail(out));
        return out;
    }

    private static String tail(String s) {
        return s.length() <= 6000 ? s : "..." + s.substring(s.length() - 6000);
    }

    @Test
    void everyNotebookRunsGreenWithChartsDrawn() throws Exception {
        Path out = Files.createDirectories(Path.of("target", "notebooks").toAbsolutePath());
        String log = run(out.resolve("run-notebooks.log"), 25, "bin/run-notebooks", "--kernel-prefix",
                prefix.toString(), "--fresh-maven-repo", "--out", out.toString());
        assertTrue(log.contains("PASS 00-kernel-smoke"), tail(log));
        assertTrue(Files.size(out.resolve("00-kernel-smoke.png")) > 10_000, "screenshot written");
        String executed = Files.readString(out.resolve("00-kernel-smoke.ipynb"));
        assertTrue(executed.contains("%maven: added commons-text-1.12.0.jar, commons-lang3-3.14.0.jar"),
                "%maven resolved from Maven Central into an empty repository");
        assertTrue(executed.contains("at cell [11] line 2"), "the expected error points at the user's line");
    }

    @Test
    void kernelAnswersCompletionInspectionAndInterruptOverTheProtocol() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "notebooks").toAbsolutePath());
        Path script = dir.resolve("kernel_protocol.py");
        try (var in = NotebooksTest.class.getResourceAsStream("kernel_protocol.py")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path runtime = Files.createTempDirectory("ll-jupyter-runtime");
        Path probeJar = ProbeExtensionJar.build(Files.createTempDirectory("ll-probe"));
        String out = run(dir.resolve("kernel-protocol.log"), 5, "env", "LL_PROBE_JAR=" + probeJar,
                "JUPYTER_PATH=" + prefix.resolve("share/jupyter"), "JUPYTER_RUNTIME_DIR=" + runtime,
                "PYDEVD_DISABLE_FILE_VALIDATION=1", "/usr/bin/python3", script.toString());
        for (String check : List.of("completion", "magic completion", "is_complete", "inspect", "interrupt", "state kept",
                "extension via %jars")) {
            assertTrue(out.contains("OK " + check + "\n"), check + " missing in:\n" + out);
        }
    }

    @Test
    void kernelStartsRepeatedlyWithoutAHang() throws Exception {
        int n = Integer.getInteger("latentlens.kernelStarts", DEFAULT_STARTS);
        Path log = Files.createDirectories(Path.of("target", "notebooks").toAbsolutePath()).resolve("kernel-starts.log");
        String out = run(log, 20, "bin/kernel-starts", String.valueOf(n), "--kernel-prefix", prefix.toString());
        assertTrue(out.contains(n + " kernel starts: " + n + " ok, 0 failed"), out);
    }
}
