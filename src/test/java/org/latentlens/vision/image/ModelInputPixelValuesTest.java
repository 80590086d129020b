package org.latentlens.vision.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code pixel_values} (and {@code image_grid_thw}) inputs of the tiny vision-model fixtures
 * ({@code hf-tiny-vision/<model>/expected.safetensors}) come out of our PIL-backend processors
 * bit-identically, from each folder's own {@code preprocessor_config.json}: a batch of chelsea.png and
 * a 90x150 portrait crop of it (so upscaling, portrait shortest-edge resizes and two Qwen grids are
 * covered), plus DINOv2's 70x98 non-square crop.
 */
class ModelInputPixelValuesTest {
    static List<RgbImage> images;

    @BeforeAll
    static void load() throws Exception {
        RgbImage chelsea = ImageLoader.read(VisionFixtures.resources().resolve("chelsea.png"));
        // PIL .crop((160, 30, 250, 180)): left 160, top 30, right 250, bottom 180
        images = List.of(chelsea, chelsea.crop(30, 160, 150, 90));
    }

    static Path dir(String model) {
        return VisionFixtures.resources().resolveSibling("model-inputs").resolve(model);
    }

    @ParameterizedTest
    @ValueSource(strings = {"clip-vision", "siglip-vision", "dinov2", "qwen2-vl", "qwen2.5-vl", "llava"})
    void processorReproducesTheModelFixtureInputs(String model) throws Exception {
        JsonNode expected = VisionFixtures.json(dir(model).resolve("expected-pixel-values.json")).get("tensors");
        PixelValues pv = ImageProcessors.load(dir(model)).preprocess(images);
        check(model + " pixel_values", expected.get("pixel_values"), pv);
        if (expected.has("image_grid_thw")) {
            JsonNode g = expected.get("image_grid_thw").get("values");
            long[] grid = new long[g.size()];
            for (int i = 0; i < grid.length; i++) {
                grid[i] = g.get(i).asLong();
            }
            assertArrayEquals(grid, pv.gridThwFlat(), model + " image_grid_thw");
        }
    }

    @org.junit.jupiter.api.Test
    void dinov2InterpolationInputUsesANonSquareCrop() throws Exception {
        JsonNode expected = VisionFixtures.json(dir("dinov2").resolve("expected-pixel-values.json")).get("tensors");
        ObjectNode cfg = (ObjectNode) VisionFixtures.json(dir("dinov2").resolve("preprocessor_config.json"));
        cfg.putObject("size").put("shortest_edge", 98);
        cfg.putObject("crop_size").put("height", 70).put("width", 98);
        ImageProcessor p = ImageProcessors.create(ImageProcessorConfig.fromJson(cfg, "dinov2 interp settings"),
                ResizeBackend.PIL);
        check("dinov2 interp.pixel_values", expected.get("interp.pixel_values"), p.preprocess(images));
    }

    private static void check(String what, JsonNode t, PixelValues pv) {
        long[] shape = new long[t.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.get("shape").get(i).asLong();
        }
        assertArrayEquals(shape, pv.shape(), what + " shape");
        float[] d = pv.data();
        double maxDiff = 0;
        JsonNode first = t.get("first_values");
        JsonNode last = t.get("last_values");
        for (int i = 0; i < first.size(); i++) {
            maxDiff = Math.max(maxDiff, Math.abs(first.get(i).asDouble() - d[i]));
            maxDiff = Math.max(maxDiff, Math.abs(last.get(i).asDouble() - d[d.length - last.size() + i]));
        }
        assertTrue(maxDiff <= 1e-6, what + ": sampled values differ by up to " + maxDiff);
        assertEquals(t.get("sha256").asText(), pv.sha256(), what + " is not bit-identical to HF's");
    }
}
