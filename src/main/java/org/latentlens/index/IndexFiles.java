package org.latentlens.index;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * The framing every binary index file shares (see {@code docs/index-format.md}).
 *
 * <pre>
 * header (64 bytes, little-endian)
 *   0  int32   magic 0x58494C4C ("LLIX" in file order)
 *   4  byte[16] format name, ASCII, zero-padded: "vectors", "rows" or "strings"
 *  20  int32   format version
 *  24  ...     file-specific fields (see the writers), zero-padded to 64
 * body
 * footer (16 bytes)
 *   int32 footer magic (~magic), int32 checksum algorithm (0 = CRC32),
 *   int64 CRC32 of every byte before this field
 * </pre>
 */
final class IndexFiles {
    static final int MAGIC = 0x58494C4C;
    static final int FOOTER_MAGIC = ~MAGIC;
    static final int HEADER_BYTES = 64;
    static final int FOOTER_BYTES = 16;
    /** The first version this library reads. */
    static final int VERSION_START = 1;
    /** The version this library writes. */
    static final int VERSION_CURRENT = 1;

    private IndexFiles() {
    }

    /** @return a 64-byte little-endian header with magic, name and version filled in, positioned at 24 */
    static ByteBuffer header(String name) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC);
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        b.put(n);
        b.position(20);
        b.putInt(VERSION_CURRENT);
        return b;
    }

    /** An output stream that counts and checksums what passes through. */
    static final class ChecksumOutput extends OutputStream {
        private final OutputStream out;
        private final CRC32 crc = new CRC32();
        private long count;

        ChecksumOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            crc.update(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            crc.update(b, off, len);
            count += len;
        }

        long count() {
            return count;
        }

        /** Writes the footer: footer magic, algorithm, then the CRC of everything before the CRC field. */
        void writeFooter() throws IOException {
            ByteBuffer f = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            f.putInt(FOOTER_MAGIC).putInt(0);
            write(f.array(), 0, 8);
            ByteBuffer c = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            c.putLong(crc.getValue());
            out.write(c.array());
            count += 8;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /**
     * Checks a file's header and footer framing and returns its header (positioned after the version).
     *
     * @param file the file
     * @param name the expected format name
     * @param verifyChecksum whether to read the whole file and compare its CRC32 with the footer
     * @return the 64 header bytes, little-endian, positioned at byte 24
     */
    static ByteBuffer check(Path file, String name, boolean verifyChecksum) throws IOException {
        String f = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER_BYTES + FOOTER_BYTES) {
                throw new CorruptIndexException(f + ": truncated (" + size + " bytes; a " + name
                        + " file has at least " + (HEADER_BYTES + FOOTER_BYTES) + ")");
            }
            ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, h, 0);
            h.flip();
            int magic = h.getInt();
            if (magic != MAGIC) {
                throw new CorruptIndexException(f + ": not a LatentLens index file (magic 0x"
                        + Integer.toHexString(magic) + ", expected 0x" + Integer.toHexString(MAGIC) + ")");
            }
            byte[] nb = new byte[16];
            h.get(nb);
            String actual = new String(nb, StandardCharsets.US_ASCII).replace("\0", "");
            if (!actual.equals(name)) {
                throw new CorruptIndexException(f + ": holds a '" + actual + "' file where a '" + name
                        + "' file was expected");
            }
            int version = h.getInt();
            if (version < VERSION_START) {
                throw new IndexFormatTooOldException(f, version, VERSION_START);
            }
            if (version > VERSION_CURRENT) {
                throw new IndexFormatTooNewException(f, version, VERSION_CURRENT);
            }
            ByteBuffer foot = ByteBuffer.allocate(FOOTER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, foot, size - FOOTER_BYTES);
            foot.flip();
            int fm = foot.getInt();
            int algo = foot.getInt();
            long stored = foot.getLong();
            if (fm != FOOTER_MAGIC) {
                throw new CorruptIndexException(f + ": footer magic is 0x" + Integer.toHexString(fm)
                        + " (expected 0x" + Integer.toHexString(FOOTER_MAGIC) + "): the file is truncated or damaged");
            }
            if (algo != 0) {
                throw new CorruptIndexException(f + ": unknown checksum algorithm " + algo);
            }
            if (verifyChecksum) {
                long actualCrc = crc(ch, size - 8);
                if (actualCrc != stored) {
                    throw new CorruptIndexException(f + ": checksum mismatch (stored CRC32 0x" + Long.toHexString(stored)
                            + ", computed 0x" + Long.toHexString(actualCrc) + "): the file is damaged");
                }
            }
            h.position(24);
            return h;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + b.position());
            if (n < 0) {
                throw new CorruptIndexException("unexpected end of file");
            }
        }
    }

    /** CRC32 of the first {@code length} bytes, read through mapped pieces. */
    private static long crc(FileChannel ch, long length) throws IOException {
        CRC32 crc = new CRC32();
        long pos = 0;
        long piece = 1L << 28;
        while (pos < length) {
            long n = Math.min(piece, length - pos);
            MappedByteBuffer mb = ch.map(FileChannel.MapMode.READ_ONLY, pos, n);
            crc.update(mb);
            pos += n;
        }
        return crc.getValue();
    }
}
