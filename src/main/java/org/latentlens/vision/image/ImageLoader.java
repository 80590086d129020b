package org.latentlens.vision.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads PNG and JPEG files into {@link RgbImage}s with the pixel values of
 * {@code PIL.Image.open(f).convert("RGB")}, in pure Java ({@code javax.imageio}), then applies the
 * EXIF orientation as {@code PIL.ImageOps.exif_transpose} (what HF's {@code load_image} does).
 *
 * <p>The conversion to RGB follows Pillow rather than Java2D's colour management: samples are read
 * from the raster, never through {@code BufferedImage.getRGB} (which would apply a gamma curve to
 * grey images). Pillow's rules:
 * <ul>
 *   <li>alpha is dropped, not composited (RGBA, LA, palette with transparency);</li>
 *   <li>grey is replicated to three channels; 1/2/4-bit grey is scaled to 0..255 (x255, x85, x17);</li>
 *   <li>palette images are looked up in their palette;</li>
 *   <li>16-bit RGB, RGBA and grey+alpha PNGs keep the high byte of each sample; 16-bit grey without
 *       alpha ("I;16") is clipped, i.e. every value above 255 becomes 255 (Pillow's {@code I16_RGB});</li>
 *   <li>colour profiles (iCCP, gAMA, ICC in JPEG) are ignored, as Pillow ignores them.</li>
 * </ul>
 * PNG decoding is lossless, so PNG pixels equal Pillow's exactly. JPEG decoding is done by the JDK's
 * IJG-derived decoder (islow IDCT, fancy upsampling), which agrees with libjpeg-turbo's defaults for
 * common files, but is not guaranteed to be bit-identical for every file.
 *
 * <pre>{@code
 * RgbImage img = ImageLoader.read(Path.of("photo.jpg"));          // upright, RGB
 * RgbImage raw = ImageLoader.read(Path.of("photo.jpg"), false);   // as stored
 * }</pre>
 */
public final class ImageLoader {
    /**
     * The most pixels an image may have: twice Pillow's {@code Image.MAX_IMAGE_PIXELS}, the size above
     * which Pillow raises {@code DecompressionBombError} instead of decoding.
     */
    public static final long MAX_PIXELS = 2L * 89_478_485;

    private ImageLoader() {
    }

    /**
     * Reads an image file and applies its EXIF orientation.
     *
     * @param file a PNG or JPEG file
     * @return the RGB pixels, upright
     * @throws ImageDecodeException if the file is not an image this reader can decode, naming the file
     * @throws IOException if the file cannot be read
     */
    public static RgbImage read(Path file) throws IOException {
        return read(file, true);
    }

    /**
     * Reads an image file.
     *
     * @param file a PNG or JPEG file
     * @param applyExifOrientation whether to undo the EXIF orientation (HF's {@code load_image} does;
     *     a bare {@code Image.open(f).convert("RGB")} does not)
     * @return the RGB pixels
     * @throws ImageDecodeException if the file is not an image this reader can decode, naming the file
     * @throws IOException if the file cannot be read
     */
    public static RgbImage read(Path file, boolean applyExifOrientation) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "image file not found");
        }
        return decode(bytes, file.toString(), applyExifOrientation);
    }

    /**
     * Decodes an image held in memory.
     *
     * @param bytes the encoded file
     * @param name how to name the image in error messages (e.g. its path)
     * @param applyExifOrientation whether to undo the EXIF orientation
     * @return the RGB pixels
     * @throws ImageDecodeException if the bytes are not an image this reader can decode
     */
    public static RgbImage decode(byte[] bytes, String name, boolean applyExifOrientation)
            throws ImageDecodeException {
        BufferedImage bi = decodeWithImageIo(bytes, name);
        RgbImage rgb = toRgb(bi, pngGrey16(bytes), name);
        if (applyExifOrientation) {
            rgb = ExifOrientation.apply(rgb, ExifOrientation.read(bytes));
        }
        return rgb;
    }

    private static BufferedImage decodeWithImageIo(byte[] bytes, String name) throws ImageDecodeException {
        if (bytes.length == 0) {
            throw new ImageDecodeException("cannot decode image " + name + ": the file is empty");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageDecodeException("cannot decode image " + name
                        + ": not a PNG or JPEG file (no image reader recognises its first bytes "
                        + headHex(bytes) + ")");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new ImageDecodeException("image " + name + " is " + reader.getWidth(0) + "x"
                            + reader.getHeight(0) + " = " + pixels + " pixels, more than the " + MAX_PIXELS
                            + " Pillow accepts (decompression-bomb limit); downscale it first");
                }
                BufferedImage bi = reader.read(0);
                if (!warnings.isEmpty()) {
                    // The JDK's JPEG reader fills a truncated file with grey and only warns; Pillow
                    // refuses such files ("image file is truncated"), and so do we.
                    throw new ImageDecodeException("cannot decode image " + name + " ("
                            + reader.getFormatName() + "): " + String.join("; ", warnings));
                }
                return bi;
            } finally {
                reader.dispose();
            }
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageDecodeException("cannot decode image " + name + ": " + describe(e), e);
        }
    }

    private static String describe(Throwable e) {
        String msg = e.getMessage();
        String text = msg == null ? e.getClass().getSimpleName() : msg;
        if (e.getCause() != null && e.getCause() != e && e.getCause().getMessage() != null) {
            text += " (" + e.getCause().getMessage() + ")";
        }
        if (text.contains("Unsupported Image Type")) {
            text += "; CMYK and YCCK JPEGs are not supported, convert the image to RGB first";
        }
        return text;
    }

    private static String headHex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, b.length); i++) {
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        return sb.toString();
    }

    /** Whether the bytes are a PNG of colour type 0 (grey, no alpha channel) with 16-bit samples. */
    private static boolean pngGrey16(byte[] b) {
        return b.length > 26 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[12] == 'I' && b[13] == 'H'
                && b[14] == 'D' && b[15] == 'R' && b[24] == 16 && b[25] == 0;
    }

    /**
     * Pillow's {@code convert("RGB")} applied to a decoded image.
     *
     * @param bi the decoded image
     * @param grey16NoAlpha whether the source is a 16-bit grey image without an alpha channel (Pillow
     *     mode "I;16", which clips instead of taking the high byte)
     * @param name the file, for error messages
     */
    static RgbImage toRgb(BufferedImage bi, boolean grey16NoAlpha, String name) throws ImageDecodeException {
        int w = bi.getWidth();
        int h = bi.getHeight();
        Raster raster = bi.getRaster();
        ColorModel cm = bi.getColorModel();
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w * raster.getNumBands()];
        if (cm instanceof IndexColorModel icm) {
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int i = row[x];
                    int o = (y * w + x) * 3;
                    out[o] = (byte) icm.getRed(i);
                    out[o + 1] = (byte) icm.getGreen(i);
                    out[o + 2] = (byte) icm.getBlue(i);
                }
            }
            return new RgbImage(w, h, out);
        }
        int csType = cm.getColorSpace().getType();
        int colours = cm.getNumColorComponents();
        if (!((csType == ColorSpace.TYPE_RGB && colours == 3) || (csType == ColorSpace.TYPE_GRAY && colours == 1))) {
            throw new ImageDecodeException("cannot decode image " + name + ": unsupported colour model with "
                    + colours + " colour components (only RGB and grey images are supported)");
        }
        int bands = raster.getNumBands();
        int bits = raster.getSampleModel().getSampleSize(0);
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                int p = x * bands;
                if (colours == 1) {
                    int v = sample(row[p], bits, grey16NoAlpha);
                    out[o] = (byte) v;
                    out[o + 1] = (byte) v;
                    out[o + 2] = (byte) v;
                } else {
                    out[o] = (byte) sample(row[p], bits, false);
                    out[o + 1] = (byte) sample(row[p + 1], bits, false);
                    out[o + 2] = (byte) sample(row[p + 2], bits, false);
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    private static int sample(int v, int bits, boolean clip16) {
        if (bits == 8) {
            return v;
        }
        if (bits == 16) {
            return clip16 ? Math.min(v, 255) : v >>> 8;
        }
        if (bits < 8) {
            return v * 255 / ((1 << bits) - 1);
        }
        return v >>> (bits - 8);
    }
}
