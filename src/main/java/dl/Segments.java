package dl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which bytes of one file each of its connections fetches, as aria2c and axel split a file. The missing bytes are
 * cut into pieces; a connection claims a piece, and one that has nothing left to claim takes the second half of
 * the largest piece still being fetched (work stealing), so that all connections end at about the same time.
 * No piece is cut below {@code minSplit} bytes: a new connection costs a request, and a tiny piece saves nothing.
 *
 * <p>The segment threads of one download share this table; every method holds its lock for a few arithmetic steps
 * only, never while a byte is read or written. A piece has three cursors: {@code asked}, up to where its connection
 * has asked the server for bytes (a thief takes only what nobody asked for yet, so no byte is sent twice: a
 * connection asks block by block, keeping its connection alive between them), {@code reserved}, up to where it has
 * taken bytes to write, and {@code written}, up to where they are in the file (what is saved for resuming).
 */
final class Segments {

    /** Bytes {@code [from, to)} of the file. */
    record Range(long from, long to) {
        long length() {
            return to - from;
        }
    }

    /** One connection's share: bytes {@code [start, end)}, of which {@code [start, written)} are in the file. */
    static final class Piece {
        private final long start;
        private long asked;
        private long reserved;
        private long written;
        private long end;
        private boolean claimed;

        private Piece(long start, long end) {
            this.start = start;
            this.asked = start;
            this.reserved = start;
            this.written = start;
            this.end = end;
        }
    }

    private final long total;
    private final long minSplit;
    private final List<Piece> pieces = new ArrayList<>();
    /** Bytes in the file that no piece covers: fetched before this plan was made. */
    private final long before;
    /** Segment threads that have not ended yet. */
    private int working;

    /**
     * A plan for fetching {@code missing} (sorted, disjoint ranges of a file of {@code total} bytes) over at most
     * {@code connections} connections: the largest range is halved until there are that many pieces, or no piece
     * is at least twice {@code minSplit}. The range that starts at {@code whole} (-1: none) stays whole: an answer
     * for all of it is under way already.
     */
    Segments(long total, List<Range> missing, int connections, long minSplit, long whole) {
        this.total = total;
        this.minSplit = Math.max(1, minSplit);
        long missingBytes = 0;
        for (Range range : missing) {
            pieces.add(new Piece(range.from(), range.to()));
            missingBytes += range.length();
        }
        this.before = total - missingBytes;
        while (pieces.size() < connections) {
            Piece largest = pieces.stream().filter(p -> p.start != whole).max(Comparator.comparingLong(p -> p.end - p.start)).orElse(null);
            if (largest == null || largest.end - largest.start < 2 * this.minSplit) {
                break;
            }
            long middle = largest.start + (largest.end - largest.start) / 2;
            pieces.add(pieces.indexOf(largest) + 1, new Piece(middle, largest.end));
            largest.end = middle;
        }
    }

    /** How many pieces the plan starts with: more connections than this would have nothing to fetch. */
    synchronized int size() {
        return pieces.size();
    }

    /** The pieces as planned, for --verbose and --json. */
    synchronized List<Range> ranges() {
        return pieces.stream().map(p -> new Range(p.start, p.end)).toList();
    }

    /**
     * The piece for a connection that holds an answer beginning at byte {@code at}: the unclaimed piece that starts
     * there (the download's first connection, whose open-ended answer started at the first missing byte); null if
     * none does.
     */
    synchronized Piece claimAt(long at) {
        for (Piece piece : pieces) {
            if (!piece.claimed && piece.start == at) {
                piece.claimed = true;
                return piece;
            }
        }
        return null;
    }

    /**
     * Work for a connection that has none: an unclaimed piece, else the second half of the largest piece another
     * connection is still fetching, if at least {@code 2 * minSplit} of it is not taken yet. Null: nothing left.
     */
    synchronized Piece claim() {
        for (Piece piece : pieces) {
            if (!piece.claimed && piece.reserved < piece.end) {
                piece.claimed = true;
                return piece;
            }
        }
        Piece largest = null;
        for (Piece piece : pieces) {
            if (largest == null || piece.end - unasked(piece) > largest.end - unasked(largest)) {
                largest = piece;
            }
        }
        if (largest == null || largest.end - unasked(largest) < 2 * minSplit) {
            return null;
        }
        long middle = unasked(largest) + (largest.end - unasked(largest)) / 2;
        Piece stolen = new Piece(middle, largest.end);
        stolen.claimed = true;
        largest.end = middle;
        pieces.add(pieces.indexOf(largest) + 1, stolen);
        return stolen;
    }

    /** Where the bytes of a piece begin that no connection has asked for yet. */
    private static long unasked(Piece piece) {
        return Math.max(piece.asked, piece.reserved);
    }

    /**
     * A connection asks for the next block of its piece, at most {@code block} bytes from {@link #next}; returns the
     * end of what it may ask for (exclusive). From now on no thief takes those bytes.
     */
    synchronized long ask(Piece piece, long block) {
        piece.asked = Math.min(piece.end, piece.reserved + block);
        return piece.asked;
    }

    /** The first connection's answer runs to the end of the file: its whole piece counts as asked for. */
    synchronized void askedAll(Piece piece) {
        piece.asked = piece.end;
    }

    /** The end of what the piece's connection asked for: its answer ends there. */
    synchronized long asked(Piece piece) {
        return piece.asked;
    }

    /** The next byte a connection should ask for in its piece (where it resumes after a request failed). */
    synchronized long next(Piece piece) {
        return piece.reserved;
    }

    /** The end of the piece as it is now: a thief may have taken its second half since it was asked for. */
    synchronized long end(Piece piece) {
        return piece.end;
    }

    /**
     * Takes up to {@code n} bytes of the piece for writing, at {@link #next}; returns how many may be written (fewer
     * when the piece ends sooner, 0 when it is done). The caller writes them, then calls {@link #written}.
     */
    synchronized int reserve(Piece piece, int n) {
        int take = (int) Math.min(n, Math.min(piece.asked, piece.end) - piece.reserved);
        piece.reserved += take;
        return take;
    }

    /** {@code n} reserved bytes of the piece are now in the file. */
    synchronized void written(Piece piece, int n) {
        piece.written += n;
    }

    /** Gives back reserved bytes that were not written (the write failed), so that they are fetched again. */
    synchronized void unreserve(Piece piece) {
        piece.reserved = piece.written;
    }

    /** Bytes of the file that are in it: fetched before the plan, and written since. */
    synchronized long have() {
        long have = before;
        for (Piece piece : pieces) {
            have += piece.written - piece.start;
        }
        return have;
    }

    /** {@code n} segment threads are about to start. */
    synchronized void starting(int n) {
        working += n;
    }

    /** A segment thread has ended, whatever way. */
    synchronized void ended() {
        working--;
        notifyAll();
    }

    /** Waits until every segment thread has ended, or for {@code millis}; true when they have. */
    synchronized boolean awaitEnd(long millis) throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000;
        for (long left = millis; working > 0 && left > 0; left = (until - System.nanoTime()) / 1_000_000) {
            wait(left);
        }
        return working == 0;
    }

    /** Whether every byte of the file is in it. */
    synchronized boolean complete() {
        return have() == total;
    }

    /** The ranges still missing from the file, sorted: what a retry, or the next run, has to fetch. */
    synchronized List<Range> missing() {
        List<Range> missing = new ArrayList<>();
        pieces.stream().sorted(Comparator.comparingLong(p -> p.start)).forEach(p -> {
            if (p.written < p.end) {
                missing.add(new Range(p.written, p.end));
            }
        });
        return merged(missing);
    }

    /** Adjacent ranges joined: {@code [0,5) [5,9)} is {@code [0,9)}. */
    static List<Range> merged(List<Range> sorted) {
        List<Range> merged = new ArrayList<>();
        for (Range range : sorted) {
            if (range.length() <= 0) {
                continue;
            }
            if (!merged.isEmpty() && merged.getLast().to() >= range.from()) {
                Range last = merged.removeLast();
                merged.add(new Range(last.from(), Math.max(last.to(), range.to())));
            } else {
                merged.add(range);
            }
        }
        return merged;
    }

    /** The complement of {@code missing} in {@code [0, total)}: the ranges that are in the file. */
    static List<Range> done(long total, List<Range> missing) {
        List<Range> done = new ArrayList<>();
        long at = 0;
        for (Range range : missing) {
            if (range.from() > at) {
                done.add(new Range(at, range.from()));
            }
            at = range.to();
        }
        if (at < total) {
            done.add(new Range(at, total));
        }
        return done;
    }
}
