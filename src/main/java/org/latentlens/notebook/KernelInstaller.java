package org.latentlens.notebook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes the kernel's {@code kernel.json} into a Jupyter data folder, without calling Jupyter (so it works
 * before Jupyter is installed, and with any Jupyter).
 *
 * <p>The kernel runs {@code KernelMain} with the classpath given (by default this JVM's, which under
 * {@code bin/latentlens} is the LatentLens jar and its dependencies), so {@code import org.latentlens.*;}
 * works in the first cell. JVM flags: {@code -Djava.awt.headless=true} (images without a display),
 * {@code -Dai.djl.offline=true} plus {@code DJL_OFFLINE}/{@code OPT_OUT_TRACKING} in the environment (DJL
 * never reaches for the network), {@code THP_MEM_ALLOC_ENABLE=1} (libtorch puts large tensors on huge pages,
 * so models load faster), and {@code -Dslf4j.internal.verbosity=ERROR} (no SLF4J banner in the
 * kernel log). Interrupts are sent as messages, which the kernel turns into a stop of the running cell.
 *
 * <pre>
 * Path dir = KernelInstaller.builder().prefix(Path.of("/tmp/jp")).build().install();
 * // then: JUPYTER_PATH=/tmp/jp/share/jupyter jupyter nbconvert --execute ...
 * </pre>
 */
public final class KernelInstaller {
    /** The kernel's name, as notebooks reference it in {@code metadata.kernelspec.name}. */
    public static final String DEFAULT_NAME = "latentlens";

    private final String name;
    private final String displayName;
    private final Path kernelsDir;
    private final List<String> classpath;
    private final List<String> javaOptions;
    private final boolean copyJars;

    private KernelInstaller(Builder b) {
        this.name = b.name;
        this.displayName = b.displayName;
        this.kernelsDir = b.prefix != null ? b.prefix.resolve("share/jupyter/kernels") : userKernelsDir();
        this.classpath = b.classpath != null ? b.classpath
                : List.of(System.getProperty("java.class.path").split(File.pathSeparator));
        this.javaOptions = List.copyOf(b.javaOptions);
        this.copyJars = b.copyJars;
    }

    /** @return a builder; without {@code prefix} the kernel goes to the user's Jupyter data folder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return {@code $JUPYTER_DATA_DIR/kernels}, else the platform's user data folder's {@code kernels} */
    static Path userKernelsDir() {
        String data = System.getenv("JUPYTER_DATA_DIR");
        if (data != null && !data.isBlank()) {
            return Path.of(data, "kernels");
        }
        String home = System.getProperty("user.home");
        String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
        if (os.contains("mac")) {
            return Path.of(home, "Library", "Jupyter", "kernels");
        }
        if (os.contains("win")) {
            return Path.of(System.getenv().getOrDefault("APPDATA", home), "jupyter", "kernels");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".local", "share"))
                .resolve("jupyter").resolve("kernels");
    }

    /** @return the folder the kernel is (or will be) installed in */
    public Path kernelDir() {
        return kernelsDir.resolve(name);
    }

    /**
     * @param classpathEntries the classpath the kernel gets
     * @return the kernel.json content
     */
    Map<String, Object> spec(List<String> classpathEntries) {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.add("-Djava.awt.headless=true");
        argv.add("-Dai.djl.offline=true");
        argv.add("-Dslf4j.internal.verbosity=ERROR");
        argv.add("--add-modules=jdk.incubator.vector"); // the search and projection kernels; without it libtorch and a scalar path run
        // packed projection weights live on the Java heap: let it grow to most of the memory (a user's -Xmx, later, wins)
        argv.add("-XX:MaxRAMPercentage=70");
        argv.add("-XX:MaxNewSize=768m"); // a model run makes garbage fast; a large young generation only inflates RSS
        argv.add("-XX:+UseTransparentHugePages");
        argv.addAll(javaOptions);
        argv.add("-cp");
        argv.add(String.join(File.pathSeparator, classpathEntries));
        argv.add(KernelMain.class.getName());
        argv.add("{connection_file}");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("argv", argv);
        spec.put("display_name", displayName);
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        spec.put("env", Map.of("DJL_OFFLINE", "true", "OPT_OUT_TRACKING", "true", "THP_MEM_ALLOC_ENABLE", "1"));
        spec.put("metadata", Map.of("debugger", false));
        return spec;
    }

    /**
     * Installs (or replaces) the kernel: writes kernel.json, and copies the jars into {@code lib/} first when
     * asked to. Written to a temporary folder, then moved into place, so a failed install leaves the old one.
     *
     * @return the kernel's folder
     * @throws IOException when the folder cannot be written or a classpath entry is missing (named)
     */
    public Path install() throws IOException {
        Files.createDirectories(kernelsDir);
        Path staging = Files.createTempDirectory(kernelsDir, "." + name + "-");
        try {
            List<String> cp = new ArrayList<>();
            Path target = kernelDir();
            for (String entry : classpath) {
                if (entry.isBlank()) {
                    continue;
                }
                Path p = Path.of(entry).toAbsolutePath();
                if (!Files.exists(p)) {
                    throw new IOException("classpath entry " + p + " does not exist: build first (mvn package)");
                }
                if (copyJars && Files.isRegularFile(p)) {
                    Path lib = Files.createDirectories(staging.resolve("lib"));
                    Files.copy(p, lib.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    cp.add(target.resolve("lib").resolve(p.getFileName()).toString());
                } else {
                    cp.add(p.toString());
                }
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(staging.resolve("kernel.json").toFile(), spec(cp));
            if (Files.exists(target)) {
                deleteTree(target);
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            if (Files.exists(staging)) {
                deleteTree(staging);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Options for {@link KernelInstaller}. */
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private String displayName = "LatentLens (Java " + Runtime.version().feature() + ")";
        private Path prefix;
        private List<String> classpath;
        private final List<String> javaOptions = new ArrayList<>();
        private boolean copyJars;

        private Builder() {
        }

        /**
         * @param name the kernel name (folder name; notebooks refer to it)
         * @return this builder
         */
        public Builder name(String name) {
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("kernel name '" + name + "' may only hold letters, digits, . _ -");
            }
            this.name = name;
            return this;
        }

        /**
         * @param displayName the name shown in Jupyter's kernel menu
         * @return this builder
         */
        public Builder displayName(String displayName) {
            this.displayName = displayName;
            return this;
        }

        /**
         * @param prefix install under {@code PREFIX/share/jupyter/kernels} (as {@code jupyter kernelspec
         *     install --prefix}); then put {@code PREFIX/share/jupyter} on {@code JUPYTER_PATH}
         * @return this builder
         */
        public Builder prefix(Path prefix) {
            this.prefix = prefix;
            return this;
        }

        /**
         * @param entries the kernel's classpath (default: this JVM's)
         * @return this builder
         */
        public Builder classpath(List<String> entries) {
            this.classpath = List.copyOf(entries);
            return this;
        }

        /**
         * @param option an extra JVM option for the kernel, e.g. {@code -Xmx8g}
         * @return this builder
         */
        public Builder javaOption(String option) {
            this.javaOptions.add(option);
            return this;
        }

        /**
         * @param copy copy the jars into the kernel folder, so it survives {@code mvn clean}
         * @return this builder
         */
        public Builder copyJars(boolean copy) {
            this.copyJars = copy;
            return this;
        }

        /** @return the installer */
        public KernelInstaller build() {
            return new KernelInstaller(this);
        }
    }
}
