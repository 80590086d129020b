package org.latentlens.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Downloads models and indices from the HuggingFace Hub into the huggingface_hub cache (shared with Python) and
 * returns the snapshot folder, which loads like any local folder.
 *
 * <pre>{@code
 * try (HubClient hub = new HubClient()) {                                  // settings from HF_* variables
 *     Path model = hub.downloadModel("Qwen/Qwen2.5-0.5B", null);           // config, tokenizer, safetensors
 *     Path index = hub.downloadIndex("McGill-NLP/contextual_embeddings-llama3.1-8b", null, new int[] {1, 31});
 * }
 * }</pre>
 *
 * <p>Online, a revision (branch, tag or commit; null means {@code main}) is first resolved to a commit, so that
 * all files of one call come from the same commit, and {@code refs/<revision>} is updated. Files already in the
 * snapshot are not fetched again. With {@code HF_HUB_OFFLINE=1}, or when the Hub cannot be reached, only the
 * cache is used and a missing file is named in the error. Instances are thread-safe.
 */
public final class HubClient implements AutoCloseable {
    /** The revision used when none is given. */
    public static final String DEFAULT_REVISION = "main";

    private final HubSettings settings;
    private final HubCache cache;
    private final HubHttp http;
    private final BlobDownloader downloader;
    private final DownloadProgress progress;
    private final ExecutorService pool;

    /** A client configured from the environment (HF_ENDPOINT, HF_TOKEN, HF_HOME, HF_HUB_CACHE, HF_HUB_OFFLINE). */
    public HubClient() {
        this(HubSettings.fromEnvironment().build());
    }

    /**
     * A client with explicit settings, drawing progress bars on standard error unless settings disable them.
     *
     * @param settings the settings
     */
    public HubClient(HubSettings settings) {
        this(settings, settings.progress() ? DownloadProgress.terminal() : DownloadProgress.none());
    }

    /**
     * A client with explicit settings and progress display (e.g. a notebook's own view).
     *
     * @param settings the settings
     * @param progress where per-file progress goes
     */
    public HubClient(HubSettings settings, DownloadProgress progress) {
        this(settings, progress, dir -> Files.getFileStore(dir).getUsableSpace());
    }

    HubClient(HubSettings settings, DownloadProgress progress, BlobDownloader.FreeSpace freeSpace) {
        this.settings = settings;
        this.cache = new HubCache(settings.cacheDir());
        this.http = new HubHttp(settings);
        this.downloader = new BlobDownloader(settings, http, cache, freeSpace);
        this.progress = progress;
        this.pool = Executors.newFixedThreadPool(settings.maxWorkers(), r -> {
            Thread t = new Thread(r, "hub-download");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Whether a string names a Hub repository rather than a local path (see {@link RepoId#looksLikeRepoId}).
     *
     * @param s e.g. {@code "Qwen/Qwen2.5-7B"}, {@code "Qwen/Qwen2.5-7B@main"} or {@code "./models/qwen"}
     * @return true when it should be downloaded
     */
    public static boolean looksLikeRepoId(String s) {
        return RepoId.looksLikeRepoId(s);
    }

    /** @return the settings in use */
    public HubSettings settings() {
        return settings;
    }

    /** @return the cache in use */
    public HubCache cache() {
        return cache;
    }

    // ------------------------------------------------------------------------------------------------ public API

    /**
     * A local model folder for a path or a repo id: an existing path is returned as is, anything that looks like
     * a repo id ({@code org/name} or {@code org/name@revision}) is downloaded with {@link #downloadModel}.
     *
     * @param pathOrRepo a folder or a repo id
     * @return the folder
     * @throws IOException when the download fails
     */
    public Path modelFolder(String pathOrRepo) throws IOException {
        if (!looksLikeRepoId(pathOrRepo)) {
            return Path.of(pathOrRepo);
        }
        String[] spec = RepoId.splitRevision(pathOrRepo);
        try {
            return downloadModel(spec[0], spec[1]);
        } catch (HubException e) {
            throw alsoNotLocal(e, pathOrRepo);
        }
    }

    /** A repo id that the Hub does not know may have been meant as a local folder: say that neither exists. */
    private static HubException alsoNotLocal(HubException e, String pathOrRepo) {
        if (e.reason() != HubException.Reason.REPO_NOT_FOUND && e.reason() != HubException.Reason.NOT_CACHED) {
            return e;
        }
        return new HubException(e.reason(), e.getMessage() + " (and there is no local folder '" + pathOrRepo
                + "')", e);
    }

    /**
     * A local index folder for a path or a repo id (see {@link #modelFolder}).
     *
     * @param pathOrRepo a folder or a repo id
     * @param layers the layers wanted, or null for all
     * @return the folder
     * @throws IOException when the download fails
     */
    public Path indexFolder(String pathOrRepo, int[] layers) throws IOException {
        if (!looksLikeRepoId(pathOrRepo)) {
            return Path.of(pathOrRepo);
        }
        String[] spec = RepoId.splitRevision(pathOrRepo);
        try {
            return downloadIndex(spec[0], spec[1], layers);
        } catch (HubException e) {
            throw alsoNotLocal(e, pathOrRepo);
        }
    }

    /**
     * Downloads what a request asks for.
     *
     * @param request the repository, revision and what to fetch
     * @return the snapshot folder
     * @throws IOException when it cannot be had
     */
    public Path download(HubRequest request) throws IOException {
        String repoId = request.repo().toString();
        String rev = request.revision();
        switch (request.kind()) {
            case MODEL:
                return downloadModel(repoId, rev);
            case INDEX:
                return downloadIndex(repoId, rev, request.layers());
            case MATCHING:
                return downloadMatching(repoId, rev, request.include());
            default:
                RepoInfo info = repoInfo(repoId, rev);
                String r = revisionOrMain(rev);
                return isIndex(info.files()) ? index(info, r, null) : model(info, r);
        }
    }

    /**
     * Whether a repository's files make an index (ours or the Python original's) rather than a model.
     *
     * @param files the repository's files
     * @return true for an index
     */
    public static boolean isIndex(List<String> files) {
        return FileSelection.isOurIndex(files) || FileSelection.isPythonIndex(files);
    }

    /**
     * The commit and file list of a repository at a revision: from the model-info API online, from the cached
     * snapshot offline.
     *
     * @param repoId {@code org/name}
     * @param revision branch, tag or commit; null for {@code main}
     * @return the repository's commit and files
     * @throws IOException when the repository or revision is unknown, or offline and not cached
     */
    public RepoInfo repoInfo(String repoId, String revision) throws IOException {
        RepoId repo = RepoId.parse(repoId);
        String rev = revisionOrMain(revision);
        if (settings.offline()) {
            return cachedInfo(repo, rev);
        }
        try {
            RepoInfo info = http.modelInfo(repo, rev);
            cache.writeRef(repo, rev, info.commit());
            return info;
        } catch (HubException e) {
            if (HubHttp.isUnavailable(e)) {
                Optional<String> commit = cache.resolveRevision(repo, rev);
                if (commit.isPresent() && Files.isDirectory(cache.snapshotDir(repo, commit.get()))) {
                    settings.log().accept("the Hub is unreachable (" + e.getMessage() + "); using the cached "
                            + repo + "@" + rev + " (" + commit.get() + ")");
                    return new RepoInfo(repo, commit.get(), cache.snapshotFiles(repo, commit.get()), true);
                }
            }
            throw e;
        }
    }

    /**
     * Downloads one file (like huggingface_hub's {@code hf_hub_download}).
     *
     * @param repoId {@code org/name}
     * @param revision branch, tag or commit; null for {@code main}
     * @param filename the file's path in the repository
     * @return its path in the snapshot folder
     * @throws IOException when it cannot be had
     */
    public Path downloadFile(String repoId, String revision, String filename) throws IOException {
        return fetchOne(RepoId.parse(repoId), revisionOrMain(revision), null, filename);
    }

    /**
     * Downloads the given files of one commit, in parallel (like {@code snapshot_download} with a file list).
     *
     * @param repoId {@code org/name}
     * @param revision branch, tag or commit; null for {@code main}
     * @param files paths in the repository
     * @return the snapshot folder
     * @throws IOException when a file cannot be had (the others are still completed or kept for resume)
     */
    public Path downloadFiles(String repoId, String revision, Collection<String> files) throws IOException {
        RepoInfo info = repoInfo(repoId, revision);
        fetchAll(info.repo(), revisionOrMain(revision), info.commit(), new ArrayList<>(files));
        return cache.snapshotDir(info.repo(), info.commit());
    }

    /**
     * Downloads every file matching one of the globs (huggingface_hub's {@code allow_patterns}); pickles only
     * when a glob asks for them.
     *
     * @param repoId {@code org/name}
     * @param revision branch, tag or commit; null for {@code main}
     * @param globs e.g. {@code ["*.json", "layer_1/*"]}
     * @return the snapshot folder
     * @throws IOException when nothing matches or a file cannot be had
     */
    public Path downloadMatching(String repoId, String revision, List<String> globs) throws IOException {
        RepoInfo info = repoInfo(repoId, revision);
        Predicate<String> match = FileSelection.globs(globs);
        List<String> files = info.files().stream().filter(match).collect(Collectors.toList());
        if (files.isEmpty()) {
            throw new HubException(info.fromCache() ? HubException.Reason.NOT_CACHED
                    : HubException.Reason.FILE_NOT_FOUND, "No file of " + info.repo() + "@" + info.commit()
                    + " matches " + globs + (info.fromCache() ? " in the cache" : "")
                    + "; it has: " + preview(info.files()));
        }
        fetchAll(info.repo(), revisionOrMain(revision), info.commit(), files);
        return cache.snapshotDir(info.repo(), info.commit());
    }

    /**
     * Downloads what a model needs: {@code config.json}, tokenizer and processor files, and its safetensors
     * weights (the shard index and every shard, in parallel). Pickled weights ({@code .bin}, {@code .pt}) are
     * never fetched here: use {@link #downloadMatching} to ask for them explicitly.
     *
     * @param repoId {@code org/name}
     * @param revision branch, tag or commit; null for {@code main}
     * @return the snapshot folder, loadable as a local model folder
     * @throws IOException when the repo has no config or no safetensors, or a file cannot be had
     */
    public Path downloadModel(String repoId, String revision) throws IOException {
        return model(repoInfo(repoId, revision), revisionOrMain(revision));
    }

    private Path model(RepoInfo info, String rev) throws IOException {
        RepoId repo = info.repo();
        List<String> files = info.files();
        if (!files.contains("config.json")) {
            throw missing(info, "config.json", "a HuggingFace model folder needs config.json");
        }
        List<String> weights = FileSelection.modelWeights(files);
        if (weights.isEmpty()) {
            List<String> pickles = files.stream().filter(FileSelection::isPickle).collect(Collectors.toList());
            throw missing(info, "*.safetensors", pickles.isEmpty()
                    ? "no .safetensors weights were found"
                    : "it has only pickled weights " + preview(pickles) + ", which can run code when loaded and"
                    + " are not fetched by default; convert them to safetensors, or fetch them explicitly with"
                    + " `latentlens download " + repo + " --include '*.bin'`");
        }
        if (info.fromCache() && !weights.contains(FileSelection.SAFETENSORS_INDEX)
                && weights.stream().anyMatch(w -> w.matches(".*-\\d+-of-\\d+\\.safetensors"))) {
            // Shards without their index: an interrupted download; never hand out part of a model.
            throw missing(info, FileSelection.SAFETENSORS_INDEX, "shards without their index");
        }
        List<String> wanted = new ArrayList<>(FileSelection.modelSideFiles(files));
        if (weights.equals(List.of(FileSelection.SAFETENSORS_INDEX))) {
            Path index = fetchOne(repo, rev, info.commit(), FileSelection.SAFETENSORS_INDEX);
            List<String> shards = FileSelection.shardsOf(index);
            for (String s : shards) {
                if (!files.contains(s) && !info.fromCache()) {
                    throw new HubException(HubException.Reason.BAD_REPO_CONTENT, FileSelection.SAFETENSORS_INDEX
                            + " of " + repo + "@" + info.commit() + " names shard '" + s
                            + "', which the repository does not have");
                }
            }
            wanted.addAll(shards);
        } else {
            wanted.addAll(weights);
        }
        fetchAll(repo, rev, info.commit(), wanted);
        return cache.snapshotDir(repo, info.commit());
    }

    /**
     * Downloads an index: our own format (an {@code index.json} at the root: the manifest, shared files and the
     * requested layers' files) or the Python original's ({@code metadata.json} and the requested layers'
     * {@code layer_N/embeddings_cache.pt}). With no layers given, every layer is fetched: those listed by
     * {@code metadata.json}, or, as in the original, those found in the repository's file list.
     *
     * @param repoId {@code org/name}
     * @param revision branch, tag or commit; null for {@code main}
     * @param layers the layers wanted, or null for all
     * @return the snapshot folder, loadable as a local index folder
     * @throws IOException when the repo is not an index, a layer is absent, or a file cannot be had
     */
    public Path downloadIndex(String repoId, String revision, int[] layers) throws IOException {
        return index(repoInfo(repoId, revision), revisionOrMain(revision), layers);
    }

    private Path index(RepoInfo info, String rev, int[] layers) throws IOException {
        RepoId repo = info.repo();
        List<String> files = info.files();
        if (FileSelection.isOurIndex(files)) {
            Path manifest = fetchOne(repo, rev, info.commit(), FileSelection.OUR_INDEX_MANIFEST);
            List<String> wanted;
            try {
                wanted = FileSelection.ourIndexFilesFromManifest(manifest, layers);
            } catch (HubException e) {
                throw new HubException(e.reason(), repo + "@" + info.commit() + ": " + e.getMessage(), e);
            }
            if (wanted != null) {
                for (String f : wanted) {
                    if (!files.contains(f) && !info.fromCache()) {
                        throw new HubException(HubException.Reason.BAD_REPO_CONTENT, FileSelection.OUR_INDEX_MANIFEST
                                + " of " + repo + "@" + info.commit() + " names '" + f
                                + "', which the repository does not have");
                    }
                }
            } else {
                checkLayers(info, layers, FileSelection.ourIndexLayers(files));
                wanted = FileSelection.ourIndexFiles(files, layers);
            }
            fetchAll(repo, rev, info.commit(), wanted);
            return cache.snapshotDir(repo, info.commit());
        }
        if (!FileSelection.isPythonIndex(files) && !info.fromCache()) {
            throw new HubException(HubException.Reason.BAD_REPO_CONTENT, repo + "@" + info.commit()
                    + " does not look like a LatentLens index: it has neither index.json, metadata.json nor"
                    + " layer_N/embeddings_cache.pt files; it has: " + preview(files));
        }
        List<Integer> available = List.of();
        if (files.contains(FileSelection.PYTHON_INDEX_METADATA)) {
            Path meta = fetchOne(repo, rev, info.commit(), FileSelection.PYTHON_INDEX_METADATA);
            available = FileSelection.layersFromMetadata(meta);
            if (layers != null && info.fromCache() && !available.isEmpty()) {
                // Offline the file list is partial, but the cached metadata.json still lists every layer.
                checkLayers(new RepoInfo(repo, info.commit(), files, false), layers, available);
            }
        }
        if (available.isEmpty()) {
            available = FileSelection.pythonIndexLayers(files);
        }
        int[] chosen = layers;
        if (chosen == null) {
            if (available.isEmpty()) {
                throw new HubException(info.fromCache() ? HubException.Reason.NOT_CACHED
                        : HubException.Reason.BAD_REPO_CONTENT, "Could not determine the layers of " + repo
                        + (info.fromCache() ? " from the cache" : "") + ": pass them explicitly");
            }
            chosen = available.stream().mapToInt(Integer::intValue).toArray();
        } else {
            checkLayers(info, layers, FileSelection.pythonIndexLayers(files));
        }
        List<String> wanted = new ArrayList<>();
        for (int l : chosen) {
            wanted.add(FileSelection.pythonLayerFile(l));
        }
        fetchAll(repo, rev, info.commit(), wanted);
        return cache.snapshotDir(repo, info.commit());
    }

    /** Stops the download threads. */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------------ internals

    private static String revisionOrMain(String revision) {
        return revision == null || revision.isBlank() ? DEFAULT_REVISION : HubCache.validateRevision(revision.strip());
    }

    private RepoInfo cachedInfo(RepoId repo, String rev) throws IOException {
        Optional<String> commit = cache.resolveRevision(repo, rev);
        if (commit.isEmpty() || !Files.isDirectory(cache.snapshotDir(repo, commit.get()))) {
            throw new HubException(HubException.Reason.NOT_CACHED, "Offline (HF_HUB_OFFLINE) and " + repo + "@" + rev
                    + " is not in the cache " + cache.root() + (commit.isEmpty() ? " (no refs/" + rev + ")" : "")
                    + ": download it once while online, or unset HF_HUB_OFFLINE");
        }
        return new RepoInfo(repo, commit.get(), cache.snapshotFiles(repo, commit.get()), true);
    }

    private HubException missing(RepoInfo info, String file, String why) {
        if (info.fromCache()) {
            return new HubException(HubException.Reason.NOT_CACHED, (settings.offline() ? "Offline (HF_HUB_OFFLINE)"
                    : "The Hub is unreachable") + " and '" + file + "' of " + info.repo() + "@" + info.commit()
                    + " is not in the cache " + cache.root() + ": download it once while online"
                    + (settings.offline() ? ", or unset HF_HUB_OFFLINE" : ""));
        }
        return new HubException(HubException.Reason.BAD_REPO_CONTENT, info.repo() + "@" + info.commit()
                + " cannot be used as a model: " + why);
    }

    private void checkLayers(RepoInfo info, int[] layers, List<Integer> available) throws HubException {
        if (layers == null || info.fromCache()) {
            return;
        }
        List<Integer> absent = Arrays.stream(layers).filter(l -> !available.contains(l)).boxed()
                .collect(Collectors.toList());
        if (!absent.isEmpty()) {
            throw new HubException(HubException.Reason.FILE_NOT_FOUND, "Layer" + (absent.size() > 1 ? "s " : " ")
                    + absent + " not in index " + info.repo() + "@" + info.commit() + "; available layers: "
                    + available);
        }
    }

    private static String preview(List<String> files) {
        return files.size() <= 12 ? files.toString()
                : files.subList(0, 12) + " and " + (files.size() - 12) + " more";
    }

    /** Fetches several files of one commit in parallel; reports every failure, the first as the cause. */
    private void fetchAll(RepoId repo, String rev, String commit, List<String> files) throws IOException {
        List<String> unique = new ArrayList<>(new LinkedHashSet<>(files));
        if (unique.size() == 1) {
            fetchOne(repo, rev, commit, unique.get(0));
            return;
        }
        List<Future<Path>> futures = new ArrayList<>();
        for (String f : unique) {
            futures.add(pool.submit(() -> fetchOne(repo, rev, commit, f)));
        }
        IOException first = null;
        for (Future<Path> fu : futures) {
            try {
                fu.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(x -> x.cancel(true));
                throw new java.io.InterruptedIOException("interrupted while downloading " + repo);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                IOException io = c instanceof IOException ? (IOException) c
                        : new HubException(HubException.Reason.OTHER, HubHttp.describe(c), c);
                if (first == null) {
                    first = io;
                } else {
                    first.addSuppressed(io);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * One file: from the snapshot when present; offline, from the cache or an error naming it; online, HEAD then
     * download, falling back to the cache when the Hub is unreachable.
     */
    private Path fetchOne(RepoId repo, String rev, String commit, String filename) throws IOException {
        HubCache.validateFilename(filename);
        if (commit == null && HubCache.COMMIT.matcher(rev).matches()) {
            commit = rev; // A commit never moves: a cached file needs no HEAD.
        }
        if (commit != null) {
            Path p = cache.snapshotDir(repo, commit).resolve(filename);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        if (settings.offline()) {
            Optional<Path> cached = commit != null ? Optional.<Path>empty() : cache.cachedFile(repo, rev, filename);
            if (cached.isPresent()) {
                return cached.get();
            }
            Optional<String> c = commit != null ? Optional.of(commit) : cache.resolveRevision(repo, rev);
            boolean knownMissing = c.isPresent() && cache.isKnownMissing(repo, c.get(), filename);
            throw new HubException(HubException.Reason.NOT_CACHED, "Offline (HF_HUB_OFFLINE) and '" + filename
                    + "' of " + repo + "@" + rev + (c.isPresent() ? " (" + c.get() + ")" : "")
                    + (knownMissing ? " does not exist in the repository (known from an earlier lookup)"
                    : " is not in the cache " + cache.root() + ": download it once while online, or unset"
                    + " HF_HUB_OFFLINE"));
        }
        FileMetadata meta;
        try {
            meta = http.head(repo, commit != null ? commit : rev, filename);
        } catch (HubException e) {
            if (e.reason() == HubException.Reason.FILE_NOT_FOUND && commit != null) {
                cache.markMissing(repo, commit, filename);
            }
            if (HubHttp.isUnavailable(e)) {
                Optional<Path> cached = commit != null
                        ? Optional.of(cache.snapshotDir(repo, commit).resolve(filename)).filter(Files::isRegularFile)
                        : cache.cachedFile(repo, rev, filename);
                if (cached.isPresent()) {
                    settings.log().accept("the Hub is unreachable; using the cached " + repo + "/" + filename);
                    return cached.get();
                }
            }
            throw e;
        }
        if (commit == null) {
            cache.writeRef(repo, rev, meta.commit());
        }
        String snapshotCommit = commit != null ? commit : meta.commit();
        Path pointer = cache.snapshotDir(repo, snapshotCommit).resolve(filename);
        if (Files.isRegularFile(pointer)) {
            return pointer;
        }
        return downloader.fetch(repo, snapshotCommit, filename, meta, progress);
    }
}
