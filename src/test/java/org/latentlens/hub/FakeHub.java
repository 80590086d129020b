package org.latentlens.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for the HuggingFace Hub, for tests: the resolve endpoint (HEAD and GET, LFS files redirected
 * to a CDN-like path on another host name), the model-info API with its {@code siblings}, Range requests, the
 * Hub's {@code X-Error-Code} headers, and injectable faults.
 */
final class FakeHub implements AutoCloseable {
    /** One stored file. */
    record Entry(byte[] data, boolean lfs, String sha256, String gitSha1) {
    }

    /** One repository: branches and tags to commits, commits to files. */
    static final class Repo {
        final Map<String, String> refs = new ConcurrentHashMap<>();
        final Map<String, Map<String, Entry>> commits = new ConcurrentHashMap<>();
        String requiredToken;
    }

    final Map<String, Repo> repos = new ConcurrentHashMap<>();
    final Map<String, String> renamed = new ConcurrentHashMap<>();
    final Map<String, Entry> blobsBySha = new ConcurrentHashMap<>();

    // Faults, consumed one request at a time.
    final AtomicInteger dropNextBodies = new AtomicInteger();
    final AtomicInteger fail500 = new AtomicInteger();
    final AtomicInteger stallNextBodies = new AtomicInteger();
    volatile long stallMillis = 3000;
    volatile boolean corruptBodies;
    volatile boolean ignoreRange;
    volatile boolean sendErrorCodes = true;
    volatile long bodyDelayMillis;
    volatile long headDelayMillis;
    /** When set, CDN (LFS) bodies wait (up to 10 s) until the test opens it. */
    volatile java.util.concurrent.CountDownLatch bodyGate;
    final AtomicInteger cdnForbidNext = new AtomicInteger();

    // What happened.
    final AtomicInteger heads = new AtomicInteger();
    final AtomicInteger apiCalls = new AtomicInteger();
    final AtomicInteger cdnGets = new AtomicInteger();
    final AtomicInteger rangeGets = new AtomicInteger();
    final AtomicInteger activeBodies = new AtomicInteger();
    final List<String> cdnAuthorizations = new CopyOnWriteArrayList<>();
    final List<String> hubAuthorizations = new CopyOnWriteArrayList<>();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-hub");
        t.setDaemon(true);
        return t;
    });
    private int commitCounter;

    FakeHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The Hub's address (host 127.0.0.1). */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The CDN's address: same server, other host name, so a client must not send it the token. */
    String cdn() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /**
     * Adds a commit to a repo and points {@code branch} at it; files ending in .safetensors, .pt or .bin are LFS.
     *
     * @return the commit hash
     */
    synchronized String commit(String repoId, String branch, Map<String, byte[]> files) {
        Repo repo = repos.computeIfAbsent(repoId, k -> new Repo());
        String commit = HexFormat.of().formatHex(digest("SHA-1",
                (repoId + "#" + (commitCounter++)).getBytes(StandardCharsets.UTF_8)));
        Map<String, Entry> entries = new LinkedHashMap<>();
        files.forEach((name, data) -> {
            boolean lfs = name.endsWith(".safetensors") || name.endsWith(".pt") || name.endsWith(".bin");
            Entry e = new Entry(data, lfs, sha256(data), gitSha1(data));
            entries.put(name, e);
            blobsBySha.put(e.sha256(), e);
        });
        repo.commits.put(commit, entries);
        repo.refs.put(branch, commit);
        return commit;
    }

    static String sha256(byte[] data) {
        return HexFormat.of().formatHex(digest("SHA-256", data));
    }

    static String gitSha1(byte[] data) {
        byte[] head = ("blob " + data.length + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + data.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(data, 0, all, head.length, data.length);
        return HexFormat.of().formatHex(digest("SHA-1", all));
    }

    private static byte[] digest(String alg, byte[] data) {
        try {
            return MessageDigest.getInstance(alg).digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------ routing

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getRawPath();
            if (path.startsWith("/cdn/")) {
                cdn(ex, path.substring(5));
            } else if (path.startsWith("/api/models/")) {
                api(ex, path.substring("/api/models/".length()));
            } else {
                resolve(ex, path);
            }
        } catch (IOException | RuntimeException e) {
            // A deliberately dropped connection lands here.
        } finally {
            ex.close();
        }
    }

    private boolean authorized(HttpExchange ex, Repo repo) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null) {
            hubAuthorizations.add(auth);
        }
        if (repo.requiredToken != null && !("Bearer " + repo.requiredToken).equals(auth)) {
            error(ex, auth == null ? 401 : 403, "GatedRepo", "Access to this repo is restricted");
            return false;
        }
        return true;
    }

    private boolean injected500(HttpExchange ex) throws IOException {
        if (fail500.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            ex.sendResponseHeaders(500, -1);
            return true;
        }
        return false;
    }

    private void api(HttpExchange ex, String rest) throws IOException {
        apiCalls.incrementAndGet();
        if (injected500(ex)) {
            return;
        }
        String[] parts = rest.split("/", 4);
        if (parts.length < 2) {
            ex.sendResponseHeaders(404, -1);
            return;
        }
        String repoId = parts[0] + "/" + parts[1];
        Repo repo = repos.get(repoId);
        if (repo == null) {
            error(ex, 404, "RepoNotFound", "Repository not found");
            return;
        }
        if (!authorized(ex, repo)) {
            return;
        }
        String rev = parts.length == 4 && parts[2].equals("revision") ? decode(parts[3]) : "main";
        String commit = commitOf(repo, rev);
        if (commit == null) {
            error(ex, 404, "RevisionNotFound", "Invalid rev id: " + rev);
            return;
        }
        StringBuilder json = new StringBuilder("{\"id\":\"" + repoId + "\",\"sha\":\"" + commit + "\",\"siblings\":[");
        List<String> names = new ArrayList<>(repo.commits.get(commit).keySet());
        for (int i = 0; i < names.size(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"rfilename\":\"").append(names.get(i)).append("\"}");
        }
        json.append("]}");
        byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
    }

    private static String commitOf(Repo repo, String rev) {
        if (repo.commits.containsKey(rev)) {
            return rev;
        }
        return repo.refs.get(rev);
    }

    private void resolve(HttpExchange ex, String path) throws IOException {
        // /{org}/{name}/resolve/{rev}/{file...}
        String[] parts = path.substring(1).split("/", 5);
        if (parts.length < 5 || !parts[2].equals("resolve")) {
            ex.sendResponseHeaders(404, -1);
            return;
        }
        String repoId = parts[0] + "/" + parts[1];
        boolean head = ex.getRequestMethod().equals("HEAD");
        if (head) {
            heads.incrementAndGet();
            if (headDelayMillis > 0) {
                sleep(headDelayMillis);
            }
        }
        if (renamed.containsKey(repoId)) {
            ex.getResponseHeaders().set("Location", "/" + renamed.get(repoId) + "/resolve/" + parts[3] + "/" + parts[4]);
            ex.sendResponseHeaders(307, -1);
            return;
        }
        if (injected500(ex)) {
            return;
        }
        Repo repo = repos.get(repoId);
        if (repo == null) {
            error(ex, ex.getRequestHeaders().containsKey("Authorization") ? 404 : 401, "RepoNotFound",
                    "Repository not found");
            return;
        }
        if (!authorized(ex, repo)) {
            return;
        }
        String rev = decode(parts[3]);
        String commit = commitOf(repo, rev);
        if (commit == null) {
            error(ex, 404, "RevisionNotFound", "Invalid rev id: " + rev);
            return;
        }
        String file = decode(parts[4]);
        Entry e = repo.commits.get(commit).get(file);
        ex.getResponseHeaders().set("X-Repo-Commit", commit);
        if (e == null) {
            error(ex, 404, "EntryNotFound", file + " does not exist on \"" + rev + "\"");
            return;
        }
        if (e.lfs()) {
            ex.getResponseHeaders().set("ETag", "\"" + e.sha256() + "\"");
            ex.getResponseHeaders().set("X-Linked-Etag", "\"" + e.sha256() + "\"");
            ex.getResponseHeaders().set("X-Linked-Size", Long.toString(e.data().length));
            ex.getResponseHeaders().set("Location", cdn() + "/cdn/" + e.sha256() + "?signature=abc");
            ex.sendResponseHeaders(302, -1);
            return;
        }
        ex.getResponseHeaders().set("ETag", "\"" + e.gitSha1() + "\"");
        if (head) {
            ex.getResponseHeaders().set("Content-Length", Long.toString(e.data().length));
            ex.sendResponseHeaders(200, -1);
            return;
        }
        sendBody(ex, e.data(), ex.getRequestHeaders().getFirst("Range"), false);
    }

    private void cdn(HttpExchange ex, String rest) throws IOException {
        cdnGets.incrementAndGet();
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null) {
            cdnAuthorizations.add(auth);
        }
        if (injected500(ex)) {
            return;
        }
        if (cdnForbidNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            ex.sendResponseHeaders(403, -1); // an expired signed address
            return;
        }
        Entry e = blobsBySha.get(rest.replaceAll("\\?.*$", ""));
        if (e == null) {
            ex.sendResponseHeaders(404, -1);
            return;
        }
        sendBody(ex, e.data(), ex.getRequestHeaders().getFirst("Range"), true);
    }

    private void sendBody(HttpExchange ex, byte[] data, String range, boolean gated) throws IOException {
        int start = 0;
        if (range != null && !ignoreRange && range.startsWith("bytes=") && range.endsWith("-")) {
            rangeGets.incrementAndGet();
            start = Integer.parseInt(range.substring(6, range.length() - 1));
            if (start >= data.length) {
                ex.getResponseHeaders().set("Content-Range", "bytes */" + data.length);
                ex.sendResponseHeaders(416, -1);
                return;
            }
            ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (data.length - 1) + "/" + data.length);
            ex.sendResponseHeaders(206, data.length - start);
        } else {
            ex.sendResponseHeaders(200, data.length);
        }
        byte[] body = java.util.Arrays.copyOfRange(data, start, data.length);
        if (corruptBodies && body.length > 0) {
            body[body.length / 2] ^= 0x5a;
        }
        boolean drop = dropNextBodies.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
        boolean stall = stallNextBodies.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
        OutputStream os = ex.getResponseBody();
        int half = body.length / 2;
        if (bodyDelayMillis > 0) {
            sleep(bodyDelayMillis);
        }
        java.util.concurrent.CountDownLatch gate = gated ? bodyGate : null;
        if (gate != null) {
            activeBodies.incrementAndGet();
            try {
                gate.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                activeBodies.decrementAndGet();
            }
        }
        os.write(body, 0, half);
        os.flush();
        if (drop) {
            // Close the socket with bytes still owed: the client sees a connection cut mid-file.
            throw new IOException("dropping the connection on purpose");
        }
        if (stall) {
            sleep(stallMillis);
        }
        os.write(body, half, body.length - half);
        os.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void error(HttpExchange ex, int status, String code, String message) throws IOException {
        if (sendErrorCodes) {
            ex.getResponseHeaders().set("X-Error-Code", code);
            ex.getResponseHeaders().set("X-Error-Message", message);
        }
        ex.sendResponseHeaders(status, -1);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
