package org.latentlens.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files so that a crash leaves either the old file or the new one, never a partial one: through a
 * temporary file beside the target, forced to disk, then an atomic rename.
 */
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

    /**
     * Writes UTF-8 text through a temporary file beside the target and an atomic rename.
     *
     * @param target the file to (re)place
     * @param text its new content
     * @throws IOException if the write or the rename fails; the temporary file is removed
     */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Writes bytes to a temporary file beside the target, forces them to disk, then renames it over the target.
     *
     * @param target the file to (re)place
     * @param bytes  its new content
     * @throws IOException if the write or the rename fails; the temporary file is removed
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        writeAll(new Path[] {target}, new byte[][] {bytes});
    }

    /**
     * Writes several files that belong together: all of them go to temporary files first, and only when every
     * one is on disk are they renamed over their targets, so a failed write replaces none of them.
     *
     * @param targets the files to (re)place
     * @param contents their new contents, in the same order
     * @throws IOException if a write or a rename fails; temporary files are removed
     */
    public static void writeAll(Path[] targets, byte[][] contents) throws IOException {
        Path[] tmps = new Path[targets.length];
        try {
            for (int i = 0; i < targets.length; i++) {
                tmps[i] = writeTemp(targets[i].toAbsolutePath(), contents[i]);
            }
            for (int i = 0; i < targets.length; i++) {
                Path abs = targets[i].toAbsolutePath();
                try {
                    Files.move(tmps[i], abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmps[i], abs, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } finally {
            for (Path t : tmps) {
                if (t != null) {
                    Files.deleteIfExists(t);
                }
            }
        }
    }

    private static Path writeTemp(Path abs, byte[] bytes) throws IOException {
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        try {
            // Temporary files are private (0600); the result should read like any file the user writes.
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(tmp, Files.exists(abs)
                        ? Files.getPosixFilePermissions(abs)
                        : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
                var buf = java.nio.ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            return tmp;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }
}
