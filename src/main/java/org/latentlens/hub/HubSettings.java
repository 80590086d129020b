package org.latentlens.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Everything the Hub client needs to know about its surroundings: where the Hub is, who the user is, where the
 * cache lives, whether the network may be used, and how patient to be. Read from the same environment variables
 * as Python's huggingface_hub, so both tools share one cache and one login.
 *
 * <pre>{@code
 * HubSettings s = HubSettings.fromEnvironment()          // HF_ENDPOINT, HF_TOKEN, HF_HOME, HF_HUB_CACHE, HF_HUB_OFFLINE
 *         .optCacheDir(Path.of("/data/hf"))             // an explicit cache directory wins
 *         .build();
 * System.out.println(s);                                // the token is never shown, only whether one is set
 * }</pre>
 *
 * <p>Environment variables read (as huggingface_hub does):
 * {@code HF_ENDPOINT} (default {@code https://huggingface.co}); {@code HF_TOKEN}, else
 * {@code HUGGING_FACE_HUB_TOKEN}, else the file {@code HF_TOKEN_PATH} or {@code $HF_HOME/token};
 * {@code HF_HOME} (default {@code $XDG_CACHE_HOME/huggingface} or {@code ~/.cache/huggingface});
 * {@code HF_HUB_CACHE} (default {@code $HF_HOME/hub}; legacy {@code HUGGINGFACE_HUB_CACHE});
 * {@code HF_HUB_OFFLINE} or {@code TRANSFORMERS_OFFLINE} ({@code 1/ON/YES/TRUE});
 * {@code HF_HUB_ETAG_TIMEOUT}, {@code HF_HUB_DOWNLOAD_TIMEOUT} (seconds, default 10);
 * {@code HF_HUB_DISABLE_PROGRESS_BARS}; {@code HTTP_PROXY}, {@code HTTPS_PROXY}, {@code NO_PROXY} (either case;
 * proxies needing a password are not supported).
 */
public final class HubSettings {
    /** The public Hub. */
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    private final URI endpoint;
    private final String token;
    private final String tokenSource;
    private final Path cacheDir;
    private final boolean offline;
    private final Duration connectTimeout;
    private final Duration metadataTimeout;
    private final Duration readTimeout;
    private final int maxRetries;
    private final Duration retryBackoff;
    private final int maxWorkers;
    private final boolean progress;
    private final Consumer<String> log;
    private final URI httpProxy;
    private final URI httpsProxy;
    private final List<String> noProxy;

    private HubSettings(Builder b) {
        this.endpoint = b.endpoint;
        this.token = b.token;
        this.tokenSource = b.tokenSource;
        this.cacheDir = b.cacheDir;
        this.offline = b.offline;
        this.connectTimeout = b.connectTimeout;
        this.metadataTimeout = b.metadataTimeout;
        this.readTimeout = b.readTimeout;
        this.maxRetries = b.maxRetries;
        this.retryBackoff = b.retryBackoff;
        this.maxWorkers = b.maxWorkers;
        this.progress = b.progress;
        this.log = b.log;
        this.httpProxy = b.httpProxy;
        this.httpsProxy = b.httpsProxy;
        this.noProxy = List.copyOf(b.noProxy);
    }

    /**
     * A builder pre-filled from the process environment.
     *
     * @return the builder
     */
    public static Builder fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * A builder pre-filled from the given variables (tests pass a map instead of touching the real environment).
     *
     * @param env environment variables
     * @return the builder
     */
    public static Builder fromEnvironment(Map<String, String> env) {
        Builder b = new Builder();
        String endpoint = nonBlank(env.get("HF_ENDPOINT"));
        if (endpoint != null) {
            b.optEndpoint(endpoint);
        }
        Path hfHome;
        String home = nonBlank(env.get("HF_HOME"));
        if (home != null) {
            hfHome = expandHome(home, env);
        } else {
            String xdg = nonBlank(env.get("XDG_CACHE_HOME"));
            hfHome = xdg != null ? expandHome(xdg, env).resolve("huggingface")
                    : userHome(env).resolve(".cache").resolve("huggingface");
        }
        String cache = nonBlank(env.get("HF_HUB_CACHE"));
        if (cache == null) {
            cache = nonBlank(env.get("HUGGINGFACE_HUB_CACHE"));
        }
        b.cacheDir = cache != null ? expandHome(cache, env) : hfHome.resolve("hub");

        String token = nonBlank(env.get("HF_TOKEN"));
        String source = "HF_TOKEN";
        if (token == null) {
            token = nonBlank(env.get("HUGGING_FACE_HUB_TOKEN"));
            source = "HUGGING_FACE_HUB_TOKEN";
        }
        if (token == null) {
            String tp = nonBlank(env.get("HF_TOKEN_PATH"));
            Path tokenFile = tp != null ? expandHome(tp, env) : hfHome.resolve("token");
            token = readTokenFile(tokenFile);
            source = tokenFile.toString();
        }
        if (token != null) {
            b.token = token;
            b.tokenSource = source;
        }
        b.offline = isTrue(env.get("HF_HUB_OFFLINE")) || isTrue(env.get("TRANSFORMERS_OFFLINE"));
        Duration etag = seconds(env.get("HF_HUB_ETAG_TIMEOUT"));
        if (etag != null) {
            b.optMetadataTimeout(etag);
        }
        Duration dl = seconds(env.get("HF_HUB_DOWNLOAD_TIMEOUT"));
        if (dl != null) {
            b.optReadTimeout(dl);
        }
        String httpProxy = firstNonBlank(env, "HTTP_PROXY", "http_proxy");
        String httpsProxy = firstNonBlank(env, "HTTPS_PROXY", "https_proxy");
        String noProxy = firstNonBlank(env, "NO_PROXY", "no_proxy");
        if (httpProxy != null || httpsProxy != null) {
            List<String> hosts = new ArrayList<>();
            if (noProxy != null) {
                for (String h : noProxy.split(",")) {
                    if (!h.isBlank()) {
                        hosts.add(h.strip());
                    }
                }
            }
            b.optProxy(httpProxy, httpsProxy, hosts);
        }
        if (isTrue(env.get("HF_HUB_DISABLE_PROGRESS_BARS"))) {
            b.progress = false;
        }
        return b;
    }

    /**
     * A fresh builder with huggingface_hub's defaults and nothing read from the environment.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these settings, to change a few.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.endpoint = endpoint;
        b.token = token;
        b.tokenSource = tokenSource;
        b.cacheDir = cacheDir;
        b.offline = offline;
        b.connectTimeout = connectTimeout;
        b.metadataTimeout = metadataTimeout;
        b.readTimeout = readTimeout;
        b.maxRetries = maxRetries;
        b.retryBackoff = retryBackoff;
        b.maxWorkers = maxWorkers;
        b.progress = progress;
        b.log = log;
        b.httpProxy = httpProxy;
        b.httpsProxy = httpsProxy;
        b.noProxy = noProxy;
        return b;
    }

    private static String firstNonBlank(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = nonBlank(env.get(n));
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    static URI parseProxy(String url, String name) {
        String u = nonBlank(url);
        if (u == null) {
            return null;
        }
        if (!u.contains("://")) {
            u = "http://" + u;
        }
        URI uri;
        try {
            uri = URI.create(u);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null) {
            throw new IllegalArgumentException(name + " must be a proxy address like http://proxy:3128");
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException(name + " holds a user name and password, which is not supported;"
                    + " use a proxy without authentication, or the JDK's http.proxyUser settings");
        }
        return uri;
    }

    private static String hostPort(URI proxy) {
        return proxy.getHost() + ":" + proxyPort(proxy);
    }

    static int proxyPort(URI proxy) {
        return proxy.getPort() >= 0 ? proxy.getPort() : "https".equals(proxy.getScheme()) ? 443 : 80;
    }

    /**
     * The proxy for an address, honouring the no-proxy list, or null for a direct connection.
     *
     * @param target the address to reach
     * @return the proxy, or null
     */
    URI proxyFor(URI target) {
        URI proxy = "https".equalsIgnoreCase(target.getScheme()) ? httpsProxy : httpProxy;
        if (proxy == null || target.getHost() == null) {
            return null;
        }
        String host = target.getHost().toLowerCase(Locale.ROOT);
        for (String n : noProxy) {
            String h = n.toLowerCase(Locale.ROOT);
            if (h.equals("*") || host.equals(h) || host.endsWith(h.startsWith(".") ? h : "." + h)) {
                return null;
            }
        }
        return proxy;
    }

    /** @return whether any proxy is configured */
    public boolean hasProxy() {
        return httpProxy != null || httpsProxy != null;
    }

    private static String readTokenFile(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                return nonBlank(Files.readString(file, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // An unreadable token file is treated as no token; the 401 message then says how to set one.
        }
        return null;
    }

    private static Path userHome(Map<String, String> env) {
        String h = nonBlank(env.get("HOME"));
        return Path.of(h != null ? h : System.getProperty("user.home"));
    }

    private static Path expandHome(String p, Map<String, String> env) {
        if (p.equals("~")) {
            return userHome(env);
        }
        if (p.startsWith("~/")) {
            return userHome(env).resolve(p.substring(2));
        }
        return Path.of(p);
    }

    private static String nonBlank(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }

    /** huggingface_hub's {@code _is_true}: 1, ON, YES, TRUE in any case. */
    static boolean isTrue(String v) {
        if (v == null) {
            return false;
        }
        String u = v.strip().toUpperCase(Locale.ROOT);
        return u.equals("1") || u.equals("ON") || u.equals("YES") || u.equals("TRUE");
    }

    private static Duration seconds(String v) {
        String s = nonBlank(v);
        if (s == null) {
            return null;
        }
        try {
            return Duration.ofMillis((long) (Double.parseDouble(s) * 1000));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** @return the Hub's base address, without a trailing slash */
    public URI endpoint() {
        return endpoint;
    }

    /** @return whether a token is set (the token itself is only handed to the HTTP layer) */
    public boolean hasToken() {
        return token != null;
    }

    /** The token, for the {@code Authorization} header only. Never log it. */
    String token() {
        return token;
    }

    /** @return the huggingface_hub cache root (holding {@code models--org--name} folders) */
    public Path cacheDir() {
        return cacheDir;
    }

    /** @return true when the network must not be used */
    public boolean offline() {
        return offline;
    }

    /** @return time allowed to open a connection */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return time allowed for a metadata request (HEAD, model-info API) */
    public Duration metadataTimeout() {
        return metadataTimeout;
    }

    /** @return longest silence tolerated while a file streams before the transfer is retried */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** @return how many times a transient failure (5xx, 429, timeout, dropped connection) is retried */
    public int maxRetries() {
        return maxRetries;
    }

    /** @return the first backoff; it doubles at each retry */
    public Duration retryBackoff() {
        return retryBackoff;
    }

    /** @return how many files download in parallel */
    public int maxWorkers() {
        return maxWorkers;
    }

    /** @return whether progress bars are drawn */
    public boolean progress() {
        return progress;
    }

    /** @return where notices (fallbacks to the cache, waits for locks) go */
    public Consumer<String> log() {
        return log;
    }

    @Override
    public String toString() {
        return "HubSettings{endpoint=" + endpoint
                + ", token=" + (token == null ? "none" : "set (from " + tokenSource + ")")
                + ", cacheDir=" + cacheDir
                + ", offline=" + offline
                + ", connectTimeout=" + connectTimeout
                + ", metadataTimeout=" + metadataTimeout
                + ", readTimeout=" + readTimeout
                + ", maxRetries=" + maxRetries
                + ", retryBackoff=" + retryBackoff
                + ", maxWorkers=" + maxWorkers
                + ", progress=" + progress
                + (httpsProxy == null ? "" : ", httpsProxy=" + hostPort(httpsProxy))
                + (httpProxy == null ? "" : ", httpProxy=" + hostPort(httpProxy))
                + (noProxy.isEmpty() ? "" : ", noProxy=" + noProxy) + "}";
    }

    /** Builds {@link HubSettings}; every field has a default, so all setters are {@code opt}. */
    public static final class Builder {
        private URI endpoint = URI.create(DEFAULT_ENDPOINT);
        private String token;
        private String tokenSource;
        private Path cacheDir = Path.of(System.getProperty("user.home"), ".cache", "huggingface", "hub");
        private boolean offline;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration metadataTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(10);
        private int maxRetries = 5;
        private Duration retryBackoff = Duration.ofSeconds(1);
        private int maxWorkers = 8;
        private boolean progress = true;
        private Consumer<String> log = msg -> System.err.println("latentlens hub: " + msg);
        private URI httpProxy;
        private URI httpsProxy;
        private List<String> noProxy = List.of();

        private Builder() {
        }

        /**
         * Sets the Hub address (a mirror, or a local server in tests).
         *
         * @param url e.g. {@code https://huggingface.co}
         * @return this builder
         */
        public Builder optEndpoint(String url) {
            String u = url.strip();
            while (u.endsWith("/")) {
                u = u.substring(0, u.length() - 1);
            }
            URI uri;
            try {
                uri = URI.create(u);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("HF_ENDPOINT / endpoint must be an http(s) URL, got '" + url + "'");
            }
            this.endpoint = uri;
            return this;
        }

        /**
         * Sets the access token (for gated and private repos); null removes it.
         *
         * @param token a HuggingFace access token
         * @return this builder
         */
        public Builder optToken(String token) {
            this.token = nonBlank(token);
            this.tokenSource = this.token == null ? null : "optToken";
            return this;
        }

        /**
         * Sets the cache root explicitly (wins over HF_HUB_CACHE and HF_HOME).
         *
         * @param dir the cache root
         * @return this builder
         */
        public Builder optCacheDir(Path dir) {
            this.cacheDir = Objects.requireNonNull(dir, "cacheDir");
            return this;
        }

        /**
         * Forbids (true) or allows (false) network access.
         *
         * @param offline whether to stay offline
         * @return this builder
         */
        public Builder optOffline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /**
         * Sets the connect timeout.
         *
         * @param d the timeout
         * @return this builder
         */
        public Builder optConnectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        /**
         * Sets the timeout of metadata requests (HEAD and model-info).
         *
         * @param d the timeout
         * @return this builder
         */
        public Builder optMetadataTimeout(Duration d) {
            this.metadataTimeout = positive(d, "metadataTimeout");
            return this;
        }

        /**
         * Sets the longest silence tolerated inside a transfer.
         *
         * @param d the timeout
         * @return this builder
         */
        public Builder optReadTimeout(Duration d) {
            this.readTimeout = positive(d, "readTimeout");
            return this;
        }

        /**
         * Sets how many retries a transient failure gets.
         *
         * @param n 0 or more
         * @return this builder
         */
        public Builder optMaxRetries(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxRetries must be >= 0, got " + n);
            }
            this.maxRetries = n;
            return this;
        }

        /**
         * Sets the first retry backoff (doubled each retry).
         *
         * @param d the backoff
         * @return this builder
         */
        public Builder optRetryBackoff(Duration d) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("retryBackoff must be >= 0, got " + d);
            }
            this.retryBackoff = d;
            return this;
        }

        /**
         * Sets how many files download in parallel.
         *
         * @param n at least 1
         * @return this builder
         */
        public Builder optMaxWorkers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxWorkers must be >= 1, got " + n);
            }
            this.maxWorkers = n;
            return this;
        }

        /**
         * Turns progress bars on or off.
         *
         * @param progress whether to draw them
         * @return this builder
         */
        public Builder optProgress(boolean progress) {
            this.progress = progress;
            return this;
        }

        /**
         * Sets where notices go (default: standard error).
         *
         * @param log the sink
         * @return this builder
         */
        public Builder optLog(Consumer<String> log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        /**
         * Sets the proxies (as the {@code HTTP_PROXY}, {@code HTTPS_PROXY} and {@code NO_PROXY} variables do).
         * Proxies that need a password are not supported.
         *
         * @param httpProxy proxy for http addresses, e.g. {@code http://proxy:3128}, or null
         * @param httpsProxy proxy for https addresses, or null
         * @param noProxy host names (or suffixes such as {@code .internal}) reached directly
         * @return this builder
         */
        public Builder optProxy(String httpProxy, String httpsProxy, List<String> noProxy) {
            this.httpProxy = parseProxy(httpProxy, "HTTP_PROXY");
            this.httpsProxy = parseProxy(httpsProxy, "HTTPS_PROXY");
            this.noProxy = noProxy == null ? List.of() : List.copyOf(noProxy);
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the settings
         */
        public HubSettings build() {
            return new HubSettings(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be > 0, got " + d);
            }
            return d;
        }
    }
}
