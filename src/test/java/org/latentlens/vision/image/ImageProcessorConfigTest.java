package org.latentlens.vision.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** preprocessor_config.json parsing, HF's defaults and size rules, and the errors for unsupported settings. */
class ImageProcessorConfigTest {
    @TempDir
    Path tmp;

    private static ImageProcessorConfig parse(String json) throws Exception {
        return ImageProcessorConfig.fromJson(new ObjectMapper().readTree(json), "test/preprocessor_config.json");
    }

    private static IllegalArgumentException error(String json) {
        return assertThrows(IllegalArgumentException.class, () -> parse(json));
    }

    @Test
    void oldClipConfigUsesFeatureExtractorTypeAndIntegerSizes() throws Exception {
        ImageProcessorConfig c = ImageProcessorConfig.load(
                VisionFixtures.resources().resolve("clip-vit-large-patch14-336/preprocessor_config.json"));
        assertEquals("CLIPImageProcessor", c.type);
        assertEquals(336, c.shortestEdge);
        assertEquals(336, c.cropHeight);
        assertEquals(336, c.cropWidth);
        assertEquals(Resampling.BICUBIC, c.resample);
        assertEquals(1.0 / 255, c.rescaleFactor);
        assertTrue(c.doCenterCrop);
    }

    @Test
    void classDefaultsFillMissingKeys() throws Exception {
        ImageProcessorConfig siglip = parse("{\"image_processor_type\": \"SiglipImageProcessor\", \"size\": 384}");
        assertEquals(384, siglip.height);
        assertEquals(384, siglip.width);
        assertEquals(0, siglip.shortestEdge);
        assertEquals(false, siglip.doCenterCrop);
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, siglip.imageMean);

        ImageProcessorConfig bit = parse("{\"image_processor_type\": \"BitImageProcessorFast\"}");
        assertEquals("BitImageProcessor", bit.type);
        assertEquals(224, bit.shortestEdge);
        assertEquals(224, bit.cropHeight);
        assertArrayEquals(ImageProcessorConfig.OPENAI_CLIP_MEAN, bit.imageMean);

        ImageProcessorConfig qwen = parse("{\"image_processor_type\": \"Qwen2VLImageProcessorPil\"}");
        assertEquals(ImageProcessorConfig.Kind.QWEN2_VL, qwen.kind);
        assertEquals(56 * 56, qwen.minPixels);
        assertEquals(28 * 28 * 1280, qwen.maxPixels);
        assertEquals(14, qwen.patchSize);
        assertEquals(2, qwen.mergeSize);
        assertEquals(2, qwen.temporalPatchSize);
    }

    @Test
    void qwenPixelLimitsComeFromSizeOrTopLevelKeys() throws Exception {
        ImageProcessorConfig fromSize = parse("{\"image_processor_type\": \"Qwen2VLImageProcessor\","
                + " \"size\": {\"shortest_edge\": 3136, \"longest_edge\": 20000}}");
        assertEquals(3136, fromSize.minPixels);
        assertEquals(20000, fromSize.maxPixels);
        ImageProcessorConfig overridden = parse("{\"image_processor_type\": \"Qwen2VLImageProcessor\","
                + " \"size\": {\"shortest_edge\": 3136, \"longest_edge\": 20000},"
                + " \"min_pixels\": 200704, \"max_pixels\": 200704}");
        assertEquals(200704, overridden.minPixels);
        assertEquals(200704, overridden.maxPixels);
    }

    @Test
    void unsupportedOrInvalidSettingsNameTheFileAndField() {
        IllegalArgumentException e = error("{\"image_processor_type\": \"LlavaNextImageProcessor\"}");
        assertTrue(e.getMessage().contains("test/preprocessor_config.json"), e.getMessage());
        assertTrue(e.getMessage().contains("LlavaNextImageProcessor"), e.getMessage());
        assertTrue(e.getMessage().contains("supported"), e.getMessage());

        e = error("{\"do_resize\": true}");
        assertTrue(e.getMessage().contains("image_processor_type"), e.getMessage());

        e = error("{\"image_processor_type\": \"CLIPImageProcessor\", \"resample\": 9}");
        assertTrue(e.getMessage().contains("\"resample\"") && e.getMessage().contains("9"), e.getMessage());

        e = error("{\"image_processor_type\": \"CLIPImageProcessor\", \"image_std\": [0.2, 0, 0.3]}");
        assertTrue(e.getMessage().contains("image_std"), e.getMessage());

        e = error("{\"image_processor_type\": \"CLIPImageProcessor\", \"image_mean\": [0.2, 0.3]}");
        assertTrue(e.getMessage().contains("image_mean") && e.getMessage().contains("3"), e.getMessage());

        e = error("{\"image_processor_type\": \"CLIPImageProcessor\","
                + " \"size\": {\"shortest_edge\": 224, \"longest_edge\": 1000}}");
        assertTrue(e.getMessage().contains("\"size\"") && e.getMessage().contains("longest_edge"), e.getMessage());

        e = error("{\"image_processor_type\": \"Qwen2VLImageProcessor\", \"min_pixels\": 5000, \"max_pixels\": 10}");
        assertTrue(e.getMessage().contains("min_pixels") && e.getMessage().contains("5000"), e.getMessage());

        e = error("{\"image_processor_type\": \"Qwen2VLImageProcessor\", \"patch_size\": 0}");
        assertTrue(e.getMessage().contains("patch_size"), e.getMessage());

        e = error("{\"image_processor_type\": \"CLIPImageProcessor\", \"do_resize\": \"yes\"}");
        assertTrue(e.getMessage().contains("do_resize"), e.getMessage());
    }

    @Test
    void loadAcceptsADirectoryAndReportsAMissingFile() throws Exception {
        Files.writeString(tmp.resolve("preprocessor_config.json"), "{\"image_processor_type\": \"SiglipImageProcessor\"}");
        assertTrue(ImageProcessors.load(tmp) instanceof ResizeCropNormalizeProcessor);
        assertEquals(ResizeBackend.TORCHVISION, ImageProcessors.load(tmp, ResizeBackend.TORCHVISION).backend());
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        Exception e = assertThrows(java.nio.file.NoSuchFileException.class, () -> ImageProcessors.load(empty));
        assertTrue(e.getMessage().contains("preprocessor_config.json"), e.getMessage());
    }

    @Test
    void shortestEdgeResizeTruncatesTheLongSide() throws Exception {
        ResizeCropNormalizeProcessor p = new ResizeCropNormalizeProcessor(
                parse("{\"image_processor_type\": \"CLIPImageProcessor\", \"size\": 336}"), ResizeBackend.PIL);
        assertArrayEquals(new int[] {336, 505}, p.resizedSize(300, 451)); // int(336 * 451 / 300) = int(505.12)
        assertArrayEquals(new int[] {505, 336}, p.resizedSize(451, 300));
        assertArrayEquals(new int[] {336, 336}, p.resizedSize(10, 10));
    }

    @Test
    void centreCropPadsAsEachBackendDoes() {
        byte[] b = new byte[5 * 5 * 3];
        java.util.Arrays.fill(b, (byte) 9);
        RgbImage img = new RgbImage(5, 5, b);
        RgbImage pil = ResizeBackend.PIL.centerCrop(img, 8, 8);
        RgbImage tv = ResizeBackend.TORCHVISION.centerCrop(img, 8, 8);
        // 3 rows of padding: numpy's centre_crop puts ceil(3/2) = 2 before, torchvision floor(3/2) = 1.
        assertEquals(0, pil.get(1, 1, 0));
        assertEquals(9, pil.get(2, 2, 0));
        assertEquals(9, pil.get(6, 6, 0));
        assertEquals(0, pil.get(7, 7, 0));
        assertEquals(9, tv.get(1, 1, 0));
        assertEquals(0, tv.get(6, 6, 0));
        // crop inside the image: floor((H - h) / 2)
        RgbImage ramp = ResamplerTestImages.ramp(7, 6);
        RgbImage c = ResizeBackend.PIL.centerCrop(ramp, 3, 4);
        assertEquals(ramp.get(1, 1, 0), c.get(0, 0, 0));
    }

    @Test
    void imagesThatCannotBeStackedAreRefused() throws Exception {
        ImageProcessor p = ImageProcessors.create(parse("{\"image_processor_type\": \"CLIPImageProcessor\","
                + " \"size\": 8, \"do_center_crop\": false}"), ResizeBackend.PIL);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.preprocess(List.of(ResamplerTestImages.ramp(16, 8), ResamplerTestImages.ramp(8, 16))));
        assertTrue(e.getMessage().contains("image 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.preprocess(List.of()));
        PixelValues two = p.preprocess(List.of(ResamplerTestImages.ramp(16, 8), ResamplerTestImages.ramp(32, 16)));
        assertArrayEquals(new long[] {2, 3, 8, 16}, two.shape());
    }
}
