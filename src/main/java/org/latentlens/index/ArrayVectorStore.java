package org.latentlens.index;

/**
 * Rows held as float32 in Java arrays, split into chunks so that a layer may exceed the 2^31-element
 * limit of one array.
 */
public final class ArrayVectorStore implements VectorStore {
    private static final int CHUNK_VALUES = 1 << 26; // 256 MiB per chunk

    private final int rows;
    private final int dim;
    private final int rowsPerChunk;
    private final float[][] chunks;

    /**
     * @param rows N
     * @param dim D
     */
    public ArrayVectorStore(int rows, int dim) {
        if (rows < 0 || dim <= 0) {
            throw new IllegalArgumentException("a vector store needs rows >= 0 and dim > 0, got " + rows + " x " + dim);
        }
        this.rows = rows;
        this.dim = dim;
        this.rowsPerChunk = Math.max(1, CHUNK_VALUES / dim);
        int n = (rows + rowsPerChunk - 1) / rowsPerChunk;
        this.chunks = new float[n][];
        for (int c = 0; c < n; c++) {
            int r = Math.min(rowsPerChunk, rows - c * rowsPerChunk);
            chunks[c] = new float[r * dim];
        }
    }

    /**
     * Wraps row-major values (copied).
     *
     * @param values row-major [rows, dim]
     * @param dim D
     * @return the store
     */
    public static ArrayVectorStore of(float[] values, int dim) {
        if (dim <= 0 || values.length % dim != 0) {
            throw new IllegalArgumentException("values of length " + values.length + " are not rows of width " + dim);
        }
        ArrayVectorStore s = new ArrayVectorStore(values.length / dim, dim);
        for (int r = 0; r < s.rows; r++) {
            s.write(r, values, r * dim);
        }
        return s;
    }

    /**
     * Sets one row.
     *
     * @param row the row
     * @param src values
     * @param srcOffset where the row starts in {@code src}
     */
    public void write(int row, float[] src, int srcOffset) {
        System.arraycopy(src, srcOffset, chunks[row / rowsPerChunk], (row % rowsPerChunk) * dim, dim);
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
        return StorageType.FLOAT32;
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
            int c = r / rowsPerChunk;
            int inChunk = r % rowsPerChunk;
            int n = Math.min(end - r, rowsPerChunk - inChunk);
            System.arraycopy(chunks[c], inChunk * dim, dst, o, n * dim);
            r += n;
            o += n * dim;
        }
    }
}
