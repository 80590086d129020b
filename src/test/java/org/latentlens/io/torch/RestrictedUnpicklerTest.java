package org.latentlens.io.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlens.io.DType;

/** The torch.save reader builds tensors and plain data, and refuses code. */
class RestrictedUnpicklerTest {
    @TempDir
    Path tmp;

    static Path fixture(String rel) {
        return Path.of("src/test/resources/latentlens-pt").resolve(rel);
    }

    @Test
    void readsTheFixtureArchiveInBothLayouts() throws Exception {
        for (String f : List.of("layer_1/embeddings_cache.pt", "variants/torch-1.13/layer_1/embeddings_cache.pt")) {
            try (TorchArchive a = TorchArchive.open(fixture(f))) {
                assertEquals("embeddings_cache", a.root());
                Map<?, ?> m = (Map<?, ?>) a.load();
                TorchTensor t = (TorchTensor) m.get("embeddings");
                assertEquals(DType.F16, t.dtype());
                assertEquals(List.of(6L, 8L), List.of(t.shape()[0], t.shape()[1]));
                assertTrue(t.isContiguous());
                float[] v = a.readFloats(t);
                assertEquals(-0.51416015625f, v[0]);
                assertEquals(-2.333984375f, v[1]);
                List<?> meta = (List<?>) m.get("metadata");
                assertEquals(6, meta.size());
                assertEquals(" dog", ((Map<?, ?>) meta.get(0)).get("token_str"));
            }
        }
    }

    private Path archive(String name, byte[] pickle) throws IOException {
        Path p = tmp.resolve(name + ".pt");
        try (OutputStream os = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(os)) {
            z.putNextEntry(new ZipEntry(name + "/data.pkl"));
            z.write(pickle);
            z.closeEntry();
            z.putNextEntry(new ZipEntry(name + "/version"));
            z.write("3\n".getBytes(StandardCharsets.US_ASCII));
            z.closeEntry();
        }
        return p;
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Object o : parts) {
            if (o instanceof String s) {
                b.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            } else {
                b.write((Integer) o);
            }
        }
        return b.toByteArray();
    }

    @Test
    void refusesGlobalOsSystem() throws Exception {
        // protocol 2: GLOBAL 'os system', a one-tuple of a string, REDUCE, STOP
        Path p = archive("evil", bytes(0x80, 2, "cos\nsystem\n", "X", 10, 0, 0, 0, "touch pwned", 0x85, "R", "."));
        try (TorchArchive a = TorchArchive.open(p)) {
            UnsafePickleException e = assertThrows(UnsafePickleException.class, a::load);
            assertTrue(e.getMessage().contains("'os.system'"), e.getMessage());
            assertTrue(e.getMessage().contains("evil.pt"), e.getMessage());
        }
        assertTrue(Files.notExists(Path.of("pwned")));
    }

    @Test
    void refusesStackGlobalAndObjectBuildingOpcodes() throws Exception {
        // protocol 4: SHORT_BINUNICODE 'builtins', 'eval', STACK_GLOBAL
        Path p = archive("evil4", bytes(0x80, 4, 0x8c, 8, "builtins", 0x8c, 4, "eval", 0x93, "."));
        try (TorchArchive a = TorchArchive.open(p)) {
            UnsafePickleException e = assertThrows(UnsafePickleException.class, a::load);
            assertTrue(e.getMessage().contains("'builtins.eval'"), e.getMessage());
        }
        // INST 'subprocess Popen' with a mark
        Path inst = archive("inst", bytes(0x80, 2, "(", "isubprocess\nPopen\n", "."));
        try (TorchArchive a = TorchArchive.open(inst)) {
            UnsafePickleException e = assertThrows(UnsafePickleException.class, a::load);
            assertTrue(e.getMessage().contains("INST"), e.getMessage());
        }
        // BUILD on an allowed object
        Path build = archive("build", bytes(0x80, 2, "}", "}", "b", "."));
        try (TorchArchive a = TorchArchive.open(build)) {
            UnsafePickleException e = assertThrows(UnsafePickleException.class, a::load);
            assertTrue(e.getMessage().contains("BUILD"), e.getMessage());
        }
        // calling a storage class is refused too
        Path call = archive("call", bytes(0x80, 2, "ctorch\nFloatStorage\n", ")", "R", "."));
        try (TorchArchive a = TorchArchive.open(call)) {
            assertThrows(UnsafePickleException.class, a::load);
        }
    }

    @Test
    void readsPlainDataAndOrderedDict() throws Exception {
        // {'a': [1, 'x'], 'b': OrderedDict()}
        Path p = archive("plain", bytes(0x80, 2, "}", "(", "X", 1, 0, 0, 0, "a", "]", "(", "K", 1, "X", 1, 0, 0, 0, "x", "e",
                "X", 1, 0, 0, 0, "b", "ccollections\nOrderedDict\n", ")", "R", "u", "."));
        try (TorchArchive a = TorchArchive.open(p)) {
            Map<?, ?> m = (Map<?, ?>) a.load();
            assertEquals(List.of(1, "x"), m.get("a"));
            assertEquals(Map.of(), m.get("b"));
        }
    }

    @Test
    void rejectsNonZipFiles() throws Exception {
        Path p = tmp.resolve("legacy.pt");
        Files.write(p, new byte[] {(byte) 0x80, 2, 'K', 1, '.'});
        assertThrows(org.latentlens.io.TensorFormatException.class, () -> TorchArchive.open(p));
    }
}
