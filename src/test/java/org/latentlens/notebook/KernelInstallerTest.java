package org.latentlens.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlens.cli.Main;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kernel.json as {@code latentlens kernel install} writes it. */
class KernelInstallerTest {
    private static List<String> argv(Path kernelDir) throws IOException {
        JsonNode spec = new ObjectMapper().readTree(kernelDir.resolve("kernel.json").toFile());
        List<String> out = new ArrayList<>();
        spec.get("argv").forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void writesAKernelSpecWithTheJvmFlagsAndTheClasspath(@TempDir Path prefix) throws Exception {
        Path jar = Files.createFile(prefix.resolve("fake.jar"));
        Path dir = KernelInstaller.builder().prefix(prefix).classpath(List.of(jar.toString()))
                .javaOption("-Xmx2g").build().install();
        assertEquals(prefix.resolve("share/jupyter/kernels/latentlens"), dir);
        JsonNode spec = new ObjectMapper().readTree(dir.resolve("kernel.json").toFile());
        List<String> argv = argv(dir);
        assertTrue(argv.get(0).endsWith("/bin/java"), argv.get(0));
        assertTrue(argv.containsAll(List.of("-Djava.awt.headless=true", "-Dai.djl.offline=true", "-Xmx2g")), argv.toString());
        assertEquals(jar.toAbsolutePath().toString(), argv.get(argv.indexOf("-cp") + 1));
        assertEquals(List.of(KernelMain.class.getName(), "{connection_file}"), argv.subList(argv.size() - 2, argv.size()));
        assertEquals("java", spec.get("language").asText());
        assertEquals("message", spec.get("interrupt_mode").asText());
        assertEquals("true", spec.get("env").get("DJL_OFFLINE").asText());
    }

    @Test
    void reinstallReplacesAndCopyJarsMakesItSelfContained(@TempDir Path prefix) throws Exception {
        Path jar = Files.writeString(prefix.resolve("lib-a.jar"), "x");
        KernelInstaller.builder().prefix(prefix).classpath(List.of(jar.toString())).build().install();
        Path dir = KernelInstaller.builder().prefix(prefix).classpath(List.of(jar.toString())).copyJars(true)
                .build().install();
        List<String> argv = argv(dir);
        assertEquals(dir.resolve("lib/lib-a.jar").toString(), argv.get(argv.indexOf("-cp") + 1));
        assertTrue(Files.exists(dir.resolve("lib/lib-a.jar")));
        try (var s = Files.list(dir.getParent())) {
            assertEquals(1, s.count(), "no staging folder left behind");
        }
    }

    @Test
    void missingClasspathEntryIsNamedAndLeavesNoKernel(@TempDir Path prefix) {
        IOException e = assertThrows(IOException.class, () -> KernelInstaller.builder().prefix(prefix)
                .classpath(List.of(prefix.resolve("nope.jar").toString())).build().install());
        assertTrue(e.getMessage().contains("nope.jar"), e.getMessage());
        assertFalse(Files.exists(prefix.resolve("share/jupyter/kernels/latentlens")));
    }

    @Test
    void cliInstallsIntoAPrefix(@TempDir Path prefix) throws Exception {
        assertEquals(0, Main.run("kernel", "install", "--prefix", prefix.toString(), "--name", "ll-test"));
        List<String> argv = argv(prefix.resolve("share/jupyter/kernels/ll-test"));
        assertTrue(argv.contains(KernelMain.class.getName()));
        assertTrue(Main.run("kernel", "install", "--user", "--prefix", prefix.toString()) != 0,
                "--user and --prefix exclude each other");
    }
}
