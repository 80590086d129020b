package org.latentlens.render;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlens.index.Neighbor;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each view's HTML and text hold. */
class ViewsHtmlTest {
    private static int count(String haystack, String needle) {
        return haystack.split(Pattern.quote(needle), -1).length - 1;
    }

    @Test
    void neighbourTableGroupsByLayerWithBarsMarksAndLayers() {
        String html = ViewsFixture.table().toHtml();
        assertEquals(2, count(html, "<details"), "one collapsible group per query layer");
        assertTrue(html.contains("<summary>Layer 8 \u00b7 2 tokens</summary>"), html);
        assertTrue(html.contains("The <mark>cat</mark> sat on the mat"), html);
        assertTrue(html.contains("&lt;across&gt;") && html.contains("&amp; hall"), "caption escaped");
        assertTrue(html.contains("width:91.0%"), "bar proportional to similarity");
        assertTrue(html.contains("width:0.0%"), "a negative similarity draws an empty bar");
        assertTrue(html.contains("<span class=\"ll-layer\">L8</span>"));
        assertTrue(html.contains("\u2423kitten"), "leading space made visible");
        assertTrue(html.contains("\u2026"), "long caption truncated");
        String text = ViewsFixture.table().toText();
        assertTrue(text.contains("[[cat]]") && text.contains("Layer 12"), text);
    }

    @Test
    void neighbourTableRejectsMismatchedLists() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NeighbourTable.of("t", 1, List.of("a", "b"), List.of(List.<Neighbor>of())));
        assertTrue(e.getMessage().contains("(2)") && e.getMessage().contains("(1)"), e.getMessage());
    }

    @Test
    void lensComparisonShowsLensesSideBySideAndAHeatmapPerLens() {
        LensComparison c = LensComparison.of(ViewsFixture.readouts());
        assertEquals(List.of("LatentLens", "LogitLens", "EmbeddingLens"), c.lenses());
        String table = c.table(4).toHtml();
        assertTrue(table.contains("<th>LatentLens</th><th>LogitLens</th><th>EmbeddingLens</th>"), table);
        String heat = c.heatmap("LogitLens").toHtml();
        assertEquals(3 * 3, count(heat, "class=\"ll-tip\""), "one cell per token x layer");
        assertTrue(heat.contains("layer 4 \u00b7 \u2423cat\n0.900  cat\n0.050  &lt;alt&gt;"), "top-k on hover, escaped");
        Matcher rows = Pattern.compile("<th class=\"ll-row\">(\\d+)</th>").matcher(heat);
        StringBuilder order = new StringBuilder();
        while (rows.find()) {
            order.append(rows.group(1)).append(' ');
        }
        assertEquals("4 2 0 ", order.toString(), "last layer on top");
        String whole = c.toHtml();
        assertEquals(3, count(whole, "top entry per token and layer"));
        assertThrows(IllegalArgumentException.class, () -> c.heatmap("TunedLens"));
        assertThrows(IllegalArgumentException.class, () -> c.table(3));
    }

    @Test
    void selfMatchCurvesCountTopEntriesEqualToTheToken() {
        LayerCurves curves = LensComparison.of(ViewsFixture.readouts()).selfMatchCurves();
        LayerCurves.Series s = curves.series().get(0);
        assertEquals(List.of(0, 2, 4), java.util.Arrays.stream(s.layers()).boxed().toList());
        assertEquals(0.0, s.values()[0]);
        assertEquals(1.0, s.values()[2]);
    }

    @Test
    void layerCurvesEmitAPlotlyChartWithAJavascriptSafeId() {
        LayerCurves c = ViewsFixture.curves();
        assertTrue(c.needsPlotly());
        String html = c.toHtml();
        Matcher id = Pattern.compile("<div id=\"([^\"]+)\"").matcher(html);
        assertTrue(id.find(), html);
        assertTrue(id.group(1).matches("[A-Za-z_][A-Za-z0-9_]*"), "Tablesaw uses the id as a JS variable: " + id.group(1));
        assertTrue(html.contains("Plotly.newPlot("), html);
        assertTrue(html.contains("Mean top-1 similarity per layer"), html);
        assertEquals(2, c.toTable().columnCount() - 1);
        assertTrue(c.toText().contains("0.5500"), c.toText());
        assertThrows(IllegalArgumentException.class,
                () -> LayerCurves.builder().series("bad", new int[] {1, 2}, new double[] {1}));
    }

    @Test
    void plotlyIsWrappedAgainstRequireJsAndInlinedOncePerSession() {
        String tag = Plotly.scriptTag();
        assertTrue(tag.startsWith("<script type=\"text/javascript\">(function(define, module, exports){"));
        assertTrue(tag.contains("plotly.js v2.35.3"), "the pinned plotly version");
        Plotly.reset();
        assertFalse(Plotly.scriptTagOnce().isEmpty());
        assertEquals("", Plotly.scriptTagOnce());
        Plotly.reset();
    }

    @Test
    void patchOverlayHasOneHoverablePatchPerCellAndAPng(@TempDir Path dir) throws Exception {
        PatchOverlay o = ViewsFixture.overlay();
        String html = o.toHtml();
        assertEquals(9, count(html, "<g class=\"ll-patch\">"));
        assertTrue(html.contains("<title>patch (0, 2)\n0.600  \u2423sun  (L10)\n0.400  \u2423blue</title>"), html);
        assertTrue(html.contains("src=\"data:image/png;base64,"));
        BufferedImage img = o.toImage().orElseThrow();
        assertEquals(360, img.getWidth(), "default width: 72 px per patch column, at least 360");
        Path png = o.writePng(dir.resolve("sub/overlay.png"));
        assertTrue(Files.size(png) > 1000);
        BufferedImage back = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(img.getHeight(), back.getHeight());
        assertTrue(o.toText().contains("sun"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PatchOverlay.builder(ViewsFixture.picture(), 2, 2).neighbours(List.of()));
        assertTrue(e.getMessage().contains("needs 4"), e.getMessage());
    }

    @Test
    void progressReportsToItsSinkAndRendersOneLine() {
        StringBuilder events = new StringBuilder();
        Progress.useSinks(p -> new Progress.Sink() {
            @Override
            public void started(Progress x) {
                events.append("S");
            }

            @Override
            public void updated(Progress x) {
                events.append("U");
            }

            @Override
            public void finished(Progress x) {
                events.append("F");
            }
        });
        try (Progress p = Progress.start("Indexing", 4)) {
            for (int i = 0; i < 4; i++) {
                p.step();
            }
            assertTrue(p.toHtml().contains("100%"), p.toHtml());
        } finally {
            Progress.useTerminal();
        }
        assertTrue(events.toString().matches("SU+F"), events.toString());
    }

    @Test
    void pageInlinesPlotlyOnceAndWritesAtomically(@TempDir Path dir) throws Exception {
        Path file = HtmlPage.titled("Report <1>").add(ViewsFixture.table()).add(ViewsFixture.curves())
                .add(ViewsFixture.curves()).write(dir.resolve("r.html"));
        String html = Files.readString(file);
        assertEquals(1, count(html, "plotly.js v2.35.3"));
        assertEquals(2, count(html.substring(html.indexOf("</head>")), "Plotly.newPlot("), "two charts in the body");
        assertTrue(html.contains("<title>Report &lt;1&gt;</title>"));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }
}
