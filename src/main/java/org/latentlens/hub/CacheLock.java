package org.latentlens.hub;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Exclusive right to produce one blob, held across threads and processes: a {@link ReentrantLock} per lock file
 * inside this JVM (the JDK refuses two {@link FileLock}s on one file in one process) and an OS file lock on
 * {@code <cache>/.locks/models--org--name/<etag>.lock} between processes. The lock file is never deleted:
 * deleting it would let a third process lock a different inode.
 */
final class CacheLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    private static final long POLL_MILLIS = 50;

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock fileLock;

    private CacheLock(ReentrantLock local, FileChannel channel, FileLock fileLock) {
        this.local = local;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /**
     * Waits for and takes the lock; says once (through {@code log}) that it is waiting for another downloader.
     */
    static CacheLock acquire(Path lockFile, String what, Consumer<String> log) throws IOException {
        Path key = lockFile.toAbsolutePath().normalize();
        ReentrantLock local = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
        boolean told = false;
        try {
            while (!local.tryLock(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (!told) {
                    log.accept("waiting for another download of " + what + " in this process");
                    told = true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the lock on " + what);
        }
        FileChannel ch = null;
        try {
            Files.createDirectories(key.getParent());
            ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            while (true) {
                FileLock fl;
                try {
                    fl = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    fl = null;
                }
                if (fl != null) {
                    return new CacheLock(local, ch, fl);
                }
                if (!told) {
                    log.accept("waiting for another process that is downloading " + what + " (lock " + key + ")");
                    told = true;
                }
                HubHttp.sleep(java.time.Duration.ofMillis(POLL_MILLIS));
            }
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            local.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            fileLock.release();
            channel.close();
        } finally {
            local.unlock();
        }
    }
}
