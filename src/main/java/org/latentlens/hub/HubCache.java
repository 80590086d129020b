package org.latentlens.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The huggingface_hub cache layout, read and written exactly as Python's huggingface_hub does, so that a file
 * downloaded by either tool serves both:
 *
 * <pre>
 * &lt;cache&gt;/models--org--name/
 *     refs/main                          the commit hash main points to (no trailing newline)
 *     blobs/&lt;sha256&gt;                      an LFS file's bytes, named by its sha256
 *     blobs/&lt;sha1&gt;                        a plain git file's bytes, named by its git blob sha1 (its ETag)
 *     snapshots/&lt;commit&gt;/config.json      relative symlink to ../../blobs/&lt;sha1&gt;
 *     snapshots/&lt;commit&gt;/layer_1/x.pt     relative symlink to ../../../blobs/&lt;sha256&gt;
 *     .no_exist/&lt;commit&gt;/&lt;file&gt;          empty marker: the file is known not to exist at that commit
 * &lt;cache&gt;/.locks/models--org--name/&lt;etag&gt;.lock
 * </pre>
 *
 * <p>Our partial downloads are kept in {@code blobs/<etag>.latentlens-incomplete}, not in Python's
 * {@code <etag>.incomplete}: Python locks with {@code flock} and Java with {@code fcntl}, which do not exclude
 * each other on Linux, so sharing the partial file could interleave two writers. Only the finished, verified
 * blob is shared, and it appears through an atomic rename.
 */
public final class HubCache {
    /** A full git commit hash. */
    static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    static final String TEMP_SUFFIX = ".latentlens-incomplete";

    private final Path root;

    /**
     * Opens (lazily; nothing is created until written) a cache rooted at {@code root}.
     *
     * @param root the cache root, e.g. {@code ~/.cache/huggingface/hub}
     */
    public HubCache(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** @return the cache root */
    public Path root() {
        return root;
    }

    /**
     * @param repo the repository
     * @return its folder, {@code <cache>/models--org--name}
     */
    public Path repoDir(RepoId repo) {
        return root.resolve(repo.cacheFolderName());
    }

    /**
     * @param repo the repository
     * @param commit a full commit hash
     * @return the snapshot folder of that commit (which may not exist yet)
     */
    public Path snapshotDir(RepoId repo, String commit) {
        requireCommit(commit);
        return repoDir(repo).resolve("snapshots").resolve(commit);
    }

    Path blobPath(RepoId repo, String etag) {
        return repoDir(repo).resolve("blobs").resolve(requireEtag(etag));
    }

    Path tempBlobPath(RepoId repo, String etag) {
        return repoDir(repo).resolve("blobs").resolve(requireEtag(etag) + TEMP_SUFFIX);
    }

    Path lockPath(RepoId repo, String etag) {
        return root.resolve(".locks").resolve(repo.cacheFolderName()).resolve(requireEtag(etag) + ".lock");
    }

    /**
     * Resolves a revision to a commit using only the cache: a commit hash is itself, a branch or tag is read
     * from {@code refs/}.
     *
     * @param repo the repository
     * @param revision a branch, tag or commit
     * @return the commit, or empty when the cache has no ref for it
     */
    public Optional<String> resolveRevision(RepoId repo, String revision) {
        validateRevision(revision);
        if (COMMIT.matcher(revision).matches()) {
            return Optional.of(revision);
        }
        Path ref = repoDir(repo).resolve("refs").resolve(revision);
        if (!Files.isRegularFile(ref)) {
            return Optional.empty();
        }
        try {
            String commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
            return COMMIT.matcher(commit).matches() ? Optional.of(commit) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read cache ref " + ref, e);
        }
    }

    /**
     * Records that {@code revision} points to {@code commit} (no-op when the revision is the commit itself).
     * Written atomically, without a trailing newline, as huggingface_hub expects.
     *
     * @param repo the repository
     * @param revision a branch or tag
     * @param commit the commit it points to
     * @throws IOException when the ref cannot be written
     */
    public void writeRef(RepoId repo, String revision, String commit) throws IOException {
        validateRevision(revision);
        requireCommit(commit);
        if (revision.equals(commit)) {
            return;
        }
        Path ref = repoDir(repo).resolve("refs").resolve(revision);
        if (Files.isRegularFile(ref) && Files.readString(ref, StandardCharsets.UTF_8).equals(commit)) {
            return;
        }
        Files.createDirectories(ref.getParent());
        Path tmp = ref.resolveSibling(ref.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.writeString(tmp, commit, StandardCharsets.UTF_8);
        moveAtomically(tmp, ref);
    }

    /**
     * Finds a file of a revision in the cache without any network access.
     *
     * @param repo the repository
     * @param revision a branch, tag or commit
     * @param filename the file's path in the repository
     * @return the snapshot path (a symlink into {@code blobs/}), or empty
     */
    public Optional<Path> cachedFile(RepoId repo, String revision, String filename) {
        validateFilename(filename);
        return resolveRevision(repo, revision).flatMap(commit -> {
            Path p = snapshotDir(repo, commit).resolve(filename);
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        });
    }

    /**
     * Lists the files present in a cached snapshot (paths relative to the snapshot, with '/').
     *
     * @param repo the repository
     * @param commit the commit
     * @return the files, sorted; empty when the snapshot is absent
     * @throws IOException when the folder cannot be read
     */
    public List<String> snapshotFiles(RepoId repo, String commit) throws IOException {
        Path dir = snapshotDir(repo, commit);
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .forEach(out::add);
        }
        return out;
    }

    /**
     * Whether an earlier lookup found that a file does not exist at a commit.
     *
     * @param repo the repository
     * @param commit the commit
     * @param filename the file
     * @return true when a {@code .no_exist} marker is present
     */
    public boolean isKnownMissing(RepoId repo, String commit, String filename) {
        validateFilename(filename);
        return Files.exists(repoDir(repo).resolve(".no_exist").resolve(requireCommit(commit)).resolve(filename));
    }

    /** Writes a {@code .no_exist} marker; failures are ignored because the marker is only an optimisation. */
    void markMissing(RepoId repo, String commit, String filename) {
        try {
            Path p = repoDir(repo).resolve(".no_exist").resolve(requireCommit(commit)).resolve(validateFilename(filename));
            Files.createDirectories(p.getParent());
            if (!Files.exists(p)) {
                Files.createFile(p);
            }
        } catch (IOException e) {
            // Optional marker.
        }
    }

    /**
     * Points {@code snapshots/<commit>/<filename>} at {@code blobs/<etag>} with a relative symlink (as Python
     * does), replacing an older link atomically; falls back to a copy where symlinks are not supported.
     */
    Path link(RepoId repo, String commit, String filename, String etag) throws IOException {
        Path blob = blobPath(repo, etag);
        Path pointer = snapshotDir(repo, commit).resolve(validateFilename(filename));
        Files.createDirectories(pointer.getParent());
        Path target = pointer.getParent().relativize(blob);
        if (Files.isSymbolicLink(pointer) && Files.readSymbolicLink(pointer).equals(target)) {
            return pointer;
        }
        Path tmp = pointer.resolveSibling(pointer.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createSymbolicLink(tmp, target);
        } catch (UnsupportedOperationException | IOException e) {
            if (e instanceof FileAlreadyExistsException) {
                throw (IOException) e;
            }
            Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        moveAtomically(tmp, pointer);
        return pointer;
    }

    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Rejects a repository file path that could escape the snapshot folder.
     *
     * @param filename a path inside a repository
     * @return the same path
     */
    static String validateFilename(String filename) {
        if (filename == null || filename.isEmpty() || filename.startsWith("/") || filename.contains("\\")
                || filename.contains("\0")) {
            throw new IllegalArgumentException("Invalid file path in repository: '" + filename + "'");
        }
        for (String part : filename.split("/", -1)) {
            if (part.isEmpty() || part.equals("..") || part.equals(".")) {
                throw new IllegalArgumentException("Invalid file path in repository: '" + filename
                        + "' (empty, '.' or '..' segment)");
            }
        }
        return filename;
    }

    /**
     * Rejects a revision that could escape the {@code refs/} folder (branch names may contain '/').
     *
     * @param revision a branch, tag or commit
     * @return the same revision
     */
    static String validateRevision(String revision) {
        if (revision == null || revision.isEmpty()) {
            throw new IllegalArgumentException("Revision must not be empty");
        }
        try {
            validateFilename(revision);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid revision '" + revision + "': use a branch, tag or commit hash");
        }
        return revision;
    }

    private static String requireCommit(String commit) {
        if (commit == null || !COMMIT.matcher(commit).matches()) {
            throw new IllegalArgumentException("Not a full 40-character commit hash: '" + commit + "'");
        }
        return commit;
    }

    private static String requireEtag(String etag) {
        if (etag == null || etag.isEmpty() || etag.contains("/") || etag.contains("\\") || etag.startsWith(".")) {
            throw new IllegalArgumentException("Unusable ETag for a cache blob name: '" + etag + "'");
        }
        return etag;
    }
}
