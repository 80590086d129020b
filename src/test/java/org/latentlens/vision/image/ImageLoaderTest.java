package org.latentlens.vision.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PNG modes converted as Pillow's convert("RGB"), JPEG decoding, EXIF orientation, and decode errors. */
class ImageLoaderTest {
    @TempDir
    Path tmp;

    private static byte[] rgbOf(RgbImage img) {
        return img.hwc();
    }

    private static byte[] grey(int... v) {
        byte[] out = new byte[v.length * 3];
        for (int i = 0; i < v.length; i++) {
            Arrays.fill(out, i * 3, i * 3 + 3, (byte) v[i]);
        }
        return out;
    }

    private static RgbImage decodePng(byte[] png) throws Exception {
        return ImageLoader.decode(png, "test.png", true);
    }

    @Test
    void greyLowBitDepthsAreScaledLikePillow() throws Exception {
        // 1-bit: 0/255; 2-bit: x85; 4-bit: x17.
        assertArrayEquals(grey(255, 0, 255, 0), rgbOf(decodePng(TinyPng.encode(4, 1, 1, 0,
                new byte[][] {{(byte) 0b1010_0000}}))));
        assertArrayEquals(grey(0, 85, 170, 255), rgbOf(decodePng(TinyPng.encode(4, 1, 2, 0,
                new byte[][] {{(byte) 0b00_01_10_11}}))));
        assertArrayEquals(grey(17 * 3, 17 * 12), rgbOf(decodePng(TinyPng.encode(2, 1, 4, 0,
                new byte[][] {{(byte) 0x3C}}))));
    }

    @Test
    void grey8IsReplicatedWithoutGammaConversion() throws Exception {
        // BufferedImage.getRGB would map grey 100 through a linear-to-sRGB curve; Pillow replicates it.
        assertArrayEquals(grey(0, 100, 255), rgbOf(decodePng(TinyPng.encode(3, 1, 8, 0,
                new byte[][] {{0, 100, (byte) 255}}))));
        // With a tRNS chunk the pixels are unchanged.
        assertArrayEquals(grey(0, 100, 255), rgbOf(decodePng(TinyPng.encode(3, 1, 8, 0,
                new byte[][] {{0, 100, (byte) 255}}, "tRNS", new byte[] {0, 100}))));
    }

    @Test
    void grey16IsClippedLikePillowsI16Conversion() throws Exception {
        // Pillow opens 16-bit grey as "I;16" and I16_RGB clips: values above 255 become 255.
        byte[] row = {0, (byte) 200, 0x01, 0x2C, (byte) 0xFF, (byte) 0xFF}; // 200, 300, 65535
        assertArrayEquals(grey(200, 255, 255), rgbOf(decodePng(TinyPng.encode(3, 1, 16, 0, new byte[][] {row}))));
    }

    @Test
    void sixteenBitColourAndGreyAlphaKeepTheHighByte() throws Exception {
        byte[] rgb16 = {0x12, 0x34, 0x56, 0x78, (byte) 0x9A, (byte) 0xBC};
        assertArrayEquals(new byte[] {0x12, 0x56, (byte) 0x9A},
                rgbOf(decodePng(TinyPng.encode(1, 1, 16, 2, new byte[][] {rgb16}))));
        byte[] rgba16 = {0x12, 0x34, 0x56, 0x78, (byte) 0x9A, (byte) 0xBC, 0, 0};
        assertArrayEquals(new byte[] {0x12, 0x56, (byte) 0x9A},
                rgbOf(decodePng(TinyPng.encode(1, 1, 16, 6, new byte[][] {rgba16}))));
        byte[] ga16 = {0x01, 0x2C, 0, 0}; // grey 300 with alpha: LA;16B keeps the high byte (1), no clipping
        assertArrayEquals(grey(1), rgbOf(decodePng(TinyPng.encode(1, 1, 16, 4, new byte[][] {ga16}))));
    }

    @Test
    void alphaIsDroppedNotComposited() throws Exception {
        byte[] rgba = {(byte) 200, 100, 50, 0, 10, 20, 30, (byte) 128};
        assertArrayEquals(new byte[] {(byte) 200, 100, 50, 10, 20, 30},
                rgbOf(decodePng(TinyPng.encode(2, 1, 8, 6, new byte[][] {rgba}))));
        byte[] ga = {77, 0, 99, (byte) 255};
        assertArrayEquals(grey(77, 99), rgbOf(decodePng(TinyPng.encode(2, 1, 8, 4, new byte[][] {ga}))));
    }

    @Test
    void palettesAreLookedUp() throws Exception {
        byte[] plte = {10, 20, 30, 40, 50, 60, (byte) 250, (byte) 240, (byte) 230};
        byte[] trns = {0, (byte) 128};
        assertArrayEquals(new byte[] {(byte) 250, (byte) 240, (byte) 230, 10, 20, 30, 40, 50, 60},
                rgbOf(decodePng(TinyPng.encode(3, 1, 8, 3, new byte[][] {{2, 0, 1}}, "PLTE", plte, "tRNS", trns))));
        // 2-bit palette indices 1, 2, 0, 1
        assertArrayEquals(new byte[] {40, 50, 60, (byte) 250, (byte) 240, (byte) 230, 10, 20, 30, 40, 50, 60},
                rgbOf(decodePng(TinyPng.encode(4, 1, 2, 3, new byte[][] {{(byte) 0b01_10_00_01}}, "PLTE", plte))));
    }

    // 3 wide x 2 tall, pixels labelled a..f:  a b c / d e f
    private static final int[][] LABELS = {{1, 2, 3}, {4, 5, 6}};

    private static byte[] labelledPng(Object... chunks) {
        byte[][] rows = new byte[2][9];
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                rows[y][x * 3] = (byte) (LABELS[y][x] * 40);
                rows[y][x * 3 + 1] = (byte) LABELS[y][x];
                rows[y][x * 3 + 2] = (byte) (255 - LABELS[y][x]);
            }
        }
        return TinyPng.encode(3, 2, 8, 2, rows, chunks);
    }

    /** Labels as displayed by PIL.ImageOps.exif_transpose, per orientation (rows of labels). */
    private static int[][] expectedLabels(int orientation) {
        switch (orientation) {
            case 2: return new int[][] {{3, 2, 1}, {6, 5, 4}};
            case 3: return new int[][] {{6, 5, 4}, {3, 2, 1}};
            case 4: return new int[][] {{4, 5, 6}, {1, 2, 3}};
            case 5: return new int[][] {{1, 4}, {2, 5}, {3, 6}};
            case 6: return new int[][] {{4, 1}, {5, 2}, {6, 3}};
            case 7: return new int[][] {{6, 3}, {5, 2}, {4, 1}};
            case 8: return new int[][] {{3, 6}, {2, 5}, {1, 4}};
            default: return LABELS;
        }
    }

    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void pngExifOrientationIsApplied(int orientation) throws Exception {
        for (boolean little : new boolean[] {true, false}) {
            RgbImage img = decodePng(labelledPng("eXIf", TinyPng.exifTiff(orientation, little)));
            int[][] exp = expectedLabels(orientation);
            assertEquals(exp[0].length, img.width(), "width");
            assertEquals(exp.length, img.height(), "height");
            for (int y = 0; y < exp.length; y++) {
                for (int x = 0; x < exp[0].length; x++) {
                    assertEquals(exp[y][x], img.get(y, x, 1), "label at row " + y + ", column " + x);
                    assertEquals(exp[y][x] * 40, img.get(y, x, 0));
                }
            }
            RgbImage raw = ImageLoader.decode(labelledPng("eXIf", TinyPng.exifTiff(orientation, little)), "t.png", false);
            assertEquals(3, raw.width(), "orientation ignored on request");
        }
    }

    private static byte[] jpeg(BufferedImage bi) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(bi, "jpg", out), "a JPEG writer is available");
        return out.toByteArray();
    }

    private static BufferedImage asBuffered(RgbImage img) {
        BufferedImage bi = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                bi.setRGB(x, y, (img.get(y, x, 0) << 16) | (img.get(y, x, 1) << 8) | img.get(y, x, 2));
            }
        }
        return bi;
    }

    @Test
    void jpegDecodesCloseToTheSource() throws Exception {
        RgbImage chelsea = ImageLoader.read(VisionFixtures.resources().resolve("chelsea.png"));
        Path file = tmp.resolve("chelsea.jpg");
        Files.write(file, jpeg(asBuffered(chelsea)));
        RgbImage decoded = ImageLoader.read(file);
        assertEquals(chelsea.width(), decoded.width());
        assertEquals(chelsea.height(), decoded.height());
        long sum = 0;
        for (int i = 0; i < chelsea.hwc().length; i++) {
            sum += Math.abs((chelsea.hwc()[i] & 0xFF) - (decoded.hwc()[i] & 0xFF));
        }
        double mean = (double) sum / chelsea.hwc().length;
        assertTrue(mean < 4.0, "mean absolute JPEG error " + mean);
        // and the RGB order is right (not BGR): the cat photo is redder than it is blue on average
        assertEquals(channelMean(chelsea, 0) > channelMean(chelsea, 2), channelMean(decoded, 0) > channelMean(decoded, 2));
        assertEquals(channelMean(chelsea, 0), channelMean(decoded, 0), 2.0);
        assertEquals(channelMean(chelsea, 2), channelMean(decoded, 2), 2.0);
    }

    private static double channelMean(RgbImage img, int c) {
        long s = 0;
        for (int i = c; i < img.hwc().length; i += 3) {
            s += img.hwc()[i] & 0xFF;
        }
        return (double) s * 3 / img.hwc().length;
    }

    @Test
    void greyJpegIsReplicated() throws Exception {
        BufferedImage g = new BufferedImage(16, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 16; x++) {
                g.getRaster().setSample(x, y, 0, 60);
            }
        }
        RgbImage img = ImageLoader.decode(jpeg(g), "grey.jpg", true);
        for (int i = 0; i < img.hwc().length; i++) {
            assertEquals(60, img.hwc()[i] & 0xFF, 1);
        }
    }

    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void jpegExifOrientationIsApplied(int orientation) throws Exception {
        // An asymmetric image: a bright block in the top-left corner of a 48x32 picture.
        BufferedImage bi = new BufferedImage(48, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 48; x++) {
                bi.setRGB(x, y, x < 16 && y < 8 ? 0xF0F0F0 : 0x101010);
            }
        }
        byte[] plain = jpeg(bi);
        for (boolean little : new boolean[] {true, false}) {
            byte[] tagged = TinyPng.withExif(plain, TinyPng.exifTiff(orientation, little));
            assertEquals(orientation, ExifOrientation.read(tagged));
            Path file = tmp.resolve("o" + orientation + (little ? "II" : "MM") + ".jpg");
            Files.write(file, tagged);
            RgbImage upright = ImageLoader.read(file);
            RgbImage stored = ImageLoader.read(file, false);
            assertEquals(ImageLoader.decode(plain, "plain.jpg", true), stored, "the APP1 segment leaves pixels alone");
            assertEquals(ExifOrientation.apply(stored, orientation), upright);
            boolean swap = orientation >= 5;
            assertEquals(swap ? 32 : 48, upright.width());
            assertEquals(swap ? 48 : 32, upright.height());
            // Where did the bright top-left block go?  Check one pixel inside it.
            int[] at = brightCorner(orientation, upright.width(), upright.height());
            assertTrue(upright.get(at[0], at[1], 0) > 200, "bright block expected at " + Arrays.toString(at));
        }
    }

    /** A pixel inside the bright block (originally rows 0..7, columns 0..15) after the transposition. */
    private static int[] brightCorner(int o, int w, int h) {
        switch (o) {
            case 2: return new int[] {2, w - 3};
            case 3: return new int[] {h - 3, w - 3};
            case 4: return new int[] {h - 3, 2};
            case 5: return new int[] {10, 2};         // transposed: rows 0..15, columns 0..7
            case 6: return new int[] {10, w - 3};     // rotated clockwise: top-right
            case 7: return new int[] {h - 11, w - 3}; // transversed: bottom-right
            case 8: return new int[] {h - 11, 2};     // rotated anticlockwise: bottom-left
            default: return new int[] {2, 2};
        }
    }

    @Test
    void invalidOrientationsAreIgnored() {
        assertEquals(1, ExifOrientation.read(TinyPng.withExif(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF,
            (byte) 0xD9}, TinyPng.exifTiff(9, true))));
        byte[] truncated = Arrays.copyOf(TinyPng.withExif(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF,
            (byte) 0xD9}, TinyPng.exifTiff(6, true)), 20);
        assertEquals(1, ExifOrientation.read(truncated));
    }

    @Test
    void decompressionBombsAreRefusedBeforeDecoding() throws Exception {
        // A 20000x20000 grey PNG header: 400 M pixels, refused from the header alone (the data is tiny).
        byte[] png = TinyPng.encode(20000, 20000, 1, 0, new byte[][] {new byte[2500]});
        Path bomb = tmp.resolve("bomb.png");
        Files.write(bomb, png);
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageLoader.read(bomb));
        assertTrue(e.getMessage().contains(bomb.toString()) && e.getMessage().contains("20000x20000"), e.getMessage());
    }

    @Test
    void undecodableFilesNameTheFile() throws Exception {
        Path text = tmp.resolve("notes.png");
        Files.writeString(text, "this is not an image");
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageLoader.read(text));
        assertTrue(e.getMessage().contains(text.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a PNG or JPEG"), e.getMessage());

        Path empty = tmp.resolve("empty.jpg");
        Files.write(empty, new byte[0]);
        e = assertThrows(ImageDecodeException.class, () -> ImageLoader.read(empty));
        assertTrue(e.getMessage().contains(empty.toString()) && e.getMessage().contains("empty"), e.getMessage());

        byte[] png = Files.readAllBytes(VisionFixtures.resources().resolve("chelsea.png"));
        Path cut = tmp.resolve("cut.png");
        Files.write(cut, Arrays.copyOf(png, png.length / 2));
        e = assertThrows(ImageDecodeException.class, () -> ImageLoader.read(cut));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());

        // Cut inside the entropy-coded data: the JDK decoder only warns ("Premature end of JPEG file")
        // and fills the rest with grey; the loader must refuse it as Pillow does.
        byte[] jpg = jpeg(asBuffered(ImageLoader.read(VisionFixtures.resources().resolve("chelsea.png"))));
        Path cutJpeg = tmp.resolve("cut.jpg");
        Files.write(cutJpeg, Arrays.copyOf(jpg, jpg.length * 2 / 3));
        e = assertThrows(ImageDecodeException.class, () -> ImageLoader.read(cutJpeg));
        assertTrue(e.getMessage().contains(cutJpeg.toString()), e.getMessage());
        assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("premature end"), e.getMessage());

        Path missing = tmp.resolve("missing.png");
        NoSuchFileException nf = assertThrows(NoSuchFileException.class, () -> ImageLoader.read(missing));
        assertTrue(nf.getMessage().contains(missing.toString()), nf.getMessage());
    }
}
