package org.latentlens.vision.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Writes minimal PNG files byte by byte (any bit depth / colour type), to test the reader without ImageIO's writer. */
final class TinyPng {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private TinyPng() {
    }

    /**
     * @param rows unfiltered scanlines, already packed at the bit depth (no filter byte)
     * @param extraChunks {type, data} pairs inserted between IHDR and IDAT (PLTE, tRNS, eXIf)
     */
    static byte[] encode(int width, int height, int bitDepth, int colourType, byte[][] rows, Object... extraChunks) {
        TinyPng png = new TinyPng();
        png.out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        byte[] ihdr = new byte[13];
        put32(ihdr, 0, width);
        put32(ihdr, 4, height);
        ihdr[8] = (byte) bitDepth;
        ihdr[9] = (byte) colourType;
        png.chunk("IHDR", ihdr);
        for (int i = 0; i < extraChunks.length; i += 2) {
            png.chunk((String) extraChunks[i], (byte[]) extraChunks[i + 1]);
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (byte[] row : rows) {
            raw.write(0);
            raw.writeBytes(row);
        }
        Deflater d = new Deflater();
        d.setInput(raw.toByteArray());
        d.finish();
        byte[] buf = new byte[raw.size() + 1024];
        int n = d.deflate(buf);
        d.end();
        byte[] idat = java.util.Arrays.copyOf(buf, n);
        png.chunk("IDAT", idat);
        png.chunk("IEND", new byte[0]);
        return png.out.toByteArray();
    }

    private void chunk(String type, byte[] data) {
        byte[] len = new byte[4];
        put32(len, 0, data.length);
        out.writeBytes(len);
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        byte[] c = new byte[4];
        put32(c, 0, (int) crc.getValue());
        out.writeBytes(c);
    }

    static void put32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** A TIFF block holding only IFD0 with an Orientation entry, in either byte order. */
    static byte[] exifTiff(int orientation, boolean littleEndian) {
        byte[] t = new byte[8 + 2 + 12 + 4];
        if (littleEndian) {
            t[0] = 'I';
            t[1] = 'I';
            t[2] = 42;
            t[4] = 8;
            t[8] = 1; // one entry
            t[10] = 0x12;
            t[11] = 0x01; // tag 0x0112
            t[12] = 3; // SHORT
            t[14] = 1; // count 1
            t[18] = (byte) orientation;
        } else {
            t[0] = 'M';
            t[1] = 'M';
            t[3] = 42;
            t[7] = 8;
            t[9] = 1;
            t[10] = 0x01;
            t[11] = 0x12;
            t[13] = 3;
            t[17] = 1;
            t[19] = (byte) orientation;
        }
        return t;
    }

    /** Inserts an APP1 Exif segment into a JPEG right after SOI and any APP0 (JFIF) segment. */
    static byte[] withExif(byte[] jpeg, byte[] tiff) {
        int p = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
            p = 4 + (((jpeg[4] & 0xFF) << 8) | (jpeg[5] & 0xFF));
        }
        byte[] header = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
        int len = 2 + header.length + tiff.length;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(jpeg, 0, p);
        o.write(0xFF);
        o.write(0xE1);
        o.write(len >>> 8);
        o.write(len & 0xFF);
        o.writeBytes(header);
        o.writeBytes(tiff);
        o.write(jpeg, p, jpeg.length - p);
        return o.toByteArray();
    }
}
