package org.latentlens.notebook;

import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.util.PathsHandler;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The LatentLens Jupyter kernel: Java through JShell, on the JJava base library ({@code jjava-jupyter}).
 *
 * <p>User code runs in this JVM (see {@link SnippetRunner}), so the JVM flags of {@code kernel.json}
 * (headless AWT, DJL offline) apply to it, and results are live objects that our renderers turn into HTML.
 * Line magics:
 * <ul>
 *   <li>{@code %jars PATH...}: add jars; a folder adds every jar in it; globs work;</li>
 *   <li>{@code %classpath [PATH...]}: add class folders or jars, or print the classpath;</li>
 *   <li>{@code %maven GROUP:ARTIFACT:VERSION...}: resolve from Maven Central with dependencies, and add.</li>
 * </ul>
 * After each addition the kernel looks for new {@code org.dflib.jjava.jupyter.Extension} services in the
 * <em>snippet class loader</em>: an extension loaded anywhere else registers renderers for classes that are
 * not the notebook's classes, and is silently ignored.
 */
public final class LatentLensKernel extends BaseKernel {
    private static final Pattern MAGIC_PREFIX = Pattern.compile("^\\s*%([\\w-]*)$");
    /** Snippets run once before the first cell. */
    private static final List<String> STARTUP = List.of(
            "import java.util.*;", "import java.util.function.*;", "import java.util.stream.*;",
            "import java.nio.file.*;", "import java.io.*;",
            "import static org.dflib.jjava.jupyter.kernel.BaseNotebookStatics.*;",
            "{ }");

    /** JShell, built and warmed up on a background thread so that the kernel answers Jupyter at once. */
    private final java.util.concurrent.CompletableFuture<JShell> warmShell;
    private final SnippetRunner runner;
    private final List<String> addedClasspath = new java.util.concurrent.CopyOnWriteArrayList<>();
    private JShell shell;
    private CellEvaluator evaluator;
    private MavenResolver maven;
    private boolean started;

    private LatentLensKernel(String name, String version, org.dflib.jjava.jupyter.kernel.JupyterIO io,
                             org.dflib.jjava.jupyter.kernel.comm.CommManager comms,
                             org.dflib.jjava.jupyter.kernel.display.Renderer renderer, MagicParser magicParser,
                             org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry magics, boolean extensions,
                             org.dflib.jjava.jupyter.kernel.util.StringStyler errorStyler,
                             SnippetRunnerProvider provider) {
        super(name, version,
                new LanguageInfo("java", Runtime.version().toString(), "text/x-java", ".jshell", "java", "java",
                        null),
                List.of(new HelpLink("LatentLens notebooks", "https://github.com/latentlens/latentlens-java")),
                null, io, comms, renderer, magicParser, magics, extensions, errorStyler);
        this.runner = provider.runner();
        this.warmShell = new java.util.concurrent.CompletableFuture<>();
        Thread warm = new Thread(() -> {
            try {
                warmShell.complete(createShell(provider));
            } catch (Throwable t) {
                warmShell.completeExceptionally(t);
            }
        }, "jshell-warm-up");
        warm.setDaemon(true);
        warm.start();
    }

    /** Builds JShell on our engine, gives it the kernel's classpath, and runs the startup snippets. */
    private JShell createShell(SnippetRunnerProvider provider) {
        JShell js = JShell.builder().executionEngine(provider, Map.of()).build();
        js.addToClasspath(System.getProperty("java.class.path"));
        String extra = System.getenv("LATENTLENS_KERNEL_CLASSPATH");
        if (extra != null && !extra.isBlank()) {
            for (Path p : PathsHandler.splitAndResolveGlobs(extra)) {
                js.addToClasspath(p.toAbsolutePath().toString());
                addedClasspath.add(p.toAbsolutePath().toString());
            }
        }
        for (String snippet : STARTUP) {
            js.eval(snippet);
        }
        runner.clearResults();
        return js;
    }

    /** @return a kernel with the LatentLens magics, not yet connected */
    public static LatentLensKernel create() {
        return new Builder().name("latentlens").version(KernelMain.version()).build();
    }

    /** Builds the kernel: the JShell with our in-process engine, and the magics. */
    static final class Builder extends BaseKernelBuilder<Builder, LatentLensKernel> {
        @Override
        public LatentLensKernel build() {
            SnippetRunnerProvider provider = new SnippetRunnerProvider();
            lineMagic("jars", (LatentLensKernel k, List<String> args) -> k.addJars(args));
            lineMagic("classpath", (LatentLensKernel k, List<String> args) -> k.classpathMagic(args));
            lineMagic("maven", (LatentLensKernel k, List<String> args) -> k.mavenMagic(args));
            return new LatentLensKernel(buildName(), buildVersion(), buildJupyterIO(buildJupyterIOEncoding()),
                    buildCommManager(), buildRenderer(), new MagicParser("^\\s*%", "%%", buildMagicTranspiler()),
                    buildMagicsRegistry(), buildExtensionsEnabled(), buildErrorStyler(), provider);
        }
    }

    /** Waits for the warmed-up JShell (first call only) and installs extensions from the snippet class loader. */
    private synchronized void startIfNeeded() {
        if (started) {
            return;
        }
        try {
            shell = warmShell.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw new IllegalStateException("JShell failed to start: " + e.getCause(), e.getCause());
        }
        evaluator = new CellEvaluator(shell, runner);
        started = true;
        reloadExtensions();
    }

    private void reloadExtensions() {
        if (extensionsEnabled && runner.snippetLoader() != null) {
            installExtensions(runner.snippetLoader());
        }
    }

    @Override
    protected ClassLoader getClassLoader() {
        ClassLoader l = runner.snippetLoader();
        return l != null ? l : super.getClassLoader();
    }

    @Override
    public Object evalRaw(String source) {
        startIfNeeded();
        int cellNumber = executionCount.get() - 1;
        try {
            return evaluator.eval(source, cellNumber, (name, args) -> magicsRegistry.evalLineMagic(this, name, args));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (Error e) {
            // The base kernel only answers Exceptions: an Error (a missing class in a magic's library, an
            // OutOfMemoryError) would leave the cell without a reply and the front end waiting forever.
            throw new IllegalStateException(e.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> formatError(Throwable e) {
        if (e instanceof CompilationError c) {
            return c.traceback();
        }
        if (e instanceof EvaluationError ev) {
            return ev.traceback();
        }
        List<String> lines = new ArrayList<>();
        lines.add("\u001B[1;31m" + e.getClass().getSimpleName() + ": " + e.getMessage() + "\u001B[0m");
        if (System.getenv("LATENTLENS_DEBUG") != null) {
            lines.addAll(super.formatError(e));
        }
        return lines;
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        startIfNeeded();
        int end = at;
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
            end++;
        }
        List<SourceCodeAnalysis.Documentation> docs = shell.sourceCodeAnalysis().documentation(code, end, true);
        if (docs == null || docs.isEmpty()) {
            // JShell documents methods from inside a call: retry as if the name were followed by "(".
            docs = shell.sourceCodeAnalysis().documentation(code.substring(0, end) + "(", end + 1, true);
        }
        if (docs == null || docs.isEmpty()) {
            return null;
        }
        String text = docs.stream().map(d -> d.signature() + (d.javadoc() == null ? "" : "\n" + d.javadoc()))
                .collect(Collectors.joining("\n\n"));
        return new DisplayData(text);
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        startIfNeeded();
        int lineStart = code.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
        Matcher m = MAGIC_PREFIX.matcher(code.substring(lineStart, at));
        if (m.matches()) {
            List<String> names = magicsRegistry.getLineMagicNames().stream().filter(n -> n.startsWith(m.group(1)))
                    .sorted().map(n -> "%" + n).toList();
            return new ReplacementOptions(names, code.indexOf('%', lineStart), at);
        }
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> s = shell.sourceCodeAnalysis().completionSuggestions(code, at, anchor);
        if (s == null || s.isEmpty()) {
            return null;
        }
        List<String> options = s.stream()
                .sorted(Comparator.comparing((SourceCodeAnalysis.Suggestion x) -> !x.matchesType()))
                .map(SourceCodeAnalysis.Suggestion::continuation).distinct().toList();
        return new ReplacementOptions(options, anchor[0], at);
    }

    @Override
    public String isComplete(String code) {
        startIfNeeded();
        SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(code);
        while (info.completeness().isComplete()) {
            info = shell.sourceCodeAnalysis().analyzeCompletion(info.remaining());
        }
        return switch (info.completeness()) {
            case EMPTY -> IS_COMPLETE_YES;
            case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> "    ";
            default -> IS_COMPLETE_BAD;
        };
    }

    @Override
    public void interrupt() {
        runner.interrupt();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        super.onShutdown(isRestarting);
        if (shell != null) {
            shell.close();
        }
    }

    // ---- magics -------------------------------------------------------------------------------------------

    private Object addJars(List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("%jars needs at least one jar, folder or glob");
        }
        Set<Path> jars = new LinkedHashSet<>();
        for (String a : args) {
            Path p = Path.of(a);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(jars::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + p, e);
                }
            } else {
                List<Path> found = PathsHandler.splitAndResolveGlobs(a);
                if (found.isEmpty()) {
                    throw new IllegalArgumentException("%jars: no file matches " + a
                            + " (relative paths start at " + Path.of("").toAbsolutePath() + ")");
                }
                jars.addAll(found);
            }
        }
        addClasspath(jars);
        return null;
    }

    private Object classpathMagic(List<String> args) {
        if (args.isEmpty()) {
            List<String> all = new ArrayList<>(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
            all.addAll(addedClasspath);
            System.out.println(String.join("\n", all));
            return null;
        }
        List<Path> paths = new ArrayList<>();
        for (String a : args) {
            List<Path> found = PathsHandler.splitAndResolveGlobs(a);
            if (found.isEmpty()) {
                throw new IllegalArgumentException("%classpath: no file or folder matches " + a);
            }
            paths.addAll(found);
        }
        addClasspath(paths);
        return null;
    }

    private Object mavenMagic(List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("%maven needs coordinates, e.g. %maven org.apache.commons:commons-text:1.12.0");
        }
        if (maven == null) {
            maven = new MavenResolver();
        }
        Set<Path> jars = new LinkedHashSet<>();
        for (String coordinates : args) {
            jars.addAll(maven.resolve(coordinates));
        }
        addClasspath(jars);
        System.out.println("%maven: added " + jars.stream().map(p -> p.getFileName().toString())
                .collect(Collectors.joining(", ")));
        return null;
    }

    private void addClasspath(java.util.Collection<Path> paths) {
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("classpath entry does not exist: " + p.toAbsolutePath());
            }
            String entry = p.toAbsolutePath().toString();
            if (!addedClasspath.contains(entry)) {
                shell.addToClasspath(entry);
                addedClasspath.add(entry);
            }
        }
        reloadExtensions();
    }
}
