package org.latentlens.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A list of strings, each stored once: sentences (captions) or token strings. Either held in memory or
 * read from a mapped {@code strings} file whose body is {@code int64 offsets[count + 1]} then the
 * UTF-8 bytes of all strings back to back.
 */
abstract class StringTable {

    /** @return the number of strings */
    abstract int size();

    /**
     * @param i an index
     * @return the string
     */
    abstract String get(int i);

    static StringTable of(List<String> strings) {
        return new StringTable() {
            @Override
            int size() {
                return strings.size();
            }

            @Override
            String get(int i) {
                return strings.get(i);
            }
        };
    }

    /** Maps a strings file after checking its framing and (it is small) its checksum. */
    static StringTable open(Path file) throws IOException {
        ByteBuffer h = IndexFiles.check(file, "strings", true);
        long count = h.getLong();
        String f = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long bodyEnd = ch.size() - IndexFiles.FOOTER_BYTES;
            long offBytes = (count + 1) * 8;
            if (count < 0 || count > Integer.MAX_VALUE || IndexFiles.HEADER_BYTES + offBytes > bodyEnd) {
                throw new CorruptIndexException(f + ": string count " + count + " does not fit the file size " + ch.size());
            }
            long blobStart = IndexFiles.HEADER_BYTES + offBytes;
            long blobLen = bodyEnd - blobStart;
            if (blobLen > Integer.MAX_VALUE) {
                throw new CorruptIndexException(f + ": string data over 2 GiB is not supported");
            }
            MappedByteBuffer offs = ch.map(FileChannel.MapMode.READ_ONLY, IndexFiles.HEADER_BYTES, offBytes);
            offs.order(ByteOrder.LITTLE_ENDIAN);
            MappedByteBuffer blob = ch.map(FileChannel.MapMode.READ_ONLY, blobStart, blobLen);
            if (offs.getLong((int) count * 8) != blobLen) {
                throw new CorruptIndexException(f + ": the last string offset " + offs.getLong((int) count * 8)
                        + " does not match the data length " + blobLen);
            }
            int n = (int) count;
            return new StringTable() {
                @Override
                int size() {
                    return n;
                }

                @Override
                String get(int i) {
                    if (i < 0 || i >= n) {
                        throw new IndexOutOfBoundsException("string " + i + " of " + n + " in " + f);
                    }
                    int a = (int) offs.getLong(i * 8);
                    int b = (int) offs.getLong((i + 1) * 8);
                    if (a < 0 || b < a || b > blobLen) {
                        throw new IllegalStateException(f + ": string " + i + " has bad offsets " + a + ".." + b);
                    }
                    byte[] bytes = new byte[b - a];
                    blob.get(a, bytes);
                    return new String(bytes, StandardCharsets.UTF_8);
                }
            };
        }
    }
}
