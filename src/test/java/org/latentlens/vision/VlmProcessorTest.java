package org.latentlens.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlens.TestFixtures;
import org.latentlens.io.SafetensorsCheckpoint;
import org.latentlens.vision.image.ImageDecodeException;
import org.latentlens.vision.image.ImageLoader;
import org.latentlens.vision.image.RgbImage;

class VlmProcessorTest {
    private static final String QWEN_0 = "<|im_start|>user\n<|vision_start|><|image_pad|><|vision_end|>Describe this image."
            + "<|im_end|>\n<|im_start|>assistant\n";
    private static final String QWEN_1 = "<|im_start|>user\n<|vision_start|><|image_pad|><|vision_end|>Cat?<|im_end|>\n"
            + "<|im_start|>assistant\n";

    private static Path fixture(String name) {
        return TestFixtures.resource("fixtures/hf-tiny-vision/" + name);
    }

    private static List<RgbImage> fixtureImages() throws IOException {
        RgbImage chelsea = ImageLoader.read(TestFixtures.resource("vision/image-processors/chelsea.png"));
        // fixture.json: image_1 = PIL crop((160, 30, 250, 180)) -> left 160, top 30, 90 wide, 150 high
        return List.of(chelsea, chelsea.crop(30, 160, 150, 90));
    }

    private static ChatTemplate template(String name) throws IOException {
        Path f = TestFixtures.resource("vision/chat-templates/" + name + ".jinja");
        return new ChatTemplate(f.toString(), Files.readString(f));
    }

    private static long[][] expected(String model, String tensor) {
        try (SafetensorsCheckpoint ck = SafetensorsCheckpoint.openFiles("expected",
                List.of(fixture(model).resolve("expected.safetensors")))) {
            long[] s = ck.info(tensor).shape();
            long[] flat = ck.loadLongs(tensor);
            long[][] out = new long[(int) s[0]][];
            for (int i = 0; i < s[0]; i++) {
                out[i] = Arrays.copyOfRange(flat, (int) (i * s[1]), (int) ((i + 1) * s[1]));
            }
            return out;
        }
    }

    private static float[] expectedFloats(String model, String tensor) {
        try (SafetensorsCheckpoint ck = SafetensorsCheckpoint.openFiles("expected",
                List.of(fixture(model).resolve("expected.safetensors")))) {
            return ck.loadFloats(tensor);
        }
    }

    @Test
    void qwen2VlTextsGiveTheFixtureIdsMaskGridsAndPixels() throws IOException {
        for (String model : List.of("qwen2-vl", "qwen2.5-vl")) {
            try (VlmProcessor p = VlmProcessor.load(fixture(model))) {
                VlmInputs in = p.process(fixtureImages(), List.of(QWEN_0, QWEN_1), true);
                assertArrayEquals(expected(model, "input_ids"), in.tokens().inputIds(), model + " input_ids");
                assertArrayEquals(expected(model, "attention_mask"), in.tokens().attentionMask(), model + " attention_mask");
                assertArrayEquals(expected(model, "mm_token_type_ids"), in.mmTokenTypeIds(), model + " mm_token_type_ids");
                long[][] grid = expected(model, "image_grid_thw");
                assertArrayEquals(grid[0], Arrays.copyOfRange(in.pixels().gridThwFlat(), 0, 3));
                assertArrayEquals(grid[1], Arrays.copyOfRange(in.pixels().gridThwFlat(), 3, 6));
                assertArrayEquals(new int[] {24, 15}, in.tokensPerImage());
                assertArrayEquals(new int[] {4, 5}, in.gridRows());
                assertArrayEquals(new int[] {6, 3}, in.gridCols());
                float[] px = expectedFloats(model, "pixel_values");
                assertEquals(px.length, in.pixels().data().length);
                for (int i = 0; i < px.length; i++) {
                    assertEquals(px[i], in.pixels().data()[i], 1e-5, "pixel_values[" + i + "]");
                }
            }
        }
    }

    @Test
    void llavaTextsGiveTheFixtureIdsAndMask() throws IOException {
        try (VlmProcessor p = VlmProcessor.load(fixture("llava"))) {
            VlmInputs in = p.process(fixtureImages(), List.of("USER: <image>\nWhat is shown in this image? ASSISTANT:",
                    "USER: <image>\nCat? ASSISTANT:"), true);
            assertArrayEquals(expected("llava", "input_ids"), in.tokens().inputIds());
            assertArrayEquals(expected("llava", "attention_mask"), in.tokens().attentionMask());
            assertArrayEquals(new int[] {16, 16}, in.tokensPerImage());
            assertArrayEquals(new int[] {4, 4}, in.gridRows());
            assertEquals(List.of(2L, 3L, 56L, 56L), Arrays.stream(in.pixels().shape()).boxed().toList());
            assertEquals(null, in.toVlmInput().imageGridThw());
        }
    }

    @Test
    void llavaChatTemplateRendersTheFixturePromptAndIds() throws IOException {
        try (VlmProcessor base = VlmProcessor.load(fixture("llava"))) {
            VlmProcessor p = base.withChatTemplate(template("llava"));
            List<ChatMessage> chat0 = List.of(ChatMessage.user().image().text("What is shown in this image?").build());
            List<ChatMessage> chat1 = List.of(ChatMessage.user().image().text("Cat?").build());
            assertEquals("USER: <image>\nWhat is shown in this image? ASSISTANT:", p.applyChatTemplate(chat0, true));
            VlmInputs in = p.processChat(fixtureImages(), List.of(chat0, chat1));
            assertArrayEquals(expected("llava", "input_ids"), in.tokens().inputIds());
            // an assistant turn goes through the {% generation %} block tag
            String withAnswer = p.applyChatTemplate(List.of(chat1.get(0), ChatMessage.text("assistant", "Yes.")), false);
            assertEquals("USER: <image>\nCat? ASSISTANT: Yes. ", withAnswer);
        }
    }

    @Test
    void qwenChatTemplateAddsTheSystemTurnBeforeTheFixturePrompt() throws IOException {
        try (VlmProcessor base = VlmProcessor.load(fixture("qwen2-vl"))) {
            VlmProcessor p = base.withChatTemplate(template("qwen2-vl"));
            String system = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n";
            List<ChatMessage> chat = List.of(ChatMessage.user().image().text("Describe this image.").build());
            assertEquals(system + QWEN_0, p.applyChatTemplate(chat, true));
            assertEquals(system + QWEN_0, p.promptFor("Describe this image."));
            VlmInputs in = p.processChat(fixtureImages().subList(0, 1), List.of(chat));
            long[] sys = p.tokenizer().encode(system, false).ids();
            long[] row0 = expected("qwen2-vl", "input_ids")[0];
            long[] want = new long[sys.length + row0.length];
            System.arraycopy(sys, 0, want, 0, sys.length);
            System.arraycopy(row0, 0, want, sys.length, row0.length);
            assertArrayEquals(want, in.tokens().inputIds()[0]);
            // a plain string content and a system message render through the other branches
            String s = p.applyChatTemplate(List.of(ChatMessage.text("system", "Be brief."), ChatMessage.text("user", "Hi")), false);
            assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n", s);
        }
    }

    @Test
    void promptWithoutTemplateUsesTheImageBlock() throws IOException {
        try (VlmProcessor q = VlmProcessor.load(fixture("qwen2-vl")); VlmProcessor l = VlmProcessor.load(fixture("llava"))) {
            assertTrue(q.chatTemplate().isEmpty());
            assertEquals("<|vision_start|><|image_pad|><|vision_end|>Cat?", q.promptFor("Cat?"));
            assertEquals("<image>\nCat?", l.promptFor("Cat?"));
            assertEquals("USER: <image>\nCat?", l.promptFor("USER: <image>\nCat?"));
            assertThrows(IllegalStateException.class, () -> q.applyChatTemplate(List.of(ChatMessage.text("user", "x")), true));
        }
    }

    @Test
    void placeholderCountMustMatchTheImages() throws IOException {
        try (VlmProcessor p = VlmProcessor.load(fixture("qwen2-vl"))) {
            List<RgbImage> two = fixtureImages();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> p.process(two, List.of(QWEN_0), true));
            assertTrue(e.getMessage().contains("1 image placeholder(s) <|image_pad|> but 2 image(s)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> p.process(two.subList(0, 1), List.of("no image"), true));
            assertTrue(e.getMessage().contains("0 image placeholder(s)"), e.getMessage());
        }
    }

    @Test
    void undecodableImageNamesTheFile(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("broken.png");
        Files.writeString(bad, "not a png");
        try (VlmProcessor p = VlmProcessor.load(fixture("llava"))) {
            ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> p.process(List.of(bad), "<image>\nCat?"));
            assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
        }
    }

    @Test
    void brokenTemplateFailsLoudly() throws IOException {
        try (VlmProcessor base = VlmProcessor.load(fixture("llava"))) {
            VlmProcessor p = base.withChatTemplate(new ChatTemplate("test", "{{ raise_exception('only user turns') }}"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> p.applyChatTemplate(List.of(ChatMessage.text("user", "x")), true));
            assertTrue(e.getMessage().contains("only user turns"), e.getMessage());
        }
    }
}
