package org.latentlens.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlens.cli.Main;

/**
 * The demo end to end on the embedded model (a small corpus subset to keep it quick): its terminal output, and
 * its HTML report rendered by headless Chromium with the chart drawn. The screenshot stays in
 * {@code target/demo/} as a test artifact.
 */
class DemoReportTest {

    @Test
    void demoPrintsNeighboursAndItsReportRendersOffline(@TempDir Path cache) throws Exception {
        Path out = Files.createDirectories(Path.of("target", "demo").toAbsolutePath());
        Path report = out.resolve("latentlens-demo.html");
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(ps);
            rc = Main.run("demo", "--every", "400", "--cache-dir", cache.toString(), "--report", report.toString(),
                    "--no-color");
        } finally {
            System.setOut(saved);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        Files.writeString(out.resolve("demo-output.txt"), text);
        assertEquals(0, rc, text);
        assertTrue(text.contains("\"bank\" in: She sat on the bank of the river."), text);
        assertTrue(text.contains("LatentLens: nearest contextual neighbours"), text);
        assertTrue(text.contains("LogitLens: not applicable here"), text);
        assertTrue(text.matches("(?s).*\\[[A-Za-z]+\\].*"), "a caption with its token marked: " + text);
        assertTrue(text.contains(report.toString()), "the report path is printed");

        String html = Files.readString(report);
        assertTrue(html.contains("Plotly.newPlot("), "the per-layer chart is in the report");
        assertTrue(!html.matches("(?s).*<(script|link|img)[^>]*(src|href)=\"https?:.*"), "no network resources");
        String url = report.toUri().toString();
        String dom = Chromium.run(url, "--dump-dom");
        assertTrue(dom.contains("main-svg"), "plotly drew the chart");
        assertTrue(dom.contains("Mean top-1 similarity per layer"), "chart title shown");
        Path shot = out.resolve("latentlens-demo.png");
        Chromium.run(url, "--window-size=1200,2400", "--screenshot=" + shot);
        assertTrue(Files.size(shot) > 20_000, "screenshot written to " + shot);

        // the second run reuses the cached index
        buf.reset();
        try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(ps);
            rc = Main.run("demo", "--every", "400", "--cache-dir", cache.toString(), "--report", report.toString(),
                    "--no-color");
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, rc);
        assertTrue(!buf.toString(StandardCharsets.UTF_8).contains("Building the index"), "cached index reused");
    }
}
