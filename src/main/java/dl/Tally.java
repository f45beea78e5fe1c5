package dl;

import dl.Download.Event;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The score of a run, kept by the main thread alone: which downloads are under way and how far, what ended
 * how, and the peaks. Views draw from it; nothing else writes to it.
 */
public final class Tally {

    /** A download between its Started event and its terminal one. */
    public static final class Active {
        public final Job job;
        public final Path file;
        public final long length;
        public final long startedNanos;
        public long bytes;

        Active(Job job, Path file, long length, long startedNanos) {
            this.job = job;
            this.file = file;
            this.length = length;
            this.startedNanos = startedNanos;
        }

        /** Mean bytes per second since it started. */
        public double speed(long nowNanos) {
            long nanos = nowNanos - startedNanos;
            return nanos <= 0 ? 0 : bytes * 1e9 / nanos;
        }
    }

    public final int total;
    public final Download.Threads threads;
    private final long startNanos = System.nanoTime();
    private long endNanos;

    public int forked;
    public int completed;
    public int failed;
    /** Downloads stopped by Ctrl-C: not failures, they go on in the next run. */
    public int stopped;
    public int skipped;
    public int retries;
    public int peakInFlight;
    public int peakLive;
    public long completedBytes;
    public boolean interrupted;
    public final Map<Integer, Active> active = new LinkedHashMap<>();
    /** Downloads waiting before a request (for a connection, --wait, a host's Retry-After), and why. */
    public final Map<Integer, String> waiting = new java.util.HashMap<>();
    public final List<Event.Failed> failures = new ArrayList<>();

    public Tally(int total, Download.Threads threads) {
        this.total = total;
        this.threads = threads;
    }

    void forked() {
        forked++;
        peakLive = Math.max(peakLive, live());
    }

    void waiting(Event.Waiting w) {
        waiting.put(w.job().id(), w.why());
    }

    void started(Event.Started s) {
        waiting.remove(s.job().id());
        active.put(s.job().id(), new Active(s.job(), s.file(), s.length(), System.nanoTime()));
        peakInFlight = Math.max(peakInFlight, active.size());
    }

    void progress(Event.Progress p) {
        waiting.remove(p.job().id());
        Active a = active.get(p.job().id());
        if (a != null) {
            a.bytes = p.bytes();
        }
    }

    void retrying(Event.Retrying r) {
        retries++;
    }

    void completed(Event.Completed c) {
        waiting.remove(c.job().id());
        active.remove(c.job().id());
        completed++;
        completedBytes += c.bytes();
    }

    void failed(Event.Failed f) {
        waiting.remove(f.job().id());
        active.remove(f.job().id());
        if (f.kind() == Download.Failure.INTERRUPTED) {
            stopped++;
        } else {
            failed++;
            failures.add(f);
        }
    }

    void skipped(Event.Skipped s) {
        waiting.remove(s.job().id());
        active.remove(s.job().id());
        skipped++;
    }

    void interrupted() {
        interrupted = true;
    }

    /** Download threads not yet ended: with one thread per download, the threads alive. */
    public int live() {
        return forked - ended();
    }

    public int ended() {
        return completed + failed + skipped + stopped;
    }

    public boolean allDone() {
        boolean done = ended() >= total;
        if (done && endNanos == 0) {
            endNanos = System.nanoTime();
        }
        return done;
    }

    /** Bytes on disk so far: finished files plus the part files under way. */
    public long bytes() {
        long sum = completedBytes;
        for (Active a : active.values()) {
            sum += a.bytes;
        }
        return sum;
    }

    public Duration elapsed() {
        return Duration.ofNanos((endNanos == 0 ? System.nanoTime() : endNanos) - startNanos);
    }

    public boolean anyFailure(Download.Failure kind) {
        return failures.stream().anyMatch(f -> f.kind() == kind);
    }
}
