package dl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The end of a run in figures, as people read it and as --json and --compare report it. */
public record Summary(
        int total, int completed, int failed, int skipped, int stopped, int retries, long bytes, Duration wall,
        String threads, int forked, int peakLive, int peakInFlight, int peakPlatformThreads, long baselineRss,
        long peakRss, Duration cpu, boolean interrupted, int rejectedLines, int upToDate, int updated) {

    /** {@code baselineRss}: resident memory just before the first fork, so the run's own cost can be told apart. */
    static Summary of(Tally t, ProcessUsage u, long baselineRss) {
        return of(t, u, baselineRss, 0);
    }

    /** {@code rejectedLines}: lines of the list reported as unusable; they alone make the exit status 1. */
    static Summary of(Tally t, ProcessUsage u, long baselineRss, int rejectedLines) {
        return new Summary(t.total(), t.completed(), t.failed(), t.skipped(), t.stopped(), t.retries(), t.bytes(), t.elapsed(),
                t.threads().name().toLowerCase(java.util.Locale.ROOT), t.forked(), t.peakLive(), t.peakInFlight(),
                u.peakPlatformThreads(), baselineRss, u.peakRss(), u.cpu(), t.interrupted(), rejectedLines, t.upToDate(), t.updated());
    }

    /** The summary block, without the failure list. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        if (interrupted) {
            int left = total - completed - skipped - upToDate - failed;
            lines.add("Interrupted: " + completed + " done, " + skipped + " skipped, " + (upToDate > 0 ? upToDate + " up to date, " : "") + left + " left"
                    + (failed > 0 ? ", " + failed + " failed" : "")
                    + ". Part files are kept: run the same command again to finish the rest.");
        }
        // A mirror's rerun (-N, --overwrite) also says what was new, what replaced an older version, what was current.
        String mirror = updated + upToDate == 0 ? "" : String.format("%d new, %d updated, %d up to date, ", completed - updated, updated, upToDate);
        lines.add(String.format("Downloaded %d of %d files (%s%d failed, %d skipped, %d retries): %s in %s, %s",
                completed, total, mirror, failed, skipped, retries, Format.bytes(bytes), Format.seconds(wall), Format.rate(bytes, wall)));
        if (rejectedLines > 0) {
            lines.add(rejectedLines + (rejectedLines == 1 ? " line" : " lines") + " of the list could not be used (reported above): exit status 1 even if every download succeeded.");
        }
        lines.add(String.format("Threads: %s, one per download (%d forked, at most %d alive at once); peak %d platform threads; at most %d receiving or saving at once",
                threads, forked, peakLive, peakPlatformThreads, peakInFlight));
        lines.add(peakRss < 0 ? "Memory: unknown (no /proc/self/status); CPU " + Format.seconds(cpu)
                : String.format("Memory: peak resident %s (%s before the downloads); CPU %s",
                        Format.bytes(peakRss), Format.bytes(baselineRss), Format.seconds(cpu)));
        return lines;
    }
}
