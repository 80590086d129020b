package org.latentlens.vision.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every processor of {@code hf-tiny-vision/image-processors} on {@code chelsea.png}, both backends:
 * the uint8 image after resizing (or the quickstart's prepared image) equals HF's exactly, the
 * pixel values are bit-identical (SHA-256 of the float32 bytes, as {@code pixel_values_sha256}),
 * their first values agree within 1e-6, and the Qwen grids match.
 */
class ImageProcessorFixtureTest {
    static final String QUICKSTART = "qwen2-vl-latentlens-quickstart";
    static RgbImage chelsea;

    @BeforeAll
    static void load() throws Exception {
        chelsea = ImageLoader.read(VisionFixtures.resources().resolve("chelsea.png"));
    }

    static Stream<Arguments> cases() {
        String[] procs = {"clip-vit-large-patch14-336", "siglip-so400m-patch14-384", "dinov2-base", "qwen2-vl-448",
            QUICKSTART};
        return Stream.of(procs).flatMap(p -> Stream.of(Arguments.of(p, ResizeBackend.PIL),
                Arguments.of(p, ResizeBackend.TORCHVISION)));
    }

    static String backendKey(ResizeBackend b) {
        return b == ResizeBackend.PIL ? "pil" : "torchvision";
    }

    @Test
    void chelseaDecodesToPillowsPixels() {
        JsonNode image = VisionFixtures.json(VisionFixtures.resources().resolve("fixture.json")).get("image");
        assertEquals(image.get("size_wh").get(0).asInt(), chelsea.width());
        assertEquals(image.get("size_wh").get(1).asInt(), chelsea.height());
        assertEquals(image.get("decoded_rgb_sha256").asText(), VisionFixtures.sha256(chelsea.hwc()),
                "HWC uint8 bytes of chelsea.png differ from numpy.asarray(Image.open(f).convert('RGB'))");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesHuggingFace(String proc, ResizeBackend backend) throws Exception {
        Path dir = VisionFixtures.resources().resolve(proc);
        JsonNode fixture = VisionFixtures.json(dir.resolve("fixture.json")).get("backends").get(backendKey(backend));
        JsonNode expected = VisionFixtures.json(dir.resolve("expected-tensors.json")).get(backendKey(backend))
                .get("tensors");
        ImageProcessor processor = ImageProcessors.load(dir, backend);

        RgbImage input = chelsea;
        if (proc.equals(QUICKSTART)) {
            input = QuickstartImagePreparation.prepare(chelsea);
            checkUint8(proc, backend, "prepared_uint8", expected, input);
        } else {
            RgbImage resized = processor.resize(chelsea);
            assertEquals(fixture.get("resized_hw").get(0).asInt(), resized.height());
            assertEquals(fixture.get("resized_hw").get(1).asInt(), resized.width());
            checkUint8(proc, backend, "resized_uint8", expected, resized);
        }

        PixelValues pv = processor.preprocess(input);
        long[] shape = new long[fixture.get("pixel_values_shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = fixture.get("pixel_values_shape").get(i).asLong();
        }
        assertArrayEquals(shape, pv.shape(), "pixel_values shape");

        String values = expected.has("pixel_values") ? "pixel_values" : "pixel_values_rows";
        if (expected.has(values)) {
            JsonNode first = expected.get(values).get("first_values");
            double maxDiff = 0;
            for (int i = 0; i < first.size(); i++) {
                maxDiff = Math.max(maxDiff, Math.abs(first.get(i).asDouble() - pv.data()[i]));
            }
            assertTrue(maxDiff <= 1e-6, values + ": first " + first.size() + " values differ by up to " + maxDiff);
            if (values.equals("pixel_values_rows")) {
                long rows = expected.get(values).get("shape").get(0).asLong();
                long cols = expected.get(values).get("shape").get(1).asLong();
                float[] head = java.util.Arrays.copyOf(pv.data(), (int) (rows * cols));
                assertEquals(expected.get(values).get("sha256").asText(), VisionFixtures.sha256(le(head)),
                        "the first " + rows + " rows of pixel_values are not bit-identical");
            }
        }
        assertEquals(fixture.get("pixel_values_sha256").asText(), pv.sha256(),
                proc + " " + backend + ": pixel_values are not bit-identical to HF's");

        if (expected.has("image_grid_thw")) {
            JsonNode g = expected.get("image_grid_thw").get("values");
            long[] grid = new long[g.size()];
            for (int i = 0; i < grid.length; i++) {
                grid[i] = g.get(i).asLong();
            }
            assertArrayEquals(grid, pv.gridThwFlat(), "image_grid_thw");
        } else {
            assertTrue(pv.gridThw().isEmpty());
        }
    }

    /** The uint8 image equals the fixture's (by SHA-256, and element by element when the full fixture is here). */
    private static void checkUint8(String proc, ResizeBackend backend, String name, JsonNode expected, RgbImage actual)
            throws Exception {
        JsonNode t = expected.get(name);
        assertEquals(3, t.get("shape").get(0).asInt());
        assertEquals(t.get("shape").get(1).asInt(), actual.height(), name + " height");
        assertEquals(t.get("shape").get(2).asInt(), actual.width(), name + " width");
        byte[] chw = actual.toChw();
        String detail = "";
        Optional<Path> shared = VisionFixtures.sharedProcessors();
        if (shared.isPresent()) {
            Map<String, TestSafetensors.Tensor> full = TestSafetensors.read(
                    shared.get().resolve(proc).resolve(backendKey(backend) + ".safetensors"));
            detail = " (" + VisionFixtures.diff(full.get(name).bytes(), chw) + ")";
            assertArrayEquals(full.get(name).bytes(), chw, proc + " " + backend + " " + name + detail);
        }
        assertEquals(t.get("sha256").asText(), VisionFixtures.sha256(chw),
                proc + " " + backend + ": " + name + " differs from HF's" + detail);
    }

    private static byte[] le(float[] values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return buf.array();
    }

    /** The two backends' resizes differ exactly as much as the fixture says HF's do. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("resizingProcessors")
    void backendsDifferAsInHuggingFace(String proc) throws Exception {
        Path dir = VisionFixtures.resources().resolve(proc);
        JsonNode stats = VisionFixtures.json(dir.resolve("fixture.json")).get("torchvision_vs_pil").get("resized_uint8");
        byte[] pil = ImageProcessors.load(dir, ResizeBackend.PIL).resize(chelsea).toChw();
        byte[] tv = ImageProcessors.load(dir, ResizeBackend.TORCHVISION).resize(chelsea).toChw();
        int count = 0;
        int max = 0;
        for (int i = 0; i < pil.length; i++) {
            int d = Math.abs((pil[i] & 0xFF) - (tv[i] & 0xFF));
            count += d > 0 ? 1 : 0;
            max = Math.max(max, d);
        }
        assertEquals(stats.get("num_values").asInt(), pil.length);
        assertEquals(stats.get("num_different").asInt(), count, "number of values that differ");
        assertEquals(stats.get("max_abs_diff").asInt(), max, "largest difference");
    }

    static Stream<String> resizingProcessors() {
        return Stream.of("clip-vit-large-patch14-336", "siglip-so400m-patch14-384", "dinov2-base", "qwen2-vl-448");
    }

    /** The quickstart's prepared image is the same whichever backend follows (it is PIL's LANCZOS). */
    @Test
    void quickstartPreparationIsBackendIndependent() throws Exception {
        JsonNode stats = VisionFixtures.json(VisionFixtures.resources().resolve(QUICKSTART).resolve("fixture.json"))
                .get("torchvision_vs_pil").get("prepared_uint8");
        assertEquals(0, stats.get("num_different").asInt());
        Qwen2VLImageProcessor p = QuickstartImagePreparation.processor(ResizeBackend.PIL);
        PixelValues pv = p.preprocess(QuickstartImagePreparation.prepare(chelsea));
        JsonNode pil = VisionFixtures.json(VisionFixtures.resources().resolve(QUICKSTART).resolve("fixture.json"))
                .get("backends").get("pil");
        assertEquals(pil.get("pixel_values_sha256").asText(), pv.sha256(),
                "the built-in quickstart settings give HF's pixel values");
        assertEquals(256, pv.gridThw().get(0)[1] * pv.gridThw().get(0)[2] / 4, "merged visual tokens");
    }
}
