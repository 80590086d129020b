package org.latentlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.latentlens.TestFixtures;
import org.latentlens.index.BuildOptions;
import org.latentlens.index.ContextualIndex;
import org.latentlens.index.IndexBuilder;
import org.latentlens.model.LoadOptions;
import org.latentlens.vision.model.VisionLanguageModel;

/**
 * {@code latentlens interpret-image} end to end on the tiny random-weight VLMs: an index built in the test
 * from the VLM's own language model over a few sentences, chelsea.png, every step real (the neighbours of
 * random weights mean nothing, so the test checks structure: one line per sampled patch, neighbours from
 * the index's sentences, PNGs of the right size, an HTML page with the overlays).
 */
class InterpretImageCommandTest {
    private static final List<String> SENTENCES = List.of("A cat sleeps on the sofa.", "The dog runs in the park.",
            "Green eyes look at the camera.", "Whiskers and fur in warm light.");

    @ParameterizedTest
    @CsvSource({"qwen2-vl, 4, 6", "llava, 4, 4"})
    void writesOverlaysAndPrintsPatchNeighbours(String name, int rows, int cols, @TempDir Path dir) throws Exception {
        Path model = TestFixtures.resource("fixtures/hf-tiny-vision/" + name);
        Path index = dir.resolve("index");
        try (VisionLanguageModel vlm = VisionLanguageModel.load(model, LoadOptions.builder().build());
             ContextualIndex built = IndexBuilder.build(vlm.languageModel(), SENTENCES, "test",
                     BuildOptions.builder().optLayers(1, 2).optShowProgress(false).build(), index)) {
            assertEquals(List.of(1, 2), built.layers());
        }
        Path out = dir.resolve("out");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int rc;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            rc = Main.run("interpret-image", "--model", model.toString(), "--index", index.toString(),
                    "--image", TestFixtures.resource("vision/image-processors/chelsea.png").toString(),
                    "--layers", "1,3", "--top-k", "3", "--patches", "5", "--out", out.toString());
        } finally {
            System.setOut(old);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, text);
        assertTrue(text.contains("layer 1 (grid " + rows + " x " + cols), text);
        assertTrue(text.contains("layer 3 (grid " + rows + " x " + cols), text);
        long patchLines = text.lines().filter(l -> l.startsWith("  patch (")).count();
        assertEquals(10, patchLines, text);
        String first = text.lines().filter(l -> l.startsWith("  patch (0, 0)")).findFirst().orElseThrow();
        assertEquals(3, first.split(" \\| ").length, first);
        assertTrue(first.matches(".* L[12]( .*|$)"), "neighbours come from index layers 1 and 2: " + first);
        for (int layer : new int[] {1, 3}) {
            BufferedImage png = ImageIO.read(out.resolve("overlay-layer" + layer + ".png").toFile());
            assertTrue(png.getWidth() >= 360, "png width " + png.getWidth());
        }
        String html = Files.readString(out.resolve("interpret-image.html"));
        assertTrue(html.contains("Layer 1") && html.contains("Layer 3"), "html has both overlays");
        assertTrue(html.contains("<svg"), "overlay is drawn as SVG");
    }
}
