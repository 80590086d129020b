package org.latentlens.render;

import org.latentlens.index.Neighbor;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** Small plain inputs for the views, shared by the content and screenshot tests. */
final class ViewsFixture {
    private ViewsFixture() {
    }

    static NeighbourTable table() {
        List<Neighbor> cat = List.of(
                new Neighbor(" cat", 0.91f, "The cat sat on the mat while the dog slept.", 2, 3797, 8),
                new Neighbor(" kitten", 0.84f, "A small kitten chased the red ball <across> the kitchen floor & hall.", 3, 45329, 8),
                new Neighbor(" dog", -0.2f, "The dog barked.", 2, 3290, -1));
        List<Neighbor> sat = List.of(
                new Neighbor(" sat", 0.88f, "She sat quietly by the window, reading an old letter from her grandmother"
                        + " who lived far away in a small village by the sea.", 2, 7731, 4));
        return NeighbourTable.builder().title("Nearest neighbours").add(8, 2, " cat", cat).add(8, 3, " sat", sat)
                .add(12, 2, " cat", cat.subList(0, 1)).build();
    }

    static List<LensReadout> readouts() {
        String[] tokens = {"The", " cat", " sat"};
        List<LensReadout> out = new ArrayList<>();
        for (String lens : List.of("LatentLens", "LogitLens", "EmbeddingLens")) {
            for (int layer = 0; layer <= 4; layer += 2) {
                for (int pos = 0; pos < tokens.length; pos++) {
                    String top = layer >= 2 ? tokens[pos].strip() : "x" + pos;
                    out.add(new LensReadout(lens, layer, pos, tokens[pos], List.of(
                            new LensEntry(top, 0.2 * layer + 0.1 * pos), new LensEntry("<alt>", 0.05))));
                }
            }
        }
        return out;
    }

    static LayerCurves curves() {
        return LayerCurves.builder().title("Mean top-1 similarity per layer").yTitle("cosine similarity")
                .series("LatentLens", new int[] {0, 2, 4, 6}, new double[] {0.41, 0.55, 0.63, 0.70})
                .series("EmbeddingLens", new int[] {0, 2, 4, 6}, new double[] {0.52, 0.40, 0.31, 0.27})
                .build();
    }

    static BufferedImage picture() {
        BufferedImage img = new BufferedImage(360, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(135, 190, 235), 0, 150, new Color(225, 238, 250)));
        g.fillRect(0, 0, 360, 150);
        g.setColor(new Color(90, 150, 70));
        g.fillRect(0, 150, 360, 90);
        g.setColor(new Color(250, 210, 60));
        g.fillOval(270, 20, 50, 50);
        g.dispose();
        return img;
    }

    static PatchOverlay overlay() {
        String[] labels = {"sky", "sky", "sun", "cloud", "sky", "sky", "grass", "grass", "field"};
        List<List<Neighbor>> perPatch = new ArrayList<>();
        for (String l : labels) {
            perPatch.add(List.of(new Neighbor(" " + l, 0.6f, "", -1, -1, 10), new Neighbor(" blue", 0.4f)));
        }
        return PatchOverlay.builder(picture(), 3, 3).neighbours(perPatch).title("Top neighbour per patch").build();
    }
}
