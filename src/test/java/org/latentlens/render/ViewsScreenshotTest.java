package org.latentlens.render;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A standalone page with a neighbour table, a lens comparison (table and heatmaps), per-layer curves and a
 * patch overlay, opened in headless Chromium: the charts must draw, with their titles, and a screenshot is
 * kept as an artifact in {@code target/render/views.png} (plus the overlay's Java2D PNG).
 */
class ViewsScreenshotTest {
    private static int count(String haystack, String regex) {
        return (int) Pattern.compile(regex).matcher(haystack).results().count();
    }

    @Test
    void standalonePageRendersEveryViewInChromium() throws Exception {
        Path dir = Path.of("target", "render").toAbsolutePath();
        LensComparison comparison = LensComparison.of(ViewsFixture.readouts());
        Path page = HtmlPage.titled("LatentLens views")
                .heading("Neighbour table").add(ViewsFixture.table())
                .heading("Lens comparison").add(comparison.table(4)).add(comparison.heatmap("LatentLens"))
                .heading("Per-layer curves").add(ViewsFixture.curves()).add(comparison.selfMatchCurves())
                .heading("Patch overlay").add(ViewsFixture.overlay())
                .write(dir.resolve("views.html"));
        String url = page.toUri().toString();

        String dom = Chromium.run(url, "--dump-dom");
        assertEquals(2 * 3, count(dom, "class=\"main-svg\""), "plotly draws 3 svg layers per chart, 2 charts");
        assertTrue(dom.contains("Mean top-1 similarity per layer") && count(dom, "class=\"gtitle\"") == 2,
                "both chart titles drawn (plotly.js 2.x keeps Tablesaw's string titles)");
        assertTrue(count(dom, "class=\"xtitle\"") == 2, "axis titles drawn");
        assertEquals(9, count(dom, "class=\"ll-patch\""), "overlay patches present");

        Path shot = dir.resolve("views.png");
        Files.deleteIfExists(shot);
        Chromium.run(url, "--window-size=1200,2300", "--screenshot=" + shot);
        BufferedImage img = ImageIO.read(shot.toFile());
        assertEquals(1200, img.getWidth());
        assertTrue(distinctColours(img) > 200, "the screenshot shows content, not a blank page");
        ViewsFixture.overlay().writePng(dir.resolve("overlay.png"));
        BufferedImage heat = comparison.heatmap("LatentLens").toImage().orElseThrow();
        assertTrue(heat.getWidth() >= 64 + 3 * 96 + 12, "one column per token");
        ImageIO.write(heat, "png", dir.resolve("heatmap.png").toFile());
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 7) {
            for (int x = 0; x < img.getWidth(); x += 7) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
