package org.latentlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.latentlens.TestFixtures;

/** {@code bench forward} on a vision-language model runs the processor, tower and language model of a VLM and prints its figures. */
class BenchForwardVisionTest {
    @Test
    void printsImagesAndTokensPerSecond() {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(ps);
            rc = Main.run("bench", "forward", "--model", TestFixtures.resource("fixtures/hf-tiny-vision/qwen2-vl").toString(),
                    "--image", TestFixtures.resource("vision/image-processors/chelsea.png").toString(), "--runs", "2");
        } finally {
            System.setOut(saved);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, out);
        assertTrue(out.matches("(?s).*throughput\\s+[0-9.]+ images/s, [0-9.]+ tokens/s.*"), out);
    }
}
