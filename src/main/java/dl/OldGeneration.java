package dl;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Keeps the old generation near what the run holds. A download that waits (for a connection, or for its file to reach
 * the disk with others) outlives a young collection or two, and its objects are then moved to the old generation,
 * where they die. The serial collector grows the old generation for them rather than collecting it, up to a quarter
 * of the machine's memory: a run of a million small files reached 6 GiB this way, holding 80 MiB. So the main thread
 * asks for a full collection when the old generation has grown to twice what the last one left (and at least
 * {@link #FLOOR}): a pause of some tens of milliseconds every few hundred megabytes a run allocates, and resident memory
 * stays within a few times what is live. A hard heap limit would do it too, and break a run that needs more.
 */
final class OldGeneration {

    /** Below this the old generation is left alone: a short run never collects. */
    static final long FLOOR = 96L << 20;
    private static final long CHECK_EVERY_NANOS = 200_000_000L;

    private final MemoryPoolMXBean pool = tenured();
    private long limit = FLOOR;
    private long lastCheck = System.nanoTime();

    /** Called by the main thread as it waits for events; cheap when it is not time. */
    void tend() {
        long now = System.nanoTime();
        if (pool == null || now - lastCheck < CHECK_EVERY_NANOS) {
            return;
        }
        lastCheck = now;
        if (pool.getUsage().getUsed() > limit) {
            System.gc();
            limit = Math.max(FLOOR, 2 * pool.getUsage().getUsed());
        }
    }

    /** The serial collector's old generation ("Tenured Gen"); null under another collector, which sizes itself. */
    private static MemoryPoolMXBean tenured() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getName().equals("Tenured Gen")) {
                return pool;
            }
        }
        return null;
    }
}
