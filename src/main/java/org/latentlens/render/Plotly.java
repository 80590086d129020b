package org.latentlens.render;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * plotly.js 2.35.3, offline: loaded from the jar, wrapped so RequireJS cannot capture it.
 *
 * <p>The build copies {@code .cache/npm/node_modules/plotly.js-dist-min/plotly.min.js} (npm package
 * {@code plotly.js-dist-min@2.35.3}, installed by {@code bin/setup-test-deps}) into the jar as the resource
 * {@value #RESOURCE}. When the jar was built without it, {@code $LATENTLENS_PLOTLY_JS} or that npm folder
 * under the working directory or one of its parents is used. Version 2.35.3 matters: Tablesaw emits the
 * plotly 1/2 layout API ({@code title: 'text'}), whose titles plotly.js 3+ silently drops.
 *
 * <p>Why the wrapper: Debian's nbconvert loads require.js into exported pages; plotly's UMD header then
 * registers an anonymous AMD module instead of setting {@code window.Plotly}, and every chart fails with
 * "Plotly is not defined". Running the library in a function whose {@code define}, {@code module} and
 * {@code exports} are undefined makes it take the global branch.
 */
public final class Plotly {
    /** The classpath resource holding plotly.min.js. */
    public static final String RESOURCE = "/org/latentlens/render/plotly.min.js";
    /** The npm file, relative to the project root. */
    static final String NPM_PATH = ".cache/npm/node_modules/plotly.js-dist-min/plotly.min.js";

    private static final AtomicBoolean INLINED = new AtomicBoolean();
    private static volatile String cached;

    private Plotly() {
    }

    /**
     * @return the plotly.min.js source
     * @throws IllegalStateException when it is neither in the jar nor at the known paths (names them)
     */
    public static String source() {
        String s = cached;
        if (s != null) {
            return s;
        }
        try (InputStream in = Plotly.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        if (s == null) {
            Path file = locate();
            try {
                s = Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read plotly.js at " + file, e);
            }
        }
        cached = s;
        return s;
    }

    private static Path locate() {
        String env = System.getenv("LATENTLENS_PLOTLY_JS");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            if (Files.isRegularFile(p)) {
                return p;
            }
            throw new IllegalStateException("LATENTLENS_PLOTLY_JS=" + env + " is not a file");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve(NPM_PATH);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException("plotly.js not found: not in the jar (" + RESOURCE + "), no "
                + "LATENTLENS_PLOTLY_JS, and no " + NPM_PATH + " above " + Path.of("").toAbsolutePath()
                + ". Run bin/setup-test-deps (npm install plotly.js-dist-min@2.35.3) and rebuild.");
    }

    /** @return a {@code <script>} element defining {@code window.Plotly}, safe from RequireJS */
    public static String scriptTag() {
        return "<script type=\"text/javascript\">(function(define, module, exports){\n" + source()
                + "\n}).call(window, undefined, undefined, undefined);</script>";
    }

    /**
     * Returns the script tag the first time it is called in this JVM and "" afterwards, so that in a notebook
     * plotly.js is inlined once, by the first chart (a kernel restart starts a new JVM, and inlines it again).
     *
     * @return the script tag, or ""
     */
    public static String scriptTagOnce() {
        return INLINED.compareAndSet(false, true) ? scriptTag() : "";
    }

    /** Makes the next {@link #scriptTagOnce()} inline plotly.js again (after clearing notebook outputs). */
    public static void reset() {
        INLINED.set(false);
    }
}
