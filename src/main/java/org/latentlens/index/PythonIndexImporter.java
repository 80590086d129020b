package org.latentlens.index;

import java.io.IOException;
import java.nio.file.Path;

final class PythonIndexImporter {
    private PythonIndexImporter() {
    }

    static ContextualIndex read(Path dir, int... layers) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }
}
