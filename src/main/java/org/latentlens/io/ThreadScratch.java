package org.latentlens.io;

import java.lang.ref.SoftReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A reusable direct buffer per thread, for data on its way through (checkpoint rows being read and widened).
 * Reusing it means its pages are faulted in once, not once per tensor; holding it softly lets the
 * collector take it back once loading is over.
 */
public final class ThreadScratch {
    private final ThreadLocal<SoftReference<ByteBuffer>> buffers = new ThreadLocal<>();
    private final int minimumBytes;

    /**
     * @param minimumBytes the smallest buffer to allocate, so that growing requests do not reallocate each time
     */
    public ThreadScratch(int minimumBytes) {
        this.minimumBytes = minimumBytes;
    }

    /**
     * @param bytes capacity needed
     * @return this thread's buffer, cleared (position 0, limit = capacity), little-endian, at least {@code bytes}
     * @throws TensorFormatException when {@code bytes} exceeds what one buffer can hold (2 GiB)
     */
    public ByteBuffer get(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new TensorFormatException(bytes + " bytes do not fit one buffer; read fewer rows at a time");
        }
        SoftReference<ByteBuffer> ref = buffers.get();
        ByteBuffer b = ref == null ? null : ref.get();
        if (b == null || b.capacity() < bytes) {
            b = ByteBuffer.allocateDirect((int) Math.max(bytes, minimumBytes)).order(ByteOrder.LITTLE_ENDIAN);
            buffers.set(new SoftReference<>(b));
        }
        b.clear();
        return b;
    }
}
