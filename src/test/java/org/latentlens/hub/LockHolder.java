package org.latentlens.hub;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Run in a child JVM by a test: holds the OS lock on a file for a while, as another downloader would. */
public final class LockHolder {
    private LockHolder() {
    }

    /**
     * Holds the lock.
     *
     * @param args lock file, marker file to create once locked, file whose appearance releases the lock
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = ch.lock();
            Files.createFile(Path.of(args[1]));
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!Files.exists(Path.of(args[2])) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            lock.release();
        }
    }
}
