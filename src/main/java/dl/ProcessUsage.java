package dl;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What this process used, read at the end of a run: peak resident memory (the kernel's high-water mark,
 * so no sampling can miss a peak), the most platform threads alive at once, and CPU time.
 *
 * @param peakRss              bytes, or -1 where /proc/self/status does not exist
 * @param peakPlatformThreads  the JVM's own peak count; virtual threads are not in it
 * @param cpu                  CPU time of the whole process
 */
public record ProcessUsage(long peakRss, int peakPlatformThreads, Duration cpu) {

    public static ProcessUsage now() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        long cpuNanos = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
        return new ProcessUsage(procStatus("VmHWM"), ManagementFactory.getThreadMXBean().getPeakThreadCount(), Duration.ofNanos(Math.max(cpuNanos, 0)));
    }

    /** Resident memory right now, in bytes, or -1. */
    public static long rss() {
        return procStatus("VmRSS");
    }

    /** Lets a measurement start from here: the JVM's thread peak is reset (the kernel's memory peak cannot be). */
    public static void resetPeaks() {
        ManagementFactory.getThreadMXBean().resetPeakThreadCount();
    }

    private static long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux: the figure is shown as unknown.
        }
        return -1;
    }
}
