package org.latentlens.vision.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * JPEG and PNG files written by Pillow decode to exactly Pillow's pixels, before and after
 * {@code ImageOps.exif_transpose} (references in {@code src/test/resources/vision/decoding}).
 */
class PillowDecodingTest {
    @Test
    void decodedPixelsEqualPillows() throws Exception {
        Path dir = VisionFixtures.resources().resolveSibling("decoding");
        JsonNode files = VisionFixtures.json(dir.resolve("expected.json")).get("files");
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode exp = e.getValue();
            Path file = dir.resolve(e.getKey());

            RgbImage stored = ImageLoader.read(file, false);
            assertEquals(exp.get("size_wh").get(0).asInt(), stored.width(), e.getKey());
            assertEquals(exp.get("size_wh").get(1).asInt(), stored.height(), e.getKey());
            assertEquals(exp.get("rgb_sha256").asText(), VisionFixtures.sha256(stored.hwc()),
                    e.getKey() + " (" + exp.get("note").asText() + ") decodes differently from Pillow");

            RgbImage upright = ImageLoader.read(file);
            assertEquals(exp.get("exif_transposed_size_wh").get(0).asInt(), upright.width(), e.getKey());
            assertEquals(exp.get("exif_transposed_size_wh").get(1).asInt(), upright.height(), e.getKey());
            assertEquals(exp.get("exif_transposed_rgb_sha256").asText(), VisionFixtures.sha256(upright.hwc()),
                    e.getKey() + ": EXIF orientation applied differently from ImageOps.exif_transpose");
            checked++;
        }
        assertEquals(7, checked);
    }
}
