package org.latentlens.corpus;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Assumptions;

/**
 * The WordNet 3.0 database of Debian's {@code wordnet-base}, loaded once per test JVM. Tests that need it skip
 * with a clear message where it is not installed, except on CI ({@code CI} set), where that is a failure.
 */
final class DebianWordNet {

    private static WordNet instance;

    private DebianWordNet() {
    }

    static synchronized WordNet get() {
        boolean installed = Files.isRegularFile(WordNet.DEBIAN_DIR.resolve("data.noun"));
        if (!installed && System.getenv("CI") != null) {
            fail("WordNet 3.0 is not installed at " + WordNet.DEBIAN_DIR + " on CI; run bin/setup-test-deps");
        }
        Assumptions.assumeTrue(installed, "WordNet 3.0 is not installed at " + WordNet.DEBIAN_DIR
                + " (apt-get install wordnet-base, or run bin/setup-test-deps); skipping");
        if (instance == null) {
            try {
                instance = WordNet.load(WordNet.DEBIAN_DIR);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }
}
