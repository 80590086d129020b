package org.latentlens.vision.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** smart_resize cases and the flattened patch order, on synthetic images. */
class Qwen2VLImageProcessorTest {
    private static Qwen2VLImageProcessor processor(String extra) throws Exception {
        String json = "{\"image_processor_type\": \"Qwen2VLImageProcessor\"" + extra + "}";
        return new Qwen2VLImageProcessor(ImageProcessorConfig.fromJson(new ObjectMapper().readTree(json), "test"),
                ResizeBackend.PIL);
    }

    @Test
    void smartResizeCases() {
        // The fixture's case: rounding gives 308x448 < min_pixels, so it scales up and rounds up.
        assertArrayEquals(new int[] {392, 560}, Qwen2VLImageProcessor.smartResize(300, 451, 28, 200704, 200704));
        assertArrayEquals(new int[] {448, 448}, Qwen2VLImageProcessor.smartResize(448, 448, 28, 200704, 200704));
        // Too large: scaled down, rounded down.
        assertArrayEquals(new int[] {308, 616}, Qwen2VLImageProcessor.smartResize(1000, 2000, 28, 3136, 200704));
        // Python's round() is half-to-even: 42/28 = 1.5 -> 2, 70/28 = 2.5 -> 2.
        assertArrayEquals(new int[] {56, 56}, Qwen2VLImageProcessor.smartResize(42, 70, 28, 1, 1L << 40));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Qwen2VLImageProcessor.smartResize(10, 2500, 28, 3136, 200704));
        assertTrue(e.getMessage().contains("aspect ratio"), e.getMessage());
    }

    @Test
    void patchesFollowHuggingFacesFlattenedOrder() throws Exception {
        // No resize, no rescale/normalise: the values are the raw pixels, R = x, G = y.
        Qwen2VLImageProcessor p = processor(", \"do_resize\": false, \"do_rescale\": false, \"do_normalize\": false");
        int w = 56;
        int h = 28;
        byte[] b = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                b[(y * w + x) * 3] = (byte) x;
                b[(y * w + x) * 3 + 1] = (byte) y;
                b[(y * w + x) * 3 + 2] = 7;
            }
        }
        PixelValues pv = p.preprocess(new RgbImage(w, h, b));
        assertArrayEquals(new long[] {8, 3 * 2 * 14 * 14}, pv.shape());
        assertArrayEquals(new long[] {1, 2, 4}, pv.gridThwFlat());
        // Rows: the 2x2 merge group at block column 0 first (patches (0,0) (0,1) (1,0) (1,1)), then block column 1.
        int[][] patchOfRow = {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}};
        int rowLen = 3 * 2 * 14 * 14;
        for (int r = 0; r < 8; r++) {
            for (int c = 0; c < 3; c++) {
                for (int t = 0; t < 2; t++) {
                    for (int yy = 0; yy < 14; yy++) {
                        for (int xx = 0; xx < 14; xx++) {
                            int col = ((c * 2 + t) * 14 + yy) * 14 + xx;
                            int x = patchOfRow[r][1] * 14 + xx;
                            int y = patchOfRow[r][0] * 14 + yy;
                            float expected = c == 0 ? x : (c == 1 ? y : 7);
                            assertEquals(expected, pv.data()[r * rowLen + col], "row " + r + " column " + col);
                        }
                    }
                }
            }
        }
    }

    @Test
    void imagesAreConcatenatedWithOneGridEach() throws Exception {
        Qwen2VLImageProcessor p = processor(", \"min_pixels\": 3136, \"max_pixels\": 20000");
        PixelValues pv = p.preprocess(List.of(ResamplerTestImages.ramp(100, 60), ResamplerTestImages.ramp(40, 90)));
        int[] a = Qwen2VLImageProcessor.smartResize(60, 100, 28, 3136, 20000);
        int[] b = Qwen2VLImageProcessor.smartResize(90, 40, 28, 3136, 20000);
        long rows = (long) (a[0] / 14) * (a[1] / 14) + (long) (b[0] / 14) * (b[1] / 14);
        assertArrayEquals(new long[] {rows, 1176}, pv.shape());
        assertArrayEquals(new long[] {1, a[0] / 14, a[1] / 14, 1, b[0] / 14, b[1] / 14}, pv.gridThwFlat());
    }

    @Test
    void unresizedImagesMustFitThePatchGrid() throws Exception {
        Qwen2VLImageProcessor p = processor(", \"do_resize\": false");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.preprocess(ResamplerTestImages.ramp(50, 56)));
        assertTrue(e.getMessage().contains("50x56") && e.getMessage().contains("28")
                && e.getMessage().contains("do_resize"), e.getMessage());
    }
}
