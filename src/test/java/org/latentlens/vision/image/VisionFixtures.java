package org.latentlens.vision.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/** Locates the image-processor test data: the copied resources, and the full shared fixtures if present. */
final class VisionFixtures {
    static final String PROCESSORS_DIR = "vision/image-processors";
    private static final ObjectMapper JSON = new ObjectMapper();

    private VisionFixtures() {
    }

    /** The copied test resources ({@code src/test/resources/vision/image-processors}). */
    static Path resources() {
        try {
            return Path.of(VisionFixtures.class.getClassLoader().getResource(PROCESSORS_DIR).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resources " + PROCESSORS_DIR + " not found on the classpath", e);
        }
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The full {@code hf-tiny-vision/image-processors} fixture folder (with the safetensors files), when
     * this machine has it: {@code -Dlatentlens.fixtures}, {@code $LATENTLENS_FIXTURES}, or a
     * {@code shared/fixtures} directory in or above the working directory.
     */
    static Optional<Path> sharedProcessors() {
        String configured = System.getProperty("latentlens.fixtures", System.getenv("LATENTLENS_FIXTURES"));
        if (configured != null) {
            return check(Path.of(configured));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Optional<Path> p = check(dir.resolve("shared/fixtures"));
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> check(Path fixtures) {
        Path p = fixtures.resolve("hf-tiny-vision/image-processors");
        return Files.isRegularFile(p.resolve("clip-vit-large-patch14-336/pil.safetensors")) ? Optional.of(p)
                : Optional.empty();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Describes where two CHW uint8 arrays differ (for failure messages). */
    static String diff(byte[] expected, byte[] actual) {
        if (expected.length != actual.length) {
            return "lengths differ: expected " + expected.length + ", got " + actual.length;
        }
        int count = 0;
        int max = 0;
        int first = -1;
        for (int i = 0; i < expected.length; i++) {
            int d = Math.abs((expected[i] & 0xFF) - (actual[i] & 0xFF));
            if (d > 0) {
                if (first < 0) {
                    first = i;
                }
                count++;
                max = Math.max(max, d);
            }
        }
        return count == 0 ? "identical" : count + " of " + expected.length + " values differ, max " + max
                + ", first at flat index " + first;
    }
}
