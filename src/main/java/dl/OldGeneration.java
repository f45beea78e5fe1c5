package dl;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import javax.management.NotificationEmitter;

/**
 * Keeps the old generation near what the run holds. A download that waits (for a connection, or for its file to reach
 * the disk with others) outlives a young collection or two, and its objects are then moved to the old generation,
 * where they die. The serial collector grows the old generation for them rather than collecting it, up to a quarter
 * of the machine's memory: a run of a million small files reached 6 GiB this way, holding 80 MiB. So a full collection
 * is asked for when the old generation has grown to twice what the last one left (and at least {@link #FLOOR}): a
 * pause of some tens of milliseconds every few hundred megabytes a run allocates, and resident memory stays within a
 * few times what is live. A hard heap limit would do it too, and break a run that needs more.
 *
 * <p>The JVM itself says when: the pool's usage threshold is checked as collections move objects into it, and the
 * JVM's notification thread calls the listener. No thread of ours watches, and the event loop stays the downloads'.
 */
final class OldGeneration {

    /** Below this the old generation is left alone: a short run never collects. */
    static final long FLOOR = 96L << 20;

    private static boolean watched;

    /** From now on, for the life of the process; once is enough (later calls do nothing). */
    static synchronized void watch() {
        MemoryPoolMXBean pool = tenured();
        if (watched || pool == null || !pool.isUsageThresholdSupported()) {
            return;
        }
        watched = true;
        pool.setUsageThreshold(FLOOR);
        ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener((notification, unused) -> {
            if (notification.getType().equals(MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED)) {
                System.gc();
                long max = pool.getUsage().getMax(); // -1 when undefined; a threshold above it is refused
                long next = Math.max(FLOOR, 2 * pool.getUsage().getUsed());
                pool.setUsageThreshold(max < 0 ? next : Math.min(next, max));
            }
        }, null, null);
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

    private OldGeneration() {}
}
