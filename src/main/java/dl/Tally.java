package dl;


import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The score of a run, kept by the main thread alone: which downloads are under way and how far, which wait,
 * what ended how, and the peaks. The main thread's handler tallies each event; views read the score through
 * its methods, and a reading never changes it.
 */
public final class Tally {

    /** A download between its Started event and its terminal one. */
    public static final class Active {
        private final Job job;
        private final Path file;
        private final long length;
        private final long startedNanos;
        private final long kept;
        private long bytes;

        Active(Job job, Path file, long length, long kept, long startedNanos) {
            this.job = job;
            this.file = file;
            this.length = length;
            this.kept = kept;
            this.bytes = kept;
            this.startedNanos = startedNanos;
        }

        /** Bytes received in this run: what is in the file less what an earlier run left (never below zero). */
        long received() {
            return Math.max(0, bytes - kept);
        }

        public Job job() {
            return job;
        }

        public Path file() {
            return file;
        }

        /** Bytes announced, or -1. */
        public long length() {
            return length;
        }

        /** Bytes in its file so far. */
        public long bytes() {
            return bytes;
        }

        /** Mean bytes per second since it started. */
        public double speed(long nowNanos) {
            long nanos = nowNanos - startedNanos;
            return nanos <= 0 ? 0 : received() * 1e9 / nanos;
        }
    }

    /** Failures kept for the summary: the manifest has them all, the screen the first of them. */
    static final int FAILURES_KEPT = 1000;

    private int total;
    private final Threads threads;
    private final long startNanos = System.nanoTime();
    private long endNanos;

    private int forked;
    private int completed;
    private int failed;
    private int stopped;
    private int skipped;
    private int upToDate;
    private int updated;
    private int retries;
    private int peakInFlight;
    private int peakLive;
    /** Bytes received in this run by downloads that have ended, whatever their end. */
    private long receivedEnded;
    private boolean interrupted;
    private final Map<Integer, Active> active = new LinkedHashMap<>();
    private final Map<Integer, String> waiting = new HashMap<>();
    /** Retries per download, for those that had any: a manifest records each download's attempts. */
    private final Map<Integer, Integer> retried = new HashMap<>();
    private final List<Event.Failed> failures = new ArrayList<>();
    private final java.util.EnumSet<Failure> failureKinds = java.util.EnumSet.noneOf(Failure.class);
    /** The attempts of the download that ended last: its terminal event is shown (and recorded) after it is tallied. */
    private int lastEndedId;
    private int lastEndedAttempts;

    public Tally(int total, Threads threads) {
        this.total = total;
        this.threads = threads;
    }

    // ---- tallying, by the main thread's handler

    void countFork() {
        forked++;
        peakLive = Math.max(peakLive, live());
    }

    void waiting(Event.Waiting w) {
        waiting.put(w.job().id(), w.why());
    }

    void started(Event.Started s) {
        waiting.remove(s.job().id());
        active.put(s.job().id(), new Active(s.job(), s.file(), s.length(), s.kept(), System.nanoTime()));
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
        retried.merge(r.job().id(), 1, Integer::sum);
    }

    void completed(Event.Completed c) {
        completed++;
        if (c.updated()) {
            updated++;
        }
        Active a = active.get(c.job().id());
        receivedEnded += a == null ? c.bytes() : Math.max(0, c.bytes() - a.kept);
        ended(c);
    }

    void failed(Event.Failed f) {
        Active a = active.get(f.job().id());
        if (a != null) {
            receivedEnded += a.received(); // an interrupted download received bytes too: the summary counts them
        }
        if (f.kind() == Failure.INTERRUPTED) {
            stopped++;
        } else {
            failed++;
            failureKinds.add(f.kind());
            if (failures.size() < FAILURES_KEPT) {
                failures.add(f);
            }
        }
        ended(f);
    }

    void skipped(Event.Skipped s) {
        skipped++;
        ended(s);
    }

    void upToDate(Event.UpToDate u) {
        upToDate++;
        ended(u);
    }

    void markInterrupted() {
        interrupted = true;
    }

    /** A terminal event: the download is no longer under way; the clock stops with the last one. */
    private void ended(Event terminal) {
        int id = terminal.job().id();
        waiting.remove(id);
        active.remove(id);
        lastEndedId = id;
        Integer retries = retried.remove(id);
        lastEndedAttempts = 1 + (retries == null ? 0 : retries);
        if (ended() >= total && endNanos == 0) {
            endNanos = System.nanoTime();
        }
    }

    // ---- reading

    /** Requests a download has made: one, plus its retries so far. */
    public int attempts(Job job) {
        return job.id() == lastEndedId && !retried.containsKey(job.id()) ? lastEndedAttempts : 1 + retried.getOrDefault(job.id(), 0);
    }

    /**
     * Every job is forked: when its list could not be read to the end, fewer than the total, and the run ends when
     * those end.
     */
    void allPlanned() {
        if (forked < total) {
            total = forked;
            if (ended() >= total && endNanos == 0) {
                endNanos = System.nanoTime();
            }
        }
    }

    public int total() {
        return total;
    }

    public Threads threads() {
        return threads;
    }

    public int forked() {
        return forked;
    }

    public int completed() {
        return completed;
    }

    public int failed() {
        return failed;
    }

    /** Downloads stopped by Ctrl-C: not failures, they go on in the next run. */
    public int stopped() {
        return stopped;
    }

    public int skipped() {
        return skipped;
    }

    /** -N: files the server said had not changed (304): left as they were. */
    public int upToDate() {
        return upToDate;
    }

    /** Completed downloads that replaced a file already there (-N, --overwrite); the others are new. */
    public int updated() {
        return updated;
    }

    public int retries() {
        return retries;
    }

    public int peakInFlight() {
        return peakInFlight;
    }

    public int peakLive() {
        return peakLive;
    }

    public boolean interrupted() {
        return interrupted;
    }

    /** The downloads under way, in the order they started. */
    public Collection<Active> active() {
        return Collections.unmodifiableCollection(active.values());
    }

    /** Downloads waiting before a request (for a connection, --wait, a host's Retry-After), by id, and why. */
    public Map<Integer, String> waiting() {
        return Collections.unmodifiableMap(waiting);
    }

    /** The first {@value #FAILURES_KEPT} failures; {@link #failed()} counts them all. */
    public List<Event.Failed> failures() {
        return Collections.unmodifiableList(failures);
    }

    /** Download threads not yet ended: with one thread per download, the threads alive. */
    public int live() {
        return forked - ended();
    }

    public int ended() {
        return completed + failed + skipped + stopped + upToDate;
    }

    public boolean allDone() {
        return ended() >= total;
    }

    /**
     * Bytes received in this run so far, by every download, ended or under way; bytes an earlier run left in a
     * part file are not received again, so a resumed download's rate is its own.
     */
    public long bytes() {
        long sum = receivedEnded;
        for (Active a : active.values()) {
            sum += a.received();
        }
        return sum;
    }

    public Duration elapsed() {
        return Duration.ofNanos((endNanos == 0 ? System.nanoTime() : endNanos) - startNanos);
    }

    public boolean anyFailure(Failure kind) {
        return failureKinds.contains(kind);
    }
}
