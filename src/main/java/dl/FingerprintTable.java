package dl;

/**
 * A set of {@link Fingerprint}s, each with an int if asked for: two arrays and open addressing, 8 (or 12) bytes a
 * slot and no object per entry, where a {@code HashMap<String, Integer>} holds about 100 bytes and the text.
 * Filled by one thread (the main thread, while it reads a list); read by many once filled.
 */
final class FingerprintTable {

    /** What {@link #get} returns for a fingerprint not in the table. */
    static final int MISSING = Integer.MIN_VALUE;

    /** Slots used at most, as a share of all: beyond this the table doubles. */
    private static final double LOAD = 0.7;

    private long[] keys;
    private int[] values;
    /** Values that need 64 bits (offsets in a file), kept instead of {@link #values}. */
    private long[] wide;
    private int size;

    /** {@code expected}: about how many fingerprints will come (the table grows beyond it); {@code withValues}: keep an int each. */
    FingerprintTable(long expected, boolean withValues) {
        this(expected, withValues, false);
    }

    /** {@code wide}: keep a long each (see {@link #getLong}), not an int. */
    FingerprintTable(long expected, boolean withValues, boolean wide) {
        int slots = Integer.highestOneBit((int) Math.clamp(expected / LOAD, 16, 1 << 30) - 1) << 1;
        keys = new long[slots];
        values = withValues && !wide ? new int[slots] : null;
        this.wide = withValues && wide ? new long[slots] : null;
    }

    /** The long kept with the fingerprint, or -1. */
    long getLong(long fingerprint) {
        int at = slot(keys, fingerprint);
        return keys[at] == Fingerprint.NONE ? -1 : wide[at];
    }

    /** Adds the fingerprint with this long, or sets its long. */
    void putLong(long fingerprint, long value) {
        int at = slot(keys, fingerprint);
        wide[at] = value;
        if (keys[at] == Fingerprint.NONE) {
            keys[at] = fingerprint;
            if (++size > keys.length * LOAD) {
                grow();
            }
        }
    }

    int size() {
        return size;
    }

    boolean contains(long fingerprint) {
        return keys[slot(keys, fingerprint)] != Fingerprint.NONE;
    }

    /** The int kept with the fingerprint, or {@link #MISSING}. */
    int get(long fingerprint) {
        int at = slot(keys, fingerprint);
        return keys[at] == Fingerprint.NONE ? MISSING : values[at];
    }

    /** Adds the fingerprint; false if it was there already. */
    boolean add(long fingerprint) {
        return put(fingerprint, 0);
    }

    /** Adds the fingerprint with this int, or sets its int; false if it was there already. */
    boolean put(long fingerprint, int value) {
        int at = slot(keys, fingerprint);
        if (values != null) {
            values[at] = value;
        }
        if (keys[at] != Fingerprint.NONE) {
            return false;
        }
        keys[at] = fingerprint;
        if (++size > keys.length * LOAD) {
            grow();
        }
        return true;
    }

    /** The slot of the fingerprint, or the empty one where it would go (linear probing). */
    private static int slot(long[] keys, long fingerprint) {
        int mask = keys.length - 1;
        int at = (int) (fingerprint ^ (fingerprint >>> 32)) & mask;
        while (keys[at] != Fingerprint.NONE && keys[at] != fingerprint) {
            at = (at + 1) & mask;
        }
        return at;
    }

    private void grow() {
        long[] old = keys;
        int[] oldValues = values;
        long[] oldWide = wide;
        keys = new long[old.length * 2];
        values = oldValues == null ? null : new int[old.length * 2];
        wide = oldWide == null ? null : new long[old.length * 2];
        for (int i = 0; i < old.length; i++) {
            if (old[i] != Fingerprint.NONE) {
                int at = slot(keys, old[i]);
                keys[at] = old[i];
                if (values != null) {
                    values[at] = oldValues[i];
                }
                if (wide != null) {
                    wide[at] = oldWide[i];
                }
            }
        }
    }
}
