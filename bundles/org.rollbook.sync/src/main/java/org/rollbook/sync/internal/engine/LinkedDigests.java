package org.rollbook.sync.internal.engine;

import java.util.Arrays;

import org.rollbook.api.patron.PatronStatus;
import org.rollbook.api.store.PatronStore;

/**
 * The roster digests of an integration's active linked patrons, read in one pass over the store before a
 * full run. A record whose digest is here made that patron what it is at the last sync and nothing has
 * written the patron since (any other write clears the digest): the planner knows it unchanged without
 * looking its GUID up. On a re-sync that is nearly every record, and one scan replaces a GUID probe per
 * batch. Kept as the 128-bit digest and the patron id in sorted arrays: 24 bytes a patron.
 *
 * <p>A patron edited in the console while the roster is being read keeps its stale entry for this run;
 * its cleared digest makes the next run compare it in full.
 */
final class LinkedDigests {

    static final LinkedDigests NONE = new LinkedDigests(new long[0], new long[0], new long[0], 0);

    private final long[] high;
    private final long[] low;
    private final long[] ids;
    private final int size;

    private LinkedDigests(long[] high, long[] low, long[] ids, int size) {
        this.high = high;
        this.low = low;
        this.ids = ids;
        this.size = size;
    }

    static LinkedDigests load(PatronStore store, String integration) {
        Builder b = new Builder();
        store.forEachLinked(integration, k -> {
            if (k.status() == PatronStatus.ACTIVE && k.rosterDigest() != null) {
                b.add(k.rosterDigest(), k.id());
            }
        });
        return b.build();
    }

    int size() {
        return size;
    }

    /** The patron the digest was last written to, or 0. */
    long patronOf(String digest) {
        if (size == 0 || digest == null || digest.length() != 32) {
            return 0;
        }
        long h = Long.parseUnsignedLong(digest, 0, 16, 16);
        long l = Long.parseUnsignedLong(digest, 16, 32, 16);
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compare(mid, h, l);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return ids[mid];
            }
        }
        return 0;
    }

    private int compare(int i, long h, long l) {
        int c = Long.compare(high[i], h);
        return c != 0 ? c : Long.compare(low[i], l);
    }

    static final class Builder {
        private long[] high = new long[1024];
        private long[] low = new long[1024];
        private long[] ids = new long[1024];
        private int size;

        Builder add(String digest, long id) {
            if (digest.length() != 32) {
                return this; // not a digest this engine wrote
            }
            long h;
            long l;
            try {
                h = Long.parseUnsignedLong(digest, 0, 16, 16);
                l = Long.parseUnsignedLong(digest, 16, 32, 16);
            } catch (NumberFormatException e) {
                return this;
            }
            if (size == high.length) {
                high = Arrays.copyOf(high, size * 2);
                low = Arrays.copyOf(low, size * 2);
                ids = Arrays.copyOf(ids, size * 2);
            }
            high[size] = h;
            low[size] = l;
            ids[size] = id;
            size++;
            return this;
        }

        LinkedDigests build() {
            sort(0, size - 1);
            // two patrons holding one digest (copied rows, say) are known to neither: both get compared in full
            long[] h = new long[size];
            long[] l = new long[size];
            long[] p = new long[size];
            int n = 0;
            for (int i = 0; i < size; ) {
                int j = i + 1;
                while (j < size && high[j] == high[i] && low[j] == low[i]) {
                    j++;
                }
                if (j == i + 1) {
                    h[n] = high[i];
                    l[n] = low[i];
                    p[n] = ids[i];
                    n++;
                }
                i = j;
            }
            return new LinkedDigests(h, l, p, n);
        }

        /** Quicksort of the three arrays by (high, low); digests are uniformly random, so the middle pivot is fine. */
        private void sort(int from, int to) {
            while (to - from > 16) {
                int mid = (from + to) >>> 1;
                long ph = high[mid];
                long pl = low[mid];
                int i = from;
                int j = to;
                while (i <= j) {
                    while (before(i, ph, pl)) {
                        i++;
                    }
                    while (after(j, ph, pl)) {
                        j--;
                    }
                    if (i <= j) {
                        swap(i++, j--);
                    }
                }
                // recurse into the smaller side, loop on the larger: the stack stays shallow
                if (j - from < to - i) {
                    sort(from, j);
                    from = i;
                } else {
                    sort(i, to);
                    to = j;
                }
            }
            for (int i = from + 1; i <= to; i++) {
                for (int k = i; k > from && before(k, high[k - 1], low[k - 1]); k--) {
                    swap(k, k - 1);
                }
            }
        }

        private boolean before(int i, long h, long l) {
            int c = Long.compare(high[i], h);
            return c < 0 || c == 0 && Long.compare(low[i], l) < 0;
        }

        private boolean after(int i, long h, long l) {
            int c = Long.compare(high[i], h);
            return c > 0 || c == 0 && Long.compare(low[i], l) > 0;
        }

        private void swap(int a, int b) {
            long t = high[a];
            high[a] = high[b];
            high[b] = t;
            t = low[a];
            low[a] = low[b];
            low[b] = t;
            t = ids[a];
            ids[a] = ids[b];
            ids[b] = t;
        }
    }
}
