package org.latentlens.index;

import java.util.Arrays;

/**
 * Every token-id prefix seen so far, stored exactly: node ids in an open-addressing table keyed by
 * (parent node, token id). Two different prefixes never share a node, so deduplication has no hash
 * collisions (the original used Python's 64-bit {@code hash(tuple)}, where a collision silently drops a
 * context). About 24 bytes per distinct prefix.
 */
final class PrefixTrie {
    /** The empty prefix. */
    static final int ROOT = 0;

    private long[] keys;
    private int[] values;
    private int used;
    private int nodes = 1;
    private boolean[] seen = new boolean[1024];

    PrefixTrie() {
        keys = new long[1 << 12];
        values = new int[1 << 12];
        Arrays.fill(keys, -1L);
    }

    /**
     * @param parent a node (ROOT for the empty prefix)
     * @param token the next token id (0 .. 2^31 - 1)
     * @return the node of prefix + token, created on first use
     */
    int child(int parent, long token) {
        if (token < 0 || token > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("token id " + token + " is out of range");
        }
        long key = ((long) parent << 32) | token;
        int mask = keys.length - 1;
        int i = (int) (mix(key) & mask);
        while (true) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == -1L) {
                break;
            }
            i = (i + 1) & mask;
        }
        int node = nodes++;
        keys[i] = key;
        values[i] = node;
        if (++used * 2 > keys.length) {
            grow();
        }
        if (node >= seen.length) {
            seen = Arrays.copyOf(seen, seen.length * 2);
        }
        return node;
    }

    boolean seen(int node) {
        return seen[node];
    }

    void markSeen(int node) {
        seen[node] = true;
    }

    /** @return the number of distinct prefixes, the empty one included */
    int size() {
        return nodes;
    }

    private static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        x ^= x >>> 33;
        return x;
    }

    private void grow() {
        long[] ok = keys;
        int[] ov = values;
        keys = new long[ok.length * 2];
        values = new int[ok.length * 2];
        Arrays.fill(keys, -1L);
        int mask = keys.length - 1;
        for (int j = 0; j < ok.length; j++) {
            if (ok[j] != -1L) {
                int i = (int) (mix(ok[j]) & mask);
                while (keys[i] != -1L) {
                    i = (i + 1) & mask;
                }
                keys[i] = ok[j];
                values[i] = ov[j];
            }
        }
    }
}
