package org.latentlens.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Helpers for writing files through a temporary file and an atomic move. */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * Gives a temporary file (created 0600 by the JDK) the usual 0644 permissions, so the file it becomes
     * is readable like any other output.
     *
     * @param tmp the temporary file
     * @throws IOException if the permissions cannot be set on a POSIX file system
     */
    public static void makeReadable(Path tmp) throws IOException {
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the default permissions are all there is
        }
    }
}
