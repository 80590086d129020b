package org.latentlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latentlens.TestFixtures;
import org.latentlens.io.SafetensorsCheckpoint;
import org.latentlens.model.LoadOptions;
import org.latentlens.vision.VlmInputs;
import org.latentlens.vision.VlmProcessor;
import org.latentlens.vision.model.VisionLanguageModel;
import org.latentlens.vision.model.VlmOutput;

/**
 * The benchmark models of {@code bench make-model}: the published shapes have the published parameter
 * counts, and a narrow model written the same way (same names, flat Hub config, processor config, chat
 * template) loads and runs as a VLM, which {@code bench forward --image} then measures.
 */
class BenchModelShapeTest {
    private static final Path CHELSEA = TestFixtures.resource("vision/image-processors/chelsea.png");

    @Test
    void publishedShapesHaveThePublishedParameterCounts() {
        // model cards: Qwen2.5-0.5B 0.49B, Qwen2-VL-2B 2.21B, Qwen2.5-VL-3B 3.75B parameters
        assertEquals(494_032_768L, BenchModelShape.QWEN2_5_0_5B.parameters());
        assertEquals(2.21e9, BenchModelShape.QWEN2_VL_2B.parameters(), 0.005e9);
        assertEquals(3.75e9, BenchModelShape.QWEN2_5_VL_3B.parameters(), 0.005e9);
        assertEquals(BenchModelShape.QWEN2_VL_2B, BenchModelShape.named("Qwen2-VL-2B"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchModelShape.named("qwen9"));
        assertTrue(e.getMessage().contains("qwen2.5-vl-3b"), e.getMessage());
    }

    /** The 2B/3B layouts at a width a unit test can afford (the real vocabulary, so Qwen's tokenizer fits). */
    private static BenchModelShape narrow(boolean v25) {
        BenchModelShape.Text text = new BenchModelShape.Text(64, 2, 4, 2, 128, 151936, 32768);
        BenchModelShape.Vision vision = new BenchModelShape.Vision(v25, 3, 64, 4, v25 ? 96 : 256, v25 ? List.of(1) : List.of());
        return new BenchModelShape("narrow", v25 ? "qwen2_5_vl" : "qwen2_vl", text, vision);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void narrowVlmHasEveryTensorItCountsAndRunsOnAnImage(boolean v25, @TempDir Path dir) throws Exception {
        BenchModelShape shape = narrow(v25);
        MakeBenchModelCommand.write(shape, dir, 7, TestFixtures.npmTokenizer("qwen3"));
        long total = 0;
        try (SafetensorsCheckpoint ck = SafetensorsCheckpoint.openFolder(dir)) {
            for (String name : ck.names()) {
                long n = 1;
                for (long d : ck.info(name).shape()) {
                    n *= d;
                }
                total += n;
            }
        }
        assertEquals(shape.parameters(), total);
        try (VisionLanguageModel vlm = VisionLanguageModel.load(dir, LoadOptions.defaults());
             VlmProcessor processor = VlmProcessor.load(dir)) {
            assertEquals(MakeBenchModelCommand.IMAGE_PAD, vlm.imageTokenId());
            String prompt = processor.promptFor("What is this?");
            assertTrue(prompt.startsWith("<|im_start|>system\n") && prompt.contains("<|vision_start|><|image_pad|><|vision_end|>What is this?<|im_end|>")
                    && prompt.endsWith("<|im_start|>assistant\n"), prompt);
            VlmInputs in = processor.process(List.of(CHELSEA), prompt);
            VlmOutput out = vlm.forward(in.toVlmInput(), org.latentlens.model.ForwardOptions.allStates());
            // chelsea.png is 451x300: smart_resize gives 448x308, a 32x22 patch grid, 16x11 merged tokens
            assertEquals(176, out.tokenMap().images().get(0).tokens().size());
            assertEquals(11, out.tokenMap().images().get(0).gridRows());
            assertEquals(16, out.tokenMap().images().get(0).gridCols());
            assertEquals(3, out.text().numStates());
            assertNotNull(out.positionIds());
        }
    }

    @Test
    void benchForwardReportsImagesAndTokensPerSecondOfAVlm(@TempDir Path dir) throws Exception {
        MakeBenchModelCommand.write(narrow(true), dir, 7, TestFixtures.npmTokenizer("qwen3"));
        String out = run("bench", "forward", "--model", dir.toString(), "--image", CHELSEA.toString(),
                "--image", CHELSEA.toString(), "--batch", "2", "--runs", "1");
        assertTrue(out.matches("(?s).*throughput\\s+[0-9.]+ images/s, [0-9.]+ tokens/s.*"), out);
        assertTrue(out.contains("2 image(s) (451x300), 2 per forward"), out);
        assertTrue(out.contains("352 of them visual"), out);
        assertTrue(out.matches("(?s).*language model\\s+[0-9.]+ s alone.*"), out);
    }

    @Test
    void benchForwardSaysWhatAModelKindNeeds(@TempDir Path dir) throws Exception {
        Path vlm = TestFixtures.resource("fixtures/hf-tiny-vision/qwen2-vl");
        String noImage = run("bench", "forward", "--model", vlm.toString(), "--corpus", "concepts.txt");
        assertTrue(noImage.contains("is a vision-language model: give --image FILE"), noImage);
        String noCorpus = run("bench", "forward", "--model", TestFixtures.tinyModel("qwen2").toString(),
                "--image", CHELSEA.toString());
        assertTrue(noCorpus.contains("is a text model: give --corpus FILE"), noCorpus);
    }

    private static String run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(ps);
            System.setErr(ps);
            Main.run(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
