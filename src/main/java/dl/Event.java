package dl;

import java.nio.file.Path;
import java.time.Duration;

/** What a download tells the main thread. Each event names its download; the last one is terminal. */
public sealed interface Event {
    Job job();

    /**
     * The server answered; {@code length} is -1 when it did not announce one. {@code kept}: bytes of an earlier
     * run or attempt that the download continues from; {@code restarted}: the part file had bytes, and the
     * server would not continue them (it ignores ranges, or the file changed), so it starts from zero.
     */
    record Started(Job job, Path file, long length, long kept, boolean restarted) implements Event {}

    /**
     * The download is fetched over {@code connections} connections at once, in these segments (byte ranges
     * {@code [from, to)}); a segment that ends takes half of the largest left, so the pieces change as it goes.
     */
    record Segmented(Job job, int connections, java.util.List<Segments.Range> segments) implements Event {}

    /** Bytes now in the file (may go down when a server forces a restart from zero). */
    record Progress(Job job, long bytes) implements Event {}

    /** The download waits before its next request: for a connection slot, --wait, or a host's Retry-After. */
    record Waiting(Job job, String why) implements Event {}

    /** An attempt failed in a way worth another try, after {@code delay}. */
    record Retrying(Job job, int attempt, String reason, Duration delay) implements Event {}

    /**
     * Terminal: the file is complete under its final name; its SHA-256 when the run keeps a manifest.
     * {@code updated}: it replaced a file that was there (-N found a newer version, or --overwrite);
     * {@code validators}: the server's ETag and Last-Modified for it, as far as they could be read.
     */
    record Completed(Job job, Path file, long bytes, Duration elapsed, String sha256, boolean updated, Validators validators)
            implements Event {
        Completed(Job job, Path file, long bytes, Duration elapsed, String sha256) {
            this(job, file, bytes, elapsed, sha256, false, Validators.NONE);
        }
    }

    /**
     * Terminal, with -N: the server answered 304 Not Modified to the validators of the file already there, so the
     * file was left as it was, no body read. {@code validators}: those it was asked with.
     */
    record UpToDate(Job job, Path file, long bytes, Validators validators) implements Event {}

    /** Terminal: nothing was published under the final name. */
    record Failed(Job job, Failure kind, String reason) implements Event {}

    /** Terminal: nothing to do, e.g. the file is already there. */
    record Skipped(Job job, Path file, String why) implements Event {}
}
