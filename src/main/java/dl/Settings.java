package dl;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a download thread may read: fixed before the first fork, never changed after.
 * {@code perHost}: connections to one host at once, or {@link #ADAPTIVE} for a window that follows the host's
 * answers ({@link HostWindow}). {@code digests}: compute the SHA-256 of every published file (for --manifest).
 * {@code timestamping} (-N): ask the server whether a file already there has changed, and replace it only if so.
 * {@code remoteTime}: give a published file the server's Last-Modified as its modification time.
 * {@code segments}: connections one file may be fetched over at once (-x); {@code minSplitSize}: no segment is cut
 * smaller than this (--min-split-size), so a file below twice it is fetched over one connection.
 */
public record Settings(
        Path dir,
        Threads threads,
        int maxConnections,
        int perHost,
        int retries,
        Duration retryDelay,
        Duration maxRetryWait,
        Duration connectTimeout,
        Duration stallTimeout,
        long maxSize,
        boolean overwrite,
        boolean contentDisposition,
        boolean locationTrusted,
        List<String> headers,
        String userAgent,
        Tls.Trust trust,
        Duration hostWait,
        boolean randomWait,
        long limitRate,
        Proxies proxies,
        boolean digests,
        boolean timestamping,
        boolean remoteTime,
        int segments,
        long minSplitSize) {

    public static final String USER_AGENT = "Download.java/0.1";

    /** {@code perHost} when no --per-host was given: as many connections as the host answers well. */
    public static final int ADAPTIVE = 0;

    public Settings {
        headers = List.copyOf(headers);
    }

    /** The same settings with {@code segments} connections per file, each segment at least {@code minSplitSize}. */
    Settings withSegments(int segments, long minSplitSize) {
        return new Settings(dir, threads, maxConnections, perHost, retries, retryDelay, maxRetryWait, connectTimeout, stallTimeout,
                maxSize, overwrite, contentDisposition, locationTrusted, headers, userAgent, trust, hostWait, randomWait, limitRate,
                proxies, digests, timestamping, remoteTime, segments, minSplitSize);
    }
}
