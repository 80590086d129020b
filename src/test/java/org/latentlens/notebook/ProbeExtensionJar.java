package org.latentlens.notebook;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/**
 * Builds a small third-party jar at test time: a class {@code probe.Swatch} and a JJava {@code Extension}
 * that renders it as {@code <b>swatch-html</b>}, registered in {@code META-INF/services}. Loading it with
 * {@code %jars} checks that extensions are installed from the notebook's class loader.
 */
final class ProbeExtensionJar {
    private ProbeExtensionJar() {
    }

    static Path build(Path dir) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/probe"));
        Files.writeString(src.resolve("Swatch.java"), "package probe; public class Swatch {}");
        Files.writeString(src.resolve("SwatchExtension.java"), """
                package probe;
                import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
                public class SwatchExtension implements org.dflib.jjava.jupyter.Extension {
                    public void install(org.dflib.jjava.jupyter.kernel.BaseKernel kernel) {
                        kernel.getRenderer().createRegistration(Swatch.class).preferring(MIMEType.TEXT_HTML)
                            .register((s, ctx) -> ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> "<b>swatch-html</b>"));
                    }
                }
                """);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-cp", TestClasspath.get(),
                "-d", classes.toString(), src.resolve("Swatch.java").toString(),
                src.resolve("SwatchExtension.java").toString());
        if (rc != 0) {
            throw new IllegalStateException("javac failed on the probe extension (rc " + rc + ")");
        }
        Path jar = dir.resolve("probe-extension.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> s = Files.walk(classes)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
            put(out, "META-INF/services/org.dflib.jjava.jupyter.Extension", List.of("probe.SwatchExtension"));
        }
        return jar;
    }

    private static void put(JarOutputStream out, String name, List<String> lines) throws IOException {
        out.putNextEntry(new JarEntry(name));
        OutputStream o = out;
        o.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }
}
