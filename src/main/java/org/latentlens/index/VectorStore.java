package org.latentlens.index;

/**
 * Read access to one layer's stored rows, whatever their layout on disk or in memory.
 *
 * <p>Storage is kept apart from scoring (as in Lucene's flat vector formats): the search asks a store
 * for rows as float32 and never knows whether they were float16 on disk, float32 in a mapped file or a
 * Java array. Implementations must allow concurrent {@link #read} calls from several threads.
 */
public interface VectorStore {

    /** @return the number of rows N */
    int rows();

    /** @return the width of a row, D */
    int dim();

    /** @return how the rows are held */
    StorageType storageType();

    /**
     * Copies rows {@code [first, first + count)} as float32, row-major, into {@code dst}.
     *
     * @param first the first row
     * @param count how many rows
     * @param dst the destination, with room for {@code count * dim()} values from {@code dstOffset}
     * @param dstOffset where the first value goes
     * @throws IndexOutOfBoundsException if the rows are out of range
     */
    void read(int first, int count, float[] dst, int dstOffset);

    /**
     * @param row a row index
     * @return a copy of that row as float32
     */
    default float[] row(int row) {
        float[] out = new float[dim()];
        read(row, 1, out, 0);
        return out;
    }
}
