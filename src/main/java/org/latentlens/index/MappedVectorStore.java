package org.latentlens.index;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Rows read from a memory-mapped file region of little-endian float32 or float16 values, row-major.
 *
 * <p>The region is mapped in pieces of whole rows of at most 1 GiB each, so files beyond the 2 GiB limit
 * of one {@link MappedByteBuffer} work. Mapping is O(1): pages are read by the OS when the search touches
 * them, and they count as shared file pages, not heap.
 */
public final class MappedVectorStore implements VectorStore {
    private static final long PIECE_BYTES = 1L << 30;

    private final int rows;
    private final int dim;
    private final StorageType type;
    private final int rowsPerPiece;
    private final FloatBuffer[] f32;
    private final ShortBuffer[] f16;
    private final ThreadLocal<short[]> scratch = ThreadLocal.withInitial(() -> new short[0]);

    /**
     * Maps a region.
     *
     * @param file the file
     * @param offset byte offset of row 0
     * @param rows N
     * @param dim D
     * @param type element type
     * @throws IOException if the file cannot be mapped or is shorter than the region
     */
    public MappedVectorStore(Path file, long offset, int rows, int dim, StorageType type) throws IOException {
        this.rows = rows;
        this.dim = dim;
        this.type = type;
        long rowBytes = (long) dim * type.bytes();
        this.rowsPerPiece = (int) Math.max(1, Math.min(Integer.MAX_VALUE, PIECE_BYTES / rowBytes));
        int pieces = rows == 0 ? 0 : (rows + rowsPerPiece - 1) / rowsPerPiece;
        this.f32 = type == StorageType.FLOAT32 ? new FloatBuffer[pieces] : null;
        this.f16 = type == StorageType.FLOAT16 ? new ShortBuffer[pieces] : null;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long need = offset + rows * rowBytes;
            if (ch.size() < need) {
                throw new IOException(file + ": expected at least " + need + " bytes for " + rows + " x " + dim
                        + " " + type.label() + " rows from offset " + offset + ", the file has " + ch.size());
            }
            for (int p = 0; p < pieces; p++) {
                int r = Math.min(rowsPerPiece, rows - p * rowsPerPiece);
                MappedByteBuffer mb = ch.map(FileChannel.MapMode.READ_ONLY, offset + p * rowsPerPiece * rowBytes,
                        r * rowBytes);
                mb.order(ByteOrder.LITTLE_ENDIAN);
                if (type == StorageType.FLOAT32) {
                    f32[p] = mb.asFloatBuffer();
                } else {
                    f16[p] = mb.asShortBuffer();
                }
            }
        }
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public StorageType storageType() {
        return type;
    }

    @Override
    public void read(int first, int count, float[] dst, int dstOffset) {
        if (first < 0 || count < 0 || first + count > rows) {
            throw new IndexOutOfBoundsException("rows [" + first + ", " + (first + count) + ") of " + rows);
        }
        int r = first;
        int end = first + count;
        int o = dstOffset;
        while (r < end) {
            int p = r / rowsPerPiece;
            int inPiece = r % rowsPerPiece;
            int n = Math.min(end - r, rowsPerPiece - inPiece);
            int values = n * dim;
            if (f32 != null) {
                // absolute bulk get: leaves the shared buffer's position alone, so concurrent reads are safe
                f32[p].get(inPiece * dim, dst, o, values);
            } else {
                short[] s = scratch.get();
                if (s.length < values) {
                    s = new short[values];
                    scratch.set(s);
                }
                f16[p].get(inPiece * dim, s, 0, values);
                Float16.toFloat(s, 0, dst, o, values);
            }
            r += n;
            o += values;
        }
    }
}
