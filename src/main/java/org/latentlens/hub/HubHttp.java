package org.latentlens.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The few HTTP calls the Hub client makes, with the Hub's error codes turned into {@link HubException}s and
 * transient failures retried with exponential backoff. Redirects are followed by hand so that the token is sent
 * only to the Hub itself, never to the CDN a download is redirected to.
 */
final class HubHttp {
    private static final int MAX_REDIRECTS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER_AGENT = "latentlens/0.1.0; java/" + System.getProperty("java.version");

    private final HubSettings settings;
    private volatile HttpClient client;

    HubHttp(HubSettings settings) {
        this.settings = settings;
    }

    /** Made on first use: an offline client never needs one (building it costs TLS set-up). */
    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    HttpClient.Builder b = HttpClient.newBuilder()
                            .connectTimeout(settings.connectTimeout())
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .version(HttpClient.Version.HTTP_1_1);
                    if (settings.hasProxy()) {
                        b.proxy(new EnvProxySelector(settings));
                    }
                    c = b.build();
                    client = c;
                }
            }
        }
        return c;
    }

    /** Routes requests through the proxy that HTTP(S)_PROXY / NO_PROXY name for their address. */
    private static final class EnvProxySelector extends java.net.ProxySelector {
        private final HubSettings settings;

        EnvProxySelector(HubSettings settings) {
            this.settings = settings;
        }

        @Override
        public List<java.net.Proxy> select(URI uri) {
            URI p = settings.proxyFor(uri);
            if (p == null) {
                return List.of(java.net.Proxy.NO_PROXY);
            }
            return List.of(new java.net.Proxy(java.net.Proxy.Type.HTTP,
                    java.net.InetSocketAddress.createUnresolved(p.getHost(), HubSettings.proxyPort(p))));
        }

        @Override
        public void connectFailed(URI uri, java.net.SocketAddress sa, IOException ioe) {
            // The request itself reports the failure.
        }
    }

    /** An open response whose body must be closed. */
    static final class Response implements AutoCloseable {
        final int status;
        final HttpHeaders headers;
        final URI uri;
        final InputStream body;

        Response(int status, HttpHeaders headers, URI uri, InputStream body) {
            this.status = status;
            this.headers = headers;
            this.uri = uri;
            this.body = body;
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        byte[] readAll() throws IOException {
            return body.readAllBytes();
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException e) {
                // Closing only cancels the transfer.
            }
        }
    }

    /** What a request is about, so that an error can say which of repo, revision or file is at fault. */
    record Target(RepoId repo, String revision, String filename) {
    }

    // ------------------------------------------------------------------------------------------------ addresses

    URI resolveUri(RepoId repo, String revision, String filename) {
        return URI.create(settings.endpoint() + "/" + repo + "/resolve/" + encodeSegment(revision) + "/"
                + encodePath(filename));
    }

    URI modelInfoUri(RepoId repo, String revision) {
        String base = settings.endpoint() + "/api/models/" + repo;
        return URI.create(revision == null ? base : base + "/revision/" + encodeSegment(revision));
    }

    /** Percent-encodes a revision as one path segment ({@code refs/pr/1} becomes {@code refs%2Fpr%2F1}). */
    static String encodeSegment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Percent-encodes a file path, keeping its '/' separators. */
    static String encodePath(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/", -1)) {
            parts.add(encodeSegment(p));
        }
        return String.join("/", parts);
    }

    // ------------------------------------------------------------------------------------------------ requests

    /**
     * Sends one request, following redirects (all of them, or only same-host ones for HEAD, as
     * huggingface_hub does so that the CDN address can be read from {@code Location}).
     */
    Response send(String method, URI uri, Map<String, String> headers, Duration headerTimeout,
                  Duration readTimeout, boolean followCrossHost) throws IOException {
        URI current = uri;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(current)
                    .timeout(headerTimeout)
                    .header("User-Agent", USER_AGENT)
                    .method(method, HttpRequest.BodyPublishers.noBody());
            headers.forEach(rb::header);
            if (settings.token() != null && sameOrigin(current, settings.endpoint())) {
                rb.header("Authorization", "Bearer " + settings.token());
            }
            HttpResponse<java.util.concurrent.Flow.Publisher<List<java.nio.ByteBuffer>>> r;
            try {
                r = client().send(rb.build(), HttpResponse.BodyHandlers.ofPublisher());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted: " + method + " " + withoutQuery(current));
            }
            TimedBodyStream body = new TimedBodyStream(readTimeout, method + " " + withoutQuery(current));
            r.body().subscribe(body);
            int status = r.statusCode();
            if (status >= 300 && status < 400 && status != 304) {
                String loc = r.headers().firstValue("Location").orElse(null);
                if (loc == null) {
                    return new Response(status, r.headers(), current, body);
                }
                URI next = current.resolve(loc);
                boolean sameHost = sameOrigin(next, current);
                if (!followCrossHost && !sameHost) {
                    return new Response(status, r.headers(), current, body);
                }
                body.close();
                if (hop >= MAX_REDIRECTS) {
                    throw new HubException(HubException.Reason.OTHER, "Too many redirects from " + uri);
                }
                current = next;
                continue;
            }
            return new Response(status, r.headers(), current, body);
        }
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    /** An address fit for messages: a signed CDN address's query holds temporary credentials. */
    static String withoutQuery(URI u) {
        return u.getScheme() + "://" + u.getRawAuthority() + (u.getRawPath() == null ? "" : u.getRawPath());
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /**
     * HEAD on the resolve address: commit, blob name, size and download location of one file.
     */
    FileMetadata head(RepoId repo, String revision, String filename) throws IOException {
        Target target = new Target(repo, revision, filename);
        return retrying("HEAD " + repo + "/" + filename + "@" + revision, () -> {
            try (Response r = send("HEAD", resolveUri(repo, revision, filename),
                    Map.of("Accept-Encoding", "identity"), settings.metadataTimeout(), settings.metadataTimeout(),
                    false)) {
                if (r.status >= 400) {
                    throw error(r.status, r.headers, target);
                }
                String commit = r.header("X-Repo-Commit");
                String linked = FileMetadata.normalizeEtag(r.header("X-Linked-Etag"));
                String etag = linked != null ? linked : FileMetadata.normalizeEtag(r.header("ETag"));
                String sizeHeader = r.header("X-Linked-Size");
                if (sizeHeader == null) {
                    sizeHeader = r.header("Content-Length");
                }
                long size = -1;
                if (sizeHeader != null) {
                    try {
                        size = Long.parseLong(sizeHeader.strip());
                    } catch (NumberFormatException e) {
                        size = -1;
                    }
                }
                String loc = r.header("Location");
                URI location = loc != null ? r.uri.resolve(loc) : r.uri;
                if (commit == null || etag == null) {
                    throw new HubException(HubException.Reason.OTHER, "The server at " + settings.endpoint()
                            + " did not return " + (commit == null ? "X-Repo-Commit" : "an ETag") + " for '"
                            + filename + "' in " + repo + "@" + revision
                            + "; is HF_ENDPOINT a HuggingFace Hub (or a proxy that strips headers)?");
                }
                return new FileMetadata(commit, etag, size, location, linked != null);
            }
        });
    }

    /**
     * The model-info API: the commit a revision points to and the repository's file list.
     */
    RepoInfo modelInfo(RepoId repo, String revision) throws IOException {
        Target target = new Target(repo, revision, null);
        return retrying("model info of " + repo + "@" + revision, () -> {
            try (Response r = send("GET", modelInfoUri(repo, revision), Map.of("Accept", "application/json"),
                    settings.metadataTimeout(), settings.metadataTimeout(), true)) {
                if (r.status >= 400) {
                    throw error(r.status, r.headers, target);
                }
                JsonNode root = JSON.readTree(r.readAll());
                String sha = root.path("sha").asText(null);
                if (sha == null || !HubCache.COMMIT.matcher(sha).matches()) {
                    throw new HubException(HubException.Reason.OTHER, "The model-info answer for " + repo
                            + " has no commit hash ('sha'); is HF_ENDPOINT a HuggingFace Hub?");
                }
                List<String> files = new ArrayList<>();
                for (JsonNode s : root.path("siblings")) {
                    String f = s.path("rfilename").asText(null);
                    if (f != null) {
                        files.add(f);
                    }
                }
                return new RepoInfo(repo, sha, files, false);
            }
        });
    }

    /** Whether the Hub answers a model-info request for the repo (and revision): 404 tells which is missing. */
    int probeStatus(URI uri) {
        try (Response r = send("GET", uri, Map.of(), settings.metadataTimeout(), settings.metadataTimeout(), true)) {
            return r.status;
        } catch (IOException e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------------------------------------ errors

    /** Turns an HTTP error answer into a message saying what is missing and what to do. */
    HubException error(int status, HttpHeaders headers, Target t) {
        String code = headers.firstValue("X-Error-Code").orElse("");
        String serverMsg = headers.firstValue("X-Error-Message").map(m -> " (server: " + m + ")").orElse("");
        String repoUrl = settings.endpoint() + "/" + t.repo();
        String tokenState = settings.hasToken()
                ? "the token that was sent was not accepted for it"
                : "no token is set (set HF_TOKEN, or put it in $HF_HOME/token)";
        if (code.equals("GatedRepo") || ((status == 401 || status == 403) && !code.equals("RepoNotFound")
                && !code.equals("RevisionNotFound") && !code.equals("EntryNotFound"))) {
            return new HubException(HubException.Reason.UNAUTHORIZED, "Access to " + t.repo() + " was refused ("
                    + status + "): the repository is gated or private and " + tokenState
                    + ". Accept its licence at " + repoUrl + " with your account, then set HF_TOKEN to a token with"
                    + " read access" + serverMsg);
        }
        if (code.equals("RepoNotFound") || (status == 401 && code.isEmpty())) {
            return new HubException(HubException.Reason.REPO_NOT_FOUND, "Repository '" + t.repo()
                    + "' not found on " + settings.endpoint() + ": check the id (org/name); if it is private or"
                    + " gated, " + tokenState + serverMsg);
        }
        if (code.equals("RevisionNotFound")) {
            return new HubException(HubException.Reason.REVISION_NOT_FOUND, "Revision '" + t.revision()
                    + "' not found in " + t.repo() + ": use an existing branch, tag or full commit hash"
                    + " (see " + repoUrl + "/tree/main)" + serverMsg);
        }
        if (code.equals("EntryNotFound")) {
            return new HubException(HubException.Reason.FILE_NOT_FOUND, "File '" + t.filename() + "' not found in "
                    + t.repo() + " at revision '" + t.revision() + "'" + serverMsg);
        }
        if (status == 404) {
            return diagnose404(t, serverMsg);
        }
        if (status >= 500 || status == 429 || status == 408) {
            return new HubException(HubException.Reason.UNAVAILABLE, "The Hub answered " + status + " for "
                    + t.repo() + (t.filename() == null ? "" : "/" + t.filename()) + serverMsg);
        }
        return new HubException(HubException.Reason.OTHER, "The Hub answered " + status + " for " + t.repo()
                + (t.filename() == null ? "" : "/" + t.filename()) + " at revision '" + t.revision() + "'"
                + serverMsg);
    }

    /** A 404 without the Hub's error code: ask the model-info API whether the repo and revision exist. */
    private HubException diagnose404(Target t, String serverMsg) {
        if (probeStatus(modelInfoUri(t.repo(), null)) == 404) {
            return new HubException(HubException.Reason.REPO_NOT_FOUND, "Repository '" + t.repo()
                    + "' not found on " + settings.endpoint() + ": check the id (org/name)" + serverMsg);
        }
        if (t.revision() != null && probeStatus(modelInfoUri(t.repo(), t.revision())) == 404) {
            return new HubException(HubException.Reason.REVISION_NOT_FOUND, "Revision '" + t.revision()
                    + "' not found in " + t.repo() + ": use an existing branch, tag or full commit hash" + serverMsg);
        }
        if (t.filename() == null) {
            return new HubException(HubException.Reason.REPO_NOT_FOUND, "Repository '" + t.repo()
                    + "' or revision '" + t.revision() + "' not found on " + settings.endpoint() + serverMsg);
        }
        return new HubException(HubException.Reason.FILE_NOT_FOUND, "File '" + t.filename() + "' not found in "
                + t.repo() + " at revision '" + t.revision() + "'" + serverMsg);
    }

    // ------------------------------------------------------------------------------------------------ retries

    /** A call that may fail with an I/O error. */
    interface IoCall<T> {
        T call() throws IOException;
    }

    /** True for failures worth retrying: 5xx/429 answers, timeouts, refused or dropped connections. */
    static boolean isTransient(IOException e) {
        if (e instanceof HubException) {
            return ((HubException) e).reason() == HubException.Reason.UNAVAILABLE;
        }
        return !(e instanceof InterruptedIOException) || e instanceof java.net.SocketTimeoutException;
    }

    /**
     * True when the Hub could not be reached or kept failing (retries exhausted): a cached copy may then stand
     * in, as huggingface_hub does.
     */
    static boolean isUnavailable(IOException e) {
        return e instanceof HubException && ((HubException) e).reason() == HubException.Reason.UNAVAILABLE;
    }

    <T> T retrying(String what, IoCall<T> call) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.call();
            } catch (IOException e) {
                if (!isTransient(e)) {
                    throw e;
                }
                // A refused connection or an unknown host is retried once, not for half a minute: the user
                // is most likely offline, and the cache can then stand in at once.
                int max = e instanceof java.net.ConnectException ? Math.min(1, settings.maxRetries())
                        : settings.maxRetries();
                if (attempt >= max) {
                    throw new HubException(HubException.Reason.UNAVAILABLE, "Gave up on " + what + " after "
                            + (attempt + 1) + " attempts: " + describe(e) + ". The Hub (" + settings.endpoint()
                            + ") may be down or unreachable; try again later, or set HF_HUB_OFFLINE=1 to use only"
                            + " the cache", e);
                }
                Duration wait = backoff(attempt);
                settings.log().accept(what + " failed (" + describe(e) + "); retry " + (attempt + 1) + "/"
                        + max + " in " + wait.toMillis() + " ms");
                sleep(wait);
            }
        }
    }

    Duration backoff(int attempt) {
        long base = settings.retryBackoff().toMillis();
        // Doubling from the base, capped at 8 times the base (1 s base: 1, 2, 4, 8, 8 s, as huggingface_hub).
        return Duration.ofMillis(base << Math.min(attempt, 3));
    }

    static void sleep(Duration d) throws InterruptedIOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }

    /** Class and message, or the cause's when the JDK gives none (a ConnectException wrapping the reason). */
    static String describe(Throwable e) {
        String m = e.getMessage();
        String name = e.getClass().getSimpleName();
        if (m == null || m.isBlank()) {
            return e.getCause() != null && e.getCause() != e ? name + " (" + describe(e.getCause()) + ")" : name;
        }
        return name + ": " + m;
    }
}
