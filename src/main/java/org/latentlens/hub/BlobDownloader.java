package org.latentlens.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Brings one file into the cache safely: under the blob's lock, stream into a temporary file (resuming with
 * {@code Range} after a dropped or stalled connection), verify the sha256 of an LFS file or the size of a plain
 * file, delete it on mismatch, move it atomically into {@code blobs/}, and link it into the snapshot.
 */
final class BlobDownloader {
    private static final int BUFFER = 1 << 20;

    /** Free space on the cache's disk; replaced in tests. */
    interface FreeSpace {
        long usableBytes(Path dir) throws IOException;
    }

    private final HubSettings settings;
    private final HubHttp http;
    private final HubCache cache;
    private final FreeSpace freeSpace;

    BlobDownloader(HubSettings settings, HubHttp http, HubCache cache, FreeSpace freeSpace) {
        this.settings = settings;
        this.http = http;
        this.cache = cache;
        this.freeSpace = freeSpace;
    }

    /**
     * Makes {@code snapshots/<commit>/<filename>} exist, downloading the blob if no process has yet.
     *
     * @return the snapshot path
     */
    Path fetch(RepoId repo, String commit, String filename, FileMetadata meta, DownloadProgress progress)
            throws IOException {
        Path blob = cache.blobPath(repo, meta.etag());
        if (!usable(blob, meta)) {
            CacheLock lock = CacheLock.acquire(cache.lockPath(repo, meta.etag()), repo + "/" + filename,
                    settings.log());
            try {
                // Another thread or process may have finished it while we waited.
                if (!usable(blob, meta)) {
                    Path temp = cache.tempBlobPath(repo, meta.etag());
                    Files.createDirectories(temp.getParent());
                    transfer(repo, filename, meta, temp, progress);
                    HubCache.moveAtomically(temp, blob);
                }
            } finally {
                lock.close();
            }
        }
        return cache.link(repo, commit, filename, meta.etag());
    }

    /** An existing blob is trusted when its size matches (huggingface_hub trusts it unconditionally). */
    private static boolean usable(Path blob, FileMetadata meta) throws IOException {
        return Files.isRegularFile(blob) && (meta.size() < 0 || Files.size(blob) == meta.size());
    }

    private void transfer(RepoId repo, String filename, FileMetadata meta, Path temp, DownloadProgress progress)
            throws IOException {
        MessageDigest sha = meta.expectedSha256() != null ? sha256() : null;
        long have = Files.exists(temp) ? Files.size(temp) : 0;
        if (meta.size() >= 0 && have > meta.size()) {
            have = 0; // A leftover from a different file version; start over.
        }
        if (have > 0 && sha != null) {
            digestPrefix(temp, have, sha);
        }
        checkSpace(repo, filename, temp.getParent(), meta.size() < 0 ? 0 : meta.size() - have);
        String what = repo + "/" + filename;
        int failures = 0;
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             DownloadProgress.Bar bar = progress.start(filename, meta.size(), have)) {
            ch.truncate(have);
            ch.position(have);
            // A temp file already complete (a run killed between download and rename) only needs verifying.
            boolean done = meta.size() >= 0 && have == meta.size();
            boolean refreshed = false;
            java.net.URI location = meta.location();
            byte[] buf = new byte[BUFFER];
            while (!done) {
                long before = have;
                try {
                    Map<String, String> headers = have > 0
                            ? Map.of("Range", "bytes=" + have + "-", "Accept-Encoding", "identity")
                            : Map.of("Accept-Encoding", "identity");
                    try (HubHttp.Response r = http.send("GET", location, headers, settings.readTimeout(),
                            settings.readTimeout(), true)) {
                        if (isExpiredCdnUrl(r.status, location) && !refreshed) {
                            // A signed CDN address expires (hours-long downloads of big shards outlive it):
                            // ask the Hub for a fresh one, once.
                            refreshed = true;
                            location = http.head(repo, meta.commit(), filename).location();
                            settings.log().accept("download address of " + what + " was refused (" + r.status
                                    + "); got a fresh one from the Hub");
                            continue;
                        }
                        if (r.status == 416 && meta.size() < 0 && have > 0) {
                            break; // Unknown size and nothing left to send: complete.
                        }
                        if (r.status >= 400) {
                            throw http.error(r.status, r.headers, new HubHttp.Target(repo, commit(meta), filename));
                        }
                        if (have > 0 && r.status != 206) {
                            // The server ignored Range: start over rather than append the head again.
                            have = 0;
                            ch.truncate(0);
                            ch.position(0);
                            if (sha != null) {
                                sha.reset();
                            }
                            bar.reset();
                        } else if (have > 0) {
                            checkContentRange(r.header("Content-Range"), have, what);
                        }
                        InputStream in = r.body;
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            writeFully(ch, buf, n, repo, filename, meta.size() < 0 ? 0 : meta.size() - have);
                            if (sha != null) {
                                sha.update(buf, 0, n);
                            }
                            have += n;
                            bar.advance(n);
                        }
                    }
                    if (meta.size() >= 0 && have < meta.size()) {
                        throw new IOException("connection closed after " + have + " of " + meta.size() + " bytes");
                    }
                    done = true;
                } catch (IOException e) {
                    if (!HubHttp.isTransient(e)) {
                        throw e;
                    }
                    failures = have > before ? 0 : failures + 1;
                    if (failures > settings.maxRetries()) {
                        throw new HubException(HubException.Reason.UNAVAILABLE, "Gave up downloading " + what
                                + " after " + failures + " attempts without progress (" + have + " of "
                                + (meta.size() < 0 ? "?" : meta.size()) + " bytes kept in " + temp
                                + " for the next run to resume): " + HubHttp.describe(e), e);
                    }
                    settings.log().accept("download of " + what + " interrupted at " + have + " bytes ("
                            + HubHttp.describe(e) + "); resuming" + (failures > 0 ? " in "
                            + http.backoff(failures - 1).toMillis() + " ms" : ""));
                    if (failures > 0) {
                        HubHttp.sleep(http.backoff(failures - 1));
                    }
                }
            }
            ch.force(true);
        }
        verify(repo, filename, meta, temp, have, sha);
    }

    /** 401/403/404/410 from a host other than the Hub: a signed CDN address that expired. */
    private boolean isExpiredCdnUrl(int status, java.net.URI location) {
        return (status == 401 || status == 403 || status == 404 || status == 410)
                && !HubHttp.sameOrigin(location, settings.endpoint());
    }

    private static String commit(FileMetadata meta) {
        return meta.commit();
    }

    private void verify(RepoId repo, String filename, FileMetadata meta, Path temp, long have, MessageDigest sha)
            throws IOException {
        String what = repo + "/" + filename;
        if (meta.size() >= 0 && have != meta.size()) {
            Files.deleteIfExists(temp);
            throw new HubException(HubException.Reason.CHECKSUM_MISMATCH, "Downloaded " + have + " bytes of " + what
                    + " but the Hub announced " + meta.size() + "; the bad file was deleted, run again to retry");
        }
        if (sha != null) {
            String actual = HexFormat.of().formatHex(sha.digest());
            if (!actual.equals(meta.expectedSha256())) {
                Files.deleteIfExists(temp);
                throw new HubException(HubException.Reason.CHECKSUM_MISMATCH, "Checksum mismatch for " + what
                        + ": expected sha256 " + meta.expectedSha256() + ", got " + actual
                        + "; the corrupt download was deleted, run again to retry");
            }
        }
    }

    private static void checkContentRange(String contentRange, long have, String what) throws IOException {
        // "bytes 100-999/1000"
        if (contentRange == null || !contentRange.startsWith("bytes ")) {
            return;
        }
        String range = contentRange.substring(6);
        int dash = range.indexOf('-');
        if (dash > 0) {
            try {
                long start = Long.parseLong(range.substring(0, dash).strip());
                if (start != have) {
                    throw new IOException("the server resumed " + what + " at byte " + start + " instead of " + have);
                }
            } catch (NumberFormatException e) {
                // Unparsable: the size and checksum checks still catch a bad resume.
            }
        }
    }

    private void checkSpace(RepoId repo, String filename, Path dir, long needed) throws IOException {
        if (needed <= 0) {
            return;
        }
        long free;
        try {
            free = freeSpace.usableBytes(dir);
        } catch (IOException e) {
            return; // Unknown: the write itself will tell.
        }
        if (free < needed) {
            throw diskFull(repo, filename, dir, needed, free, null);
        }
    }

    private HubException diskFull(RepoId repo, String filename, Path dir, long needed, long free, IOException cause) {
        return new HubException(HubException.Reason.DISK_FULL, "Not enough disk space for " + repo + "/" + filename
                + " in " + dir + ": " + human(needed) + " needed"
                + (free >= 0 ? ", " + human(free) + " free" : "")
                + ". Free some space or point HF_HUB_CACHE (or --cache-dir) at a larger disk"
                + (cause != null ? "; the partial download is kept and resumes next time" : ""), cause);
    }

    private void writeFully(FileChannel ch, byte[] buf, int n, RepoId repo, String filename, long remaining)
            throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
        try {
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
        } catch (IOException e) {
            if (isDiskFull(e)) {
                throw diskFull(repo, filename, cache.root(), remaining, -1, e);
            }
            throw new HubException(HubException.Reason.OTHER, "Cannot write " + repo + "/" + filename + " into "
                    + cache.root() + ": " + HubHttp.describe(e), e);
        }
    }

    /** ENOSPC and EDQUOT as the JDK reports them. */
    static boolean isDiskFull(IOException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return m.contains("no space left") || m.contains("disk quota exceeded") || m.contains("not enough space");
    }

    private static void digestPrefix(Path file, long length, MessageDigest sha) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[BUFFER];
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                sha.update(buf, 0, n);
                left -= n;
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
