package org.latentlens.corpus;

import java.io.IOException;
import java.nio.file.Path;

/** Lets tests of other packages write the {@link MiniWordNet} database. */
public final class MiniWordNetAccess {

    private MiniWordNetAccess() {
    }

    /**
     * Writes the tiny test database.
     *
     * @param dir the directory
     * @throws IOException if writing fails
     */
    public static void write(Path dir) throws IOException {
        MiniWordNet.write(dir);
    }
}
