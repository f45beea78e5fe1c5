package dl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The end of a run in figures, as people read it and as --json and --compare report it. */
public record Summary(
        int total, int completed, int failed, int skipped, int retries, long bytes, Duration wall,
        String threads, int forked, int peakInFlight, int peakPlatformThreads, long peakRss, Duration cpu,
        boolean interrupted) {

    static Summary of(Tally t, Usage u) {
        return new Summary(t.total, t.completed, t.failed, t.skipped, t.retries, t.completedBytes, t.elapsed(),
                t.threads.name().toLowerCase(java.util.Locale.ROOT), t.forked, t.peakInFlight,
                u.peakPlatformThreads(), u.peakRss(), u.cpu(), t.interrupted);
    }

    /** The summary block, without the failure list. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        if (interrupted) {
            int left = total - completed - skipped;
            lines.add("Interrupted: " + completed + " done, " + skipped + " skipped, " + left
                    + " left. Part files are kept: run the same command again to finish the rest.");
        }
        lines.add(String.format("Downloaded %d of %d files (%d failed, %d skipped, %d retries): %s in %s, %s",
                completed, total, failed, skipped, retries, Format.bytes(bytes), Format.seconds(wall), Format.rate(bytes, wall)));
        lines.add(String.format("Threads: %s, one per download (%d forked); peak %d platform threads alive; at most %d downloads in flight",
                threads, forked, peakPlatformThreads, peakInFlight));
        lines.add(String.format("Memory: peak resident %s; CPU %s",
                peakRss < 0 ? "unknown (no /proc/self/status)" : Format.bytes(peakRss), Format.seconds(cpu)));
        return lines;
    }
}
