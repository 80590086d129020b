package org.latentlens.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save, open, search round trips; corrupt, too old and too new files; atomic replacement. */
class IndexFormatTest {
    @TempDir
    Path tmp;

    private static ContextualIndex sample() {
        return SearchTest.randomIndex(new Random(5), 40, new int[] {1, 4, 9}, new int[] {130, 130, 7}, 3);
    }

    @Test
    void float32RoundTripIsBitExact() throws Exception {
        ContextualIndex a = sample();
        Path dir = tmp.resolve("idx");
        a.save(dir, StorageType.FLOAT32, new IndexInfo("test/model", "list", "ab12", 3, Map.of("batchSize", 32)));
        try (ContextualIndex b = ContextualIndex.open(dir)) {
            b.verify();
            assertEquals(a.layers(), b.layers());
            assertEquals("test/model", b.info().modelId());
            assertEquals(32, b.info().options().get("batchSize"));
            for (int l : a.layers()) {
                assertEquals(StorageType.FLOAT32, b.storageType(l));
                for (int r = 0; r < a.rows(l); r++) {
                    assertArrayEquals(a.vector(l, r), b.vector(l, r));
                    assertEquals(a.row(l, r), b.row(l, r));
                }
            }
            float[] q = SearchTest.randomQueries(new Random(9), 11, 40);
            assertEquals(a.searchHits(q, 11, 8), b.searchHits(q, 11, 8));
            assertEquals(a.search(new float[][] {java.util.Arrays.copyOf(q, 40)}, 3),
                    b.search(new float[][] {java.util.Arrays.copyOf(q, 40)}, 3));
        }
    }

    @Test
    void float16RoundTripStoresRoundedRowsAndSearchesThem() throws Exception {
        ContextualIndex a = sample();
        Path dir = tmp.resolve("idx16");
        a.save(dir, StorageType.FLOAT16);
        try (ContextualIndex b = ContextualIndex.open(dir)) {
            b.verify();
            for (int l : a.layers()) {
                assertEquals(StorageType.FLOAT16, b.storageType(l));
                for (int r = 0; r < a.rows(l); r++) {
                    float[] x = a.vector(l, r);
                    float[] y = b.vector(l, r);
                    for (int d = 0; d < x.length; d++) {
                        assertEquals(Float16.toFloat(Float16.fromFloat(x[d])), y[d]);
                    }
                }
            }
            float[] q = SearchTest.randomQueries(new Random(2), 5, 40);
            SearchTest.assertMatches(SearchTest.bruteForce(b, q, 5, 6), b.searchHits(q, 5, 6));
            // saving the opened float16 index again gives the same bytes
            Path again = tmp.resolve("again");
            b.save(again, StorageType.FLOAT16);
            assertSameTree(dir, again);
        }
    }

    @Test
    void float16ConversionRoundsToNearestEven() {
        for (int h = 0; h < 65536; h++) {
            float f = Float16.toFloat(h);
            if (!Float.isNaN(f)) {
                assertEquals((short) h, Float16.fromFloat(f), "bits " + h);
            }
        }
        short[] all = new short[65536 + 7];
        for (int h = 0; h < all.length; h++) {
            all[h] = (short) h;
        }
        float[] wide = new float[all.length];
        Float16.toFloat(all, 0, wide, 0, all.length);
        for (int h = 0; h < all.length; h++) {
            assertEquals(Float.floatToRawIntBits(Float16.toFloat(all[h])) == Float.floatToRawIntBits(wide[h])
                    || (Float.isNaN(wide[h]) && Float.isNaN(Float16.toFloat(all[h]))), true, "bits " + h);
        }
        assertEquals(0x3c00, Float16.fromFloat(1.0f) & 0xffff);
        assertEquals(0x3c00, Float16.fromFloat(1.0f + 0x1p-11f) & 0xffff); // tie to even
        assertEquals(0x3c01, Float16.fromFloat(1.0f + 0x1.8p-11f) & 0xffff);
        assertEquals(0x7c00, Float16.fromFloat(70000f) & 0xffff);
        assertEquals(0x0001, Float16.fromFloat(0x1p-24f) & 0xffff);
        assertEquals(0, Float16.fromFloat(0x1p-26f) & 0xffff);
    }

    static void assertSameTree(Path a, Path b) throws IOException {
        List<Path> fa;
        List<Path> fb;
        try (Stream<Path> s = Files.walk(a)) {
            fa = s.filter(Files::isRegularFile).map(a::relativize).sorted().toList();
        }
        try (Stream<Path> s = Files.walk(b)) {
            fb = s.filter(Files::isRegularFile).map(b::relativize).sorted().toList();
        }
        assertEquals(fa, fb);
        for (Path p : fa) {
            assertArrayEquals(Files.readAllBytes(a.resolve(p)), Files.readAllBytes(b.resolve(p)), "file " + p);
        }
    }

    private Path saved() throws IOException {
        Path dir = tmp.resolve("c");
        sample().save(dir, StorageType.FLOAT16);
        return dir;
    }

    private static void poke(Path file, long pos, int value) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(pos);
            f.write(value);
        }
    }

    private static void putIntLE(Path file, long pos, int v) throws IOException {
        for (int i = 0; i < 4; i++) {
            poke(file, pos + i, (v >>> (8 * i)) & 0xff);
        }
    }

    @Test
    void damagedVectorBytesAreFoundByVerify() throws Exception {
        Path dir = saved();
        Path vec = dir.resolve("data-1/layer_4.vec");
        poke(vec, 64 + 1000, 0x55);
        ContextualIndex idx = ContextualIndex.open(dir); // O(1) open does not read vectors
        CorruptIndexException e = assertThrows(CorruptIndexException.class, idx::verify);
        assertTrue(e.getMessage().contains("layer_4.vec") && e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void damagedMetadataIsFoundOnOpen() throws Exception {
        Path dir = saved();
        poke(dir.resolve("data-1/rows-0.rows"), 64 + 7, 0x7f);
        CorruptIndexException e = assertThrows(CorruptIndexException.class, () -> ContextualIndex.open(dir));
        assertTrue(e.getMessage().contains("rows-0.rows") && e.getMessage().contains("checksum"), e.getMessage());
        Path dir2 = tmp.resolve("c2");
        sample().save(dir2, StorageType.FLOAT16);
        poke(dir2.resolve("data-1/sentences.str"), 70, 0x01);
        assertThrows(CorruptIndexException.class, () -> ContextualIndex.open(dir2));
    }

    @Test
    void truncatedAndForeignFilesAreCorrupt() throws Exception {
        Path dir = saved();
        Path vec = dir.resolve("data-1/layer_1.vec");
        try (RandomAccessFile f = new RandomAccessFile(vec.toFile(), "rw")) {
            f.setLength(f.length() - 100);
        }
        CorruptIndexException e = assertThrows(CorruptIndexException.class, () -> ContextualIndex.open(dir));
        assertTrue(e.getMessage().contains("layer_1.vec"), e.getMessage());
        Path dir2 = tmp.resolve("c3");
        sample().save(dir2, StorageType.FLOAT16);
        poke(dir2.resolve("data-1/layer_9.vec"), 0, 'X');
        e = assertThrows(CorruptIndexException.class, () -> ContextualIndex.open(dir2));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        Path dir3 = tmp.resolve("c4");
        sample().save(dir3, StorageType.FLOAT16);
        Files.writeString(dir3.resolve("index.json"), "{\"format\": \"latentlens-index\", ");
        assertThrows(CorruptIndexException.class, () -> ContextualIndex.open(dir3));
    }

    @Test
    void tooOldAndTooNewAreDistinct() throws Exception {
        Path dir = saved();
        putIntLE(dir.resolve("data-1/layer_1.vec"), 20, 99);
        IndexFormatTooNewException n = assertThrows(IndexFormatTooNewException.class, () -> ContextualIndex.open(dir));
        assertTrue(n.getMessage().contains("layer_1.vec") && n.getMessage().contains("99"), n.getMessage());
        putIntLE(dir.resolve("data-1/layer_1.vec"), 20, 0);
        IndexFormatTooOldException o = assertThrows(IndexFormatTooOldException.class, () -> ContextualIndex.open(dir));
        assertTrue(o.getMessage().contains("layer_1.vec"), o.getMessage());
        Path dir2 = tmp.resolve("m");
        sample().save(dir2, StorageType.FLOAT16);
        Path mf = dir2.resolve("index.json");
        Files.writeString(mf, Files.readString(mf).replace("\"formatVersion\" : 1", "\"formatVersion\" : 7"));
        assertThrows(IndexFormatTooNewException.class, () -> ContextualIndex.open(dir2));
    }

    @Test
    void replacingAnIndexIsAtomic() throws Exception {
        Path dir = tmp.resolve("atomic");
        ContextualIndex first = sample();
        first.save(dir, StorageType.FLOAT32);
        // a crash while writing the next generation leaves junk beside the live one: the old index still loads
        Files.createDirectories(dir.resolve(".tmp-data-2"));
        Files.writeString(dir.resolve(".tmp-data-2/layer_1.vec"), "half written");
        Files.createDirectories(dir.resolve("data-2"));
        Files.writeString(dir.resolve("data-2/layer_1.vec"), "renamed but not yet published");
        Files.writeString(dir.resolve(".tmp-index.json"), "{ torn");
        try (ContextualIndex old = ContextualIndex.open(dir)) {
            old.verify();
            assertEquals(first.layers(), old.layers());
        }
        // the next write publishes a complete new generation and clears the debris
        ContextualIndex second = SearchTest.randomIndex(new Random(8), 40, new int[] {2}, new int[] {10}, 0);
        second.save(dir, StorageType.FLOAT16);
        try (ContextualIndex now = ContextualIndex.open(dir)) {
            now.verify();
            assertEquals(List.of(2), now.layers());
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("data-2", "index.json"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        String manifest = Files.readString(dir.resolve("index.json"), StandardCharsets.UTF_8);
        assertTrue(manifest.contains("\"dtype\" : \"float16\""), manifest);
    }

    @Test
    void notAnIndexSaysSo() {
        Exception e = assertThrows(java.nio.file.NoSuchFileException.class, () -> ContextualIndex.open(tmp));
        assertTrue(e.getMessage().contains("index.json"), e.getMessage());
    }
}
