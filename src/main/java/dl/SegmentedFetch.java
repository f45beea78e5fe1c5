package dl;

import dl.Transfer.AlreadyThere;
import dl.Transfer.Fatal;
import dl.Transfer.Retry;
import dl.Transfer.State;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One download in segments: a large file whose server answers ranges, fetched over several connections at once by
 * {@link Transfer}'s attempt, which hands it the first answer. Which bytes each connection asks for is
 * {@link Segments}' plan; what is still missing when an attempt ends is saved in the part file ({@link SavedRanges})
 * for the next attempt or run. Every request and the part file's opening go through {@link Transfer}, so that
 * redirects, credentials and the part file's lock have one home, whether a download takes one connection or several.
 */
final class SegmentedFetch {

    /** How often a download in segments saves which ranges it still misses (see {@link SavedRanges}). */
    private static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(1);
    /**
     * The most a segment asks for in one request (or --min-split-size, if larger): what it has not asked for yet is
     * what a connection with nothing left can take from it, and a block costs one request on a kept connection.
     */
    private static final long BLOCK = 4 << 20;

    private final Transfer transfer;
    private final Settings settings;
    private final Limits limits;

    SegmentedFetch(Transfer transfer, Settings settings, Limits limits) {
        this.transfer = transfer;
        this.settings = settings;
        this.limits = limits;
    }

    /**
     * A segment's answer shows that the file is not the one the download began with (a 200 to If-Range, another
     * validator or length): the whole download starts again, over one connection; never a splice of two versions.
     */
    private static final class Changed extends Retry {
        Changed(String reason) {
            super(reason + "; starting again from zero");
        }
    }

    /**
     * Whether this answer starts a download worth fetching over several connections: its server answers ranges (a
     * 206, or Accept-Ranges with a strong validator for If-Range), and what is left is at least two segments' worth.
     * Not with --wait, which asks for one request at a time to a host.
     */
    boolean splits(State state, Http.Response response, long from) {
        if (settings.segments() <= 1 || state.oneConnection || state.total < 0 || settings.hostWait().isPositive()
                || state.total - from < 2 * settings.minSplitSize()) {
            return false;
        }
        String ranges = response.header("Accept-Ranges");
        return response.status() == 206 || ranges != null && ranges.strip().equalsIgnoreCase("bytes") && response.validator() != null;
    }

    /**
     * The missing ranges of the file ({@code state.missing}, or all from {@code from} on while it is null) over
     * several connections at once, each on its own thread in a scope of this download's own, nested in the run's:
     * the first connection goes on reading {@code first} (an answer from byte {@code from}), the others ask for
     * ranges of their own, on as many spare connections as the host and the run allow now. Returns the complete
     * part file, open. If any segment fails, the scope cancels the others and this attempt fails; what the segments
     * wrote stays in {@code state.missing}'s complement, for the next attempt.
     */
    PartFile fetch(State state, Http.Response first, long from, Consumer<Event> emit)
            throws Retry, Fatal, AlreadyThere, InterruptedException {
        // Continuing segments, the first answer was asked for the first missing range only: that range is the
        // first connection's piece, whole. Else the first answer runs to the end, and is split.
        boolean bounded = state.missing != null && !state.missing.isEmpty();
        boolean keep = state.missing != null || from > 0;
        if (state.missing == null) {
            state.missing = List.of(new Segments.Range(from, state.total));
        }
        PartFile part = transfer.openPart(state, from, true, keep);
        // As many connections as there are pieces worth fetching, and the host and the run have free; no more pieces
        // than connections, so that one connection does not ask piece after piece.
        long whole = bounded ? from : -1;
        int worth = new Segments(state.total, state.missing, settings.segments(), settings.minSplitSize(), whole).size();
        List<Limits.Permit> spares = limits.spare(state.job.url(), worth - 1);
        Segments plan = new Segments(state.total, state.missing, 1 + spares.size(), settings.minSplitSize(), whole);
        Segments.Piece firstPiece = plan.claimAt(from);
        emit.accept(new Event.Segmented(state.job, Math.min(1 + spares.size(), plan.size()), plan.ranges()));
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        boolean complete = false;
        boolean changed = false;
        try {
            part.startSegments(state.total, plan.missing());
        } catch (IOException e) {
            part.close();
            spares.forEach(Limits.Permit::close);
            throw new Fatal(Failure.FILE, "cannot write " + state.part + ": " + Format.message(e));
        }
        try (var scope = StructuredTaskScope.open(Joiner.<Void>awaitAllSuccessfulOrThrow(),
                cfg -> cfg.withThreadFactory(settings.threads().segmentFactory()))) {
            plan.starting(1 + spares.size());
            scope.fork(() -> {
                try {
                    fetchPieces(state, plan, firstPiece, first, part, lastProgress, emit);
                } finally {
                    plan.ended();
                }
                return null;
            });
            for (Limits.Permit spare : spares) {
                scope.fork(() -> {
                    try (spare) { // a segment with nothing left to take gives its connection back at once
                        fetchPieces(state, plan, plan.claim(), null, part, lastProgress, emit);
                    } finally {
                        plan.ended();
                    }
                    return null;
                });
            }
            // One more subtask, no connection: every second, what is missing goes into the part file, so that even
            // a killed run leaves a record the next run resumes from (Ctrl-C saves it once more at the end).
            scope.fork(() -> {
                while (!plan.awaitEnd(CHECKPOINT_EVERY.toMillis())) {
                    part.saveMissing(state.total, plan.missing());
                }
                return null;
            });
            scope.join();
            if (!plan.complete()) {
                throw new Retry("the segments ended with " + plan.have() + " of " + state.total + " bytes"); // never: each ends its piece
            }
            part.segmentsDone(state.total);
            complete = true;
            return part;
        } catch (StructuredTaskScope.FailedException failed) {
            switch (failed.getCause()) {
                case Changed change -> {
                    changed = true;
                    part.close();
                    Transfer.restart(state);
                    state.missing = null;
                    state.oneConnection = true;
                    throw change;
                }
                case Retry retry -> throw retry;
                case Fatal fatal -> throw fatal;
                case InterruptedException _ -> throw new InterruptedException();
                case InterruptedIOException _ -> throw new InterruptedException();
                case RuntimeException bug -> throw bug;
                case Error bug -> throw bug;
                case Throwable other -> throw new Retry(Format.message(other));
            }
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            throw new Fatal(Failure.FILE, "cannot write " + state.part + ": " + Format.message(e));
        } finally {
            spares.forEach(Limits.Permit::close);
            if (!complete) {
                if (!changed) {
                    state.missing = plan.missing();
                    part.saveMissingAtTheEnd(state.total, state.missing);
                }
                part.close();
                emit.accept(new Event.Progress(state.job, changed ? 0 : plan.have()));
            }
        }
    }

    /**
     * One segment's thread: fetches its piece, then claims the next (an unclaimed piece, or half of the largest
     * left), until nothing is left. {@code answer}: the download's first answer, already positioned at the piece.
     */
    private void fetchPieces(State state, Segments plan, Segments.Piece piece, Http.Response answer, PartFile part,
            AtomicLong lastProgress, Consumer<Event> emit) throws Retry, Fatal, InterruptedException, InterruptedIOException {
        byte[] buffer = new byte[limits.chunk(Transfer.CHUNK)];
        if (answer != null && piece == null) { // never: the plan has a piece where the first answer begins
            answer.close();
            answer = null;
            piece = plan.claim();
        }
        if (answer != null) {
            plan.askedAll(piece);
        }
        for (; piece != null; piece = plan.claim()) {
            while (plan.next(piece) < plan.end(piece)) {
                try (Http.Response response = answer != null ? answer : ask(state, plan, piece)) {
                    answer = null;
                    copy(state, plan, piece, response, part, buffer, lastProgress, emit);
                }
            }
        }
    }

    /** Asks for what is left of a piece, with If-Range: only the very version the download began with may answer. */
    private Http.Response ask(State state, Segments plan, Segments.Piece piece) throws Retry, Fatal, InterruptedIOException {
        long at = plan.next(piece);
        long end = plan.ask(piece, Math.max(settings.minSplitSize(), BLOCK));
        long asked = System.nanoTime();
        Http.Response response = transfer.send(state, "bytes=" + at + "-" + (end - 1));
        limits.answered(state.job.url(), asked);
        int status = response.status();
        String contentRange = response.header("Content-Range");
        String validator = response.validator();
        if (status == 206 && ResponseHeaders.rangeStart(contentRange) == at && ResponseHeaders.rangeTotal(contentRange) == state.total
                && (validator == null || state.validator == null || validator.equals(state.validator))) {
            return response;
        }
        response.close();
        if (status == 206 || status == 200 || status == 416) {
            throw new Changed(status == 200 ? "the server sent the whole file to a segment's If-Range: it changed meanwhile"
                    : status == 416 ? "the server has no byte " + at + " any more: the file changed meanwhile"
                    : ResponseHeaders.rangeTotal(contentRange) != state.total ? "the file changed length meanwhile ("
                    + state.total + " -> " + ResponseHeaders.rangeTotal(contentRange) + " bytes)"
                    : ResponseHeaders.rangeStart(contentRange) != at ? "the server answered a segment with another range ("
                    + contentRange + " for byte " + at + ")" : "the file changed meanwhile (" + state.validator + " -> " + validator + ")");
        }
        transfer.transientOrStrained(state, response, " to a segment");
        if (status < 0) {
            throw new Retry("the answer to a segment was not HTTP");
        }
        throw new Fatal(Failure.HTTP, Http.describe(status) + " to a segment");
    }

    /** Copies an answer into its piece, at the piece's offset, until the piece ends (it may shrink meanwhile). */
    private void copy(State state, Segments plan, Segments.Piece piece, Http.Response response, PartFile part, byte[] buffer,
            AtomicLong lastProgress, Consumer<Event> emit) throws Retry, Fatal, InterruptedException {
        InputStream body = response.body();
        boolean any = false;
        while (true) {
            long at = plan.next(piece); // only this thread moves it: a thief moves the end only
            long left = Math.min(plan.asked(piece), plan.end(piece)) - at;
            if (left <= 0) {
                return; // the block is in (its connection is kept), or the piece is done
            }
            int n;
            try {
                n = body.read(buffer, 0, (int) Math.min(buffer.length, left));
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()
                        || e instanceof InterruptedIOException && !(e instanceof java.net.SocketTimeoutException)) {
                    throw new InterruptedException();
                }
                if (e instanceof HttpConnection.HttpMalformed malformed) {
                    throw new Fatal(Failure.HTTP, "the body cannot be trusted: " + Format.message(malformed) + "; not retried");
                }
                throw new Retry((e instanceof java.net.SocketTimeoutException ? "stalled: less than " + HttpConnection.LOWEST_BYTES_PER_SECOND
                        + " bytes a second for " + Format.seconds(settings.stallTimeout()) : Format.message(e)) + " in the segment at byte " + at);
            }
            if (n < 0) {
                if (!any) {
                    throw new Retry("a segment's answer ended with no byte at " + at);
                }
                return; // shorter than asked: the caller asks again for the rest
            }
            any = true;
            int take = plan.reserve(piece, n);
            try {
                part.writeAt(at, buffer, take);
            } catch (IOException e) {
                plan.unreserve(piece);
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                throw new Fatal(Failure.FILE, "cannot write " + state.part + ": " + Format.message(e));
            }
            plan.written(piece, take);
            limits.spend(take);
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            long now = System.nanoTime();
            long last = lastProgress.get();
            if (now - last >= Transfer.PROGRESS_EVERY.toNanos() && lastProgress.compareAndSet(last, now)) {
                emit.accept(new Event.Progress(state.job, plan.have()));
            }
        }
    }
}
