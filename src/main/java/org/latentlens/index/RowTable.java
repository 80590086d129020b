package org.latentlens.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Per-row metadata in four int32 columns: token id, token-string index, sentence index and position.
 * Strings live once in {@link StringTable}s; a row refers to them by index. Several layers share one
 * table when their rows describe the same tokens (always so for a built index).
 */
final class RowTable {
    private final int size;
    private final IntBuffer tokenId;
    private final IntBuffer tokenStr;
    private final IntBuffer sentence;
    private final IntBuffer position;

    private RowTable(int size, IntBuffer tokenId, IntBuffer tokenStr, IntBuffer sentence, IntBuffer position) {
        this.size = size;
        this.tokenId = tokenId;
        this.tokenStr = tokenStr;
        this.sentence = sentence;
        this.position = position;
    }

    static RowTable of(int[] tokenId, int[] tokenStr, int[] sentence, int[] position) {
        return new RowTable(tokenId.length, IntBuffer.wrap(tokenId), IntBuffer.wrap(tokenStr), IntBuffer.wrap(sentence),
                IntBuffer.wrap(position));
    }

    /** Maps a rows file after checking its framing, length and checksum. */
    static RowTable open(Path file) throws IOException {
        ByteBuffer h = IndexFiles.check(file, "rows", true);
        long rows = h.getLong();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long expected = IndexFiles.HEADER_BYTES + rows * 16 + IndexFiles.FOOTER_BYTES;
            if (rows < 0 || rows > Integer.MAX_VALUE || ch.size() != expected) {
                throw new CorruptIndexException(file + ": " + rows + " rows need " + expected + " bytes, the file has "
                        + ch.size());
            }
            int n = (int) rows;
            IntBuffer[] cols = new IntBuffer[4];
            for (int c = 0; c < 4; c++) {
                cols[c] = ch.map(FileChannel.MapMode.READ_ONLY, IndexFiles.HEADER_BYTES + (long) c * n * 4, (long) n * 4)
                        .order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
            }
            return new RowTable(n, cols[0], cols[1], cols[2], cols[3]);
        }
    }

    int size() {
        return size;
    }

    int tokenId(int r) {
        return tokenId.get(r);
    }

    int tokenStr(int r) {
        return tokenStr.get(r);
    }

    int sentence(int r) {
        return sentence.get(r);
    }

    int position(int r) {
        return position.get(r);
    }
}
