package org.latentlens.vision.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every filter (NEAREST, LANCZOS, BILINEAR, BICUBIC, BOX, HAMMING), down- and upscaling, odd and
 * degenerate sizes and very tall images, against Pillow's own output
 * ({@code src/test/resources/vision/resampling/pillow-resize.json}).
 */
class ResamplerPillowTest {
    /** The synthetic input of the references: ramps, hard edges and pseudo-noise (same formula as the generator). */
    static RgbImage pattern(int w, int h) {
        byte[] b = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                b[o] = (byte) ((x * 37 + y * 11 + (x * y * 7919) % 41) % 256);
                b[o + 1] = (byte) ((x / 3 + y / 5) % 2 == 1 ? 255 : 0);
                b[o + 2] = (byte) ((x * 131 + y * 71 + (x ^ y) * 13) % 256);
            }
        }
        return new RgbImage(w, h, b);
    }

    @Test
    void resizesEqualPillows() throws Exception {
        Path dir = VisionFixtures.resources().resolveSibling("resampling");
        JsonNode cases = VisionFixtures.json(dir.resolve("pillow-resize.json")).get("cases");
        RgbImage chelsea = ImageLoader.read(VisionFixtures.resources().resolve("chelsea.png"));
        List<String> wrong = new ArrayList<>();
        for (JsonNode c : cases) {
            int iw = c.get("in_wh").get(0).asInt();
            int ih = c.get("in_wh").get(1).asInt();
            int ow = c.get("out_wh").get(0).asInt();
            int oh = c.get("out_wh").get(1).asInt();
            RgbImage in = c.get("input").asText().equals("pattern") ? pattern(iw, ih) : chelsea;
            Resampling filter = Resampling.valueOf(c.get("filter").asText());
            RgbImage out = PilResampler.resize(in, ow, oh, filter);
            if (!VisionFixtures.sha256(out.hwc()).equals(c.get("sha256").asText())) {
                wrong.add(iw + "x" + ih + " -> " + ow + "x" + oh + " " + filter);
            }
        }
        assertEquals(78, cases.size());
        assertEquals(List.of(), wrong, "resizes that differ from Pillow's");
    }
}
