package org.latentlens.notebook;

import jdk.jshell.execution.DirectExecutionControl;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs JShell snippets inside the kernel's own JVM and keeps each snippet's result as a live object.
 *
 * <p>JShell's stock execution engines only hand back a result's {@code toString()}. A notebook needs the
 * object itself, so that a {@code NeighbourTable} renders as HTML. This engine stores every result under
 * a short key, returns the key to JShell in place of the value string, and lets the kernel
 * {@linkplain #takeResult(String) take the object back}.
 *
 * <p>Each snippet runs on its own thread, so that {@link #interrupt()} can stop a runaway cell without
 * stopping the kernel: the thread is interrupted first, and stopped with {@link Thread#stop()} when it
 * does not react within {@value #GRACE_MILLIS} ms (Java 17 still supports that; later JDKs only interrupt).
 * Threads the user starts are not waited for (JShell's own local engine joins them all, which hangs a
 * cell that starts a background thread).
 */
final class SnippetRunner extends DirectExecutionControl {
    /** How long an interrupted cell may take to notice before its thread is stopped. */
    static final long GRACE_MILLIS = 500;
    /** Prefix of result keys; a key never collides with a real value string because JShell never sees one. */
    private static final String KEY_PREFIX = "\u2063result#";

    private final Map<String, Object> results = new ConcurrentHashMap<>();
    private final AtomicLong nextKey = new AtomicLong();
    private volatile Thread running;
    private volatile boolean interruptRequested;
    private volatile ClassLoader snippetLoader;

    @Override
    protected String invoke(Method doit) throws Exception {
        snippetLoader = doit.getDeclaringClass().getClassLoader();
        Object[] value = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(() -> {
            try {
                value[0] = doit.invoke(null);
            } catch (InvocationTargetException e) {
                failure[0] = e.getCause();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "notebook-cell");
        thread.setContextClassLoader(snippetLoader);
        interruptRequested = false;
        running = thread;
        try {
            thread.start();
            thread.join();
        } finally {
            running = null;
        }
        if (interruptRequested) {
            throw new InvocationTargetException(new CellInterruptedException());
        }
        if (failure[0] != null) {
            throw new InvocationTargetException(failure[0]);
        }
        String key = KEY_PREFIX + nextKey.incrementAndGet();
        results.put(key, value[0] == null ? NULL : value[0]);
        return key;
    }

    /** Stand-in for a {@code null} result, since the map takes no nulls. */
    private static final Object NULL = new Object();

    /**
     * Removes and returns the object stored under a key that JShell reported as a snippet's value.
     *
     * @param key the snippet event's value string
     * @return the object, or {@code null} when the key is not ours or the value was null
     */
    Object takeResult(String key) {
        if (key == null || !key.startsWith(KEY_PREFIX)) {
            return null;
        }
        Object v = results.remove(key);
        return v == NULL ? null : v;
    }

    /** Forgets results nobody took (declarations, statements), so they can be collected. */
    void clearResults() {
        results.clear();
    }

    /** @return the class loader of the user's snippets, or null before the first snippet ran */
    ClassLoader snippetLoader() {
        return snippetLoader;
    }

    /** Interrupts the running cell, then stops its thread if it ignores the interrupt. */
    @SuppressWarnings({"deprecation", "removal"})
    void interrupt() {
        Thread t = running;
        if (t == null) {
            return;
        }
        interruptRequested = true;
        t.interrupt();
        try {
            t.join(GRACE_MILLIS);
            if (t.isAlive()) {
                t.stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (UnsupportedOperationException e) {
            // Java 20+: Thread.stop is gone; an interrupt is all we can do.
        }
    }

    @Override
    public void stop() {
        interrupt();
    }
}
