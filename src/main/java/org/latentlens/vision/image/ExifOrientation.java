package org.latentlens.vision.image;

import java.nio.charset.StandardCharsets;

/**
 * The EXIF Orientation tag (0x0112 in IFD0) of a JPEG ({@code APP1 "Exif\0\0"} segment) or PNG
 * ({@code eXIf} chunk), and the transposition that undoes it, as {@code PIL.ImageOps.exif_transpose}
 * does (HF's {@code load_image} applies it to every image it loads from a path or URL).
 *
 * <p>Orientation values: 1 as stored; 2 mirrored left-right; 3 rotated 180; 4 mirrored top-bottom;
 * 5 transposed (mirrored about the main diagonal); 6 to be rotated 90 degrees clockwise;
 * 7 transversed (mirrored about the anti-diagonal); 8 to be rotated 90 degrees anticlockwise.
 * Any other value, a missing tag or an unreadable EXIF block means 1 (nothing done), as in Pillow.
 *
 * <pre>{@code
 * int o = ExifOrientation.read(fileBytes);
 * RgbImage upright = ExifOrientation.apply(image, o);
 * }</pre>
 */
public final class ExifOrientation {
    /** The EXIF tag number of Orientation. */
    public static final int ORIENTATION_TAG = 0x0112;

    private ExifOrientation() {
    }

    /**
     * Finds the orientation in a JPEG or PNG file's bytes.
     *
     * @param file the whole file
     * @return 1..8, or 1 when there is no (valid) orientation tag
     */
    public static int read(byte[] file) {
        try {
            if (file.length > 4 && (file[0] & 0xFF) == 0xFF && (file[1] & 0xFF) == 0xD8) {
                return fromJpeg(file);
            }
            if (file.length > 8 && (file[0] & 0xFF) == 0x89 && file[1] == 'P' && file[2] == 'N' && file[3] == 'G') {
                return fromPng(file);
            }
        } catch (IndexOutOfBoundsException e) {
            // A truncated or malformed EXIF block is ignored, as Pillow ignores it.
            return 1;
        }
        return 1;
    }

    /** Walks the JPEG marker segments up to the first scan; the first Exif APP1 wins. */
    private static int fromJpeg(byte[] b) {
        int p = 2;
        while (p + 4 <= b.length) {
            if ((b[p] & 0xFF) != 0xFF) {
                return 1;
            }
            int marker = b[p + 1] & 0xFF;
            if (marker == 0xFF) {
                p++; // fill byte
                continue;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                p += 2;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return 1; // start of scan / end of image: no more metadata
            }
            int len = u16be(b, p + 2);
            int body = p + 4;
            if (marker == 0xE1 && len >= 8 && startsWith(b, body, "Exif\0\0")) {
                int o = fromTiff(b, body + 6, p + 2 + len);
                if (o != 0) {
                    return o;
                }
            }
            p += 2 + len;
        }
        return 1;
    }

    /** Walks the PNG chunks for {@code eXIf} (before the image data). */
    private static int fromPng(byte[] b) {
        int p = 8;
        while (p + 8 <= b.length) {
            long len = u32be(b, p);
            String type = new String(b, p + 4, 4, StandardCharsets.ISO_8859_1);
            int body = p + 8;
            if (len < 0 || body + len > b.length) {
                return 1;
            }
            if (type.equals("eXIf")) {
                int start = startsWith(b, body, "Exif\0\0") ? body + 6 : body;
                int o = fromTiff(b, start, (int) (body + len));
                return o == 0 ? 1 : o;
            }
            if (type.equals("IEND")) {
                return 1;
            }
            p = (int) (body + len + 4);
        }
        return 1;
    }

    /**
     * Reads IFD0 of a TIFF structure at {@code tiff} (bounded by {@code end}).
     *
     * @return the orientation 1..8, or 0 when absent or invalid
     */
    private static int fromTiff(byte[] b, int tiff, int end) {
        if (tiff + 8 > end) {
            return 0;
        }
        boolean little;
        if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
            little = true;
        } else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
            little = false;
        } else {
            return 0;
        }
        if (u16(b, tiff + 2, little) != 42) {
            return 0;
        }
        long ifd = u32(b, tiff + 4, little);
        int pos = tiff + (int) ifd;
        if (ifd < 8 || pos + 2 > end) {
            return 0;
        }
        int entries = u16(b, pos, little);
        for (int i = 0; i < entries; i++) {
            int e = pos + 2 + i * 12;
            if (e + 12 > end) {
                return 0;
            }
            if (u16(b, e, little) == ORIENTATION_TAG) {
                int type = u16(b, e + 2, little);
                int value;
                if (type == 3) { // SHORT: left-justified in the 4-byte value field
                    value = u16(b, e + 8, little);
                } else if (type == 4) { // LONG, tolerated
                    value = (int) u32(b, e + 8, little);
                } else {
                    return 0;
                }
                return value >= 1 && value <= 8 ? value : 0;
            }
        }
        return 0;
    }

    /**
     * Undoes an orientation: the image as it is meant to be seen.
     *
     * @param image the stored pixels
     * @param orientation the EXIF orientation, 1..8 (other values leave the image unchanged)
     * @return the upright image (the same object for orientation 1)
     */
    public static RgbImage apply(RgbImage image, int orientation) {
        int w = image.width();
        int h = image.height();
        boolean swap = orientation >= 5 && orientation <= 8;
        if (orientation < 2 || orientation > 8) {
            return image;
        }
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] in = image.hwc();
        byte[] out = new byte[in.length];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2: sx = w - 1 - x; sy = y; break;          // FLIP_LEFT_RIGHT
                    case 3: sx = w - 1 - x; sy = h - 1 - y; break;  // ROTATE_180
                    case 4: sx = x; sy = h - 1 - y; break;          // FLIP_TOP_BOTTOM
                    case 5: sx = y; sy = x; break;                  // TRANSPOSE
                    case 6: sx = y; sy = h - 1 - x; break;          // ROTATE_270 (90 clockwise)
                    case 7: sx = w - 1 - y; sy = h - 1 - x; break;  // TRANSVERSE
                    default: sx = w - 1 - y; sy = x; break;         // 8: ROTATE_90 (anticlockwise)
                }
                System.arraycopy(in, (sy * w + sx) * 3, out, (y * ow + x) * 3, 3);
            }
        }
        return new RgbImage(ow, oh, out);
    }

    private static boolean startsWith(byte[] b, int at, String s) {
        if (at + s.length() > b.length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[at + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int u16be(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    private static long u32be(byte[] b, int p) {
        return ((long) (b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    private static int u16(byte[] b, int p, boolean little) {
        return little ? ((b[p + 1] & 0xFF) << 8) | (b[p] & 0xFF) : u16be(b, p);
    }

    private static long u32(byte[] b, int p, boolean little) {
        if (!little) {
            return u32be(b, p);
        }
        return ((long) (b[p + 3] & 0xFF) << 24) | ((b[p + 2] & 0xFF) << 16) | ((b[p + 1] & 0xFF) << 8) | (b[p] & 0xFF);
    }
}
