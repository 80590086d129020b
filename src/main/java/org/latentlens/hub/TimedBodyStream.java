package org.latentlens.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body as an {@link InputStream} whose reads give up after a silence of {@code readTimeout}.
 * {@code java.net.http}'s request timeout stops at the response headers, and its own body stream blocks forever
 * on a stalled server; a multi-gigabyte download needs a timeout on every read so that it can resume.
 * One buffer list is requested at a time, so a slow disk slows the socket instead of filling memory.
 */
final class TimedBodyStream extends InputStream implements Flow.Subscriber<List<ByteBuffer>> {
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final long timeoutNanos;
    private final String what;
    private volatile Flow.Subscription subscription;
    private Iterator<ByteBuffer> buffers;
    private ByteBuffer current;
    private boolean finished;
    private boolean closed;

    TimedBodyStream(Duration readTimeout, String what) {
        this.timeoutNanos = readTimeout.toNanos();
        this.what = what;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable t) {
        queue.add(t);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    /**
     * Fills {@code b} with what has arrived, waiting (up to the read timeout) only while nothing has: a large
     * buffer thus gathers many of the client's small ones, for fewer writes and digest updates.
     */
    @Override
    @SuppressWarnings("unchecked")
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        int total = 0;
        while (total < len) {
            if (current == null || !current.hasRemaining()) {
                if (buffers != null && buffers.hasNext()) {
                    current = buffers.next();
                    continue;
                }
                if (finished) {
                    break;
                }
                Object next = total > 0 ? queue.poll() : take();
                if (next == null) {
                    break; // some bytes in hand and nothing more yet: return them
                }
                if (next == END) {
                    finished = true;
                    break;
                }
                if (next instanceof Throwable) {
                    finished = true;
                    if (total > 0) {
                        queue.add(next); // report it on the next call, after these bytes
                        finished = false;
                        break;
                    }
                    Throwable t = (Throwable) next;
                    throw t instanceof IOException ? (IOException) t : new IOException(t.toString(), t);
                }
                buffers = ((List<ByteBuffer>) next).iterator();
                Flow.Subscription s = subscription;
                if (s != null) {
                    s.request(1);
                }
                continue;
            }
            int n = Math.min(len - total, current.remaining());
            current.get(b, off + total, n);
            total += n;
        }
        return total == 0 && finished ? -1 : total;
    }

    /** Waits for the next item, at most the read timeout. */
    private Object take() throws IOException {
        Object next;
        try {
            next = queue.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new java.io.InterruptedIOException("interrupted while reading " + what);
        }
        if (next == null) {
            close();
            throw new HttpTimeoutException("no data for " + Duration.ofNanos(timeoutNanos).toMillis()
                    + " ms while reading " + what + " (stalled connection)");
        }
        return next;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Flow.Subscription s = subscription;
        if (s != null && !finished) {
            s.cancel();
        }
    }
}
