package dl;


import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * One download, start to end, on the thread that calls {@link #fetch}: connect, stream into {@code NAME.part},
 * retry what is worth retrying (resuming with Range/If-Range), check length and checksum, make the file durable,
 * then publish it under its final name in one step. It reports only through the events it hands to {@code emit}.
 *
 * <p>Every wait here is the download's own thread blocking: on a connection slot ({@link Limits}), on its
 * socket ({@link Http}), on the disk ({@link Durability}). With virtual threads those waits cost a few KB each.
 */
final class Transfer implements AutoCloseable {

    static final Duration PROGRESS_EVERY = Duration.ofMillis(100);
    /** Bytes read from the socket at once: large reads, few system calls; small bodies get a buffer their size. */
    static final int CHUNK = 128 << 10;

    private final Settings settings;
    private final Limits limits;
    private final Http http;
    private final Durability durability;
    private final RetryPolicy retries;
    private final Cookies cookies;
    private final SegmentedFetch segmented;

    /** {@code cookies}: the run's jar, shared by every download (it is thread-safe). */
    Transfer(Settings settings, Cookies cookies) {
        this.settings = settings;
        this.cookies = cookies;
        this.retries = RetryPolicy.of(settings);
        this.limits = new Limits(settings);
        this.http = new Http(settings.connectTimeout(), settings.stallTimeout(), settings.trust(), settings.proxies());
        this.durability = new Durability(settings.dir());
        this.segmented = new SegmentedFetch(this, settings, limits);
    }

    /** Ctrl-C, from the main thread: wakes downloads blocked waiting for an answer, whatever their thread. */
    void cancel() {
        http.abort();
    }

    /** Called after the scope has closed: every download has ended, so nothing is cut short. */
    @Override
    public void close() {
        durability.close();
    }

    /** An attempt failed, and another may succeed; {@code kind} is the failure if none does. */
    static class Retry extends Exception {
        final Failure kind;
        final Duration retryAfter;

        Retry(Failure kind, String reason, Duration retryAfter) {
            super(reason, null, false, false);
            this.kind = kind;
            this.retryAfter = retryAfter;
        }

        Retry(String reason) {
            this(Failure.NETWORK, reason, null);
        }
    }

    /** The download cannot succeed; nothing is published, and the part file goes unless {@code keepPart}. */
    static final class Fatal extends Exception {
        final Failure kind;
        final boolean keepPart;

        Fatal(Failure kind, String reason, boolean keepPart) {
            super(reason, null, false, false);
            this.kind = kind;
            this.keepPart = keepPart;
        }

        Fatal(Failure kind, String reason) {
            this(kind, reason, false);
        }
    }

    /**
     * Nothing to do: the server named the file and a file of that name came from this very URL before, or the file
     * was published meanwhile by another process (a second run into the folder).
     */
    static final class AlreadyThere extends Exception {
        AlreadyThere(String reason) {
            super(reason, null, false, false);
        }
    }

    /** -N: the server answered 304 to the file's validators; the file there is the current version. */
    private static final class NotModified extends Exception {
        NotModified() {
            super(null, null, false, false);
        }
    }

    /** What one download knows across its attempts. Confined to its own thread. */
    static final class State {
        final Job job;
        final Path part;
        Path target;
        /** The name came from the server's Content-Disposition, not from the plan. */
        boolean serverNamed;
        /** The name the server chose (safe already), of which the target is the first free numbered form. */
        String serverName;
        String validator;
        /** -N: the file already under the planned name, asked about with its validators; null otherwise. */
        LocalCopy local;
        /** A file was under the name when the download began, and the new one replaces it (-N, --overwrite). */
        boolean replaces;
        /** The ETag and Last-Modified of the answer whose body is in the part file. */
        Validators validators = Validators.NONE;
        boolean announced;
        long total = -1;
        long lastProgress;
        /**
         * Null while the part file holds bytes {@code [0, size)}, as one connection writes it; once fetched in
         * segments, the ranges of {@code [0, total)} still missing from it.
         */
        List<Segments.Range> missing;
        /** The file changed while it was fetched in segments: the rest of this download takes one connection. */
        boolean oneConnection;

        State(Job job, Path part, Path target) {
            this.job = job;
            this.part = part;
            this.target = target;
        }
    }

    /** Runs the download to its terminal event. Never throws: every outcome is an event. */
    Event fetch(Job job, Consumer<Event> emit) {
        long began = System.nanoTime();
        Path part = settings.dir().resolve(job.name() + FileNames.PART);
        LocalCopy local = null;
        switch (Existing.of(job, settings)) {
            case Existing.FolderInTheWay(Path folder) ->
                    { return new Event.Failed(job, Failure.FILE, "a folder is in the way: " + folder + " (move it, or name the file with out=)"); }
            case Existing.DoneEarlier(Path file) -> {
                PartFile.dropLeftoverLink(part, file);
                return new Event.Skipped(job, file, "completed in an earlier run (its manifest says so)");
            }
            case Existing.AlreadyThere(Path file) -> {
                PartFile.dropLeftoverLink(part, file);
                return new Event.Skipped(job, file, "already exists (--overwrite replaces it; -N only if the server changed it)");
            }
            case Existing.IfChanged(Path file) -> local = LocalCopy.of(file, job.earlier());
            case Existing.Nothing() -> { }
        }
        Path target = settings.dir().resolve(job.name());
        State state = new State(job, part, target);
        state.local = local;
        state.replaces = local != null || settings.overwrite() && PartFile.attributesOrNull(target) != null;
        state.validator = PartFile.validator(state.part, job.url());
        SavedRanges.Saved saved = state.validator == null ? null : PartFile.savedRanges(state.part);
        if (saved != null) { // an earlier run fetched it in segments: continue with what is missing
            state.missing = saved.missing();
            state.total = saved.total();
        }
        try {
            for (int attempt = 1; ; attempt++) {
                Retry retry;
                // A file is open from the connection until it is published: the descriptors of a run are bounded by
                // the downloads allowed a file, not by those that finished and wait for the disk.
                try (Limits.Permit _ = limits.file(why -> emit.accept(new Event.Waiting(job, why)))) {
                    PartFile complete;
                    try (Limits.Permit _ = limits.acquire(job.url(), why -> emit.accept(new Event.Waiting(job, why)))) {
                        complete = attempt(state, emit);
                    }
                    // The connection is given back already: waiting for the disk holds no slot another download could use.
                    // The part file stays open, and so locked against other runs, until it is published.
                    String sha256;
                    try (complete) {
                        sha256 = finish(state, complete);
                    }
                    return new Event.Completed(job, state.target, complete.size(), Duration.ofNanos(System.nanoTime() - began), sha256,
                            state.replaces, state.validators);
                } catch (Retry again) {
                    if (http.aborted()) {
                        // Ctrl-C closed its sockets (segments read on threads of their own, which the interrupt
                        // reaches only later): the run is stopping, and no retry is worth announcing.
                        throw new InterruptedException();
                    }
                    retry = again;
                }
                if (retries.givesUp(attempt)) {
                    PartFile.delete(state.part);
                    String tries = attempt == 1 ? "1 attempt" : attempt + " attempts";
                    return new Event.Failed(job, retry.kind, retry.getMessage() + " (gave up after " + tries + ")");
                }
                Duration wait = retries.wait(attempt, retry.retryAfter);
                emit.accept(new Event.Retrying(job, attempt, retry.getMessage(), wait));
                Thread.sleep(wait); // holding neither a connection nor a file
            }
        } catch (NotModified unchanged) {
            PartFile.delete(state.part); // a part file of another version, from an earlier run: the server has not that one now
            return new Event.UpToDate(job, state.local.file(), state.local.size(), state.local.validators());
        } catch (AlreadyThere done) {
            return new Event.Skipped(job, state.target, done.getMessage());
        } catch (Fatal fatal) {
            if (!fatal.keepPart) {
                PartFile.delete(state.part);
            }
            return new Event.Failed(job, fatal.kind, fatal.getMessage());
        } catch (InterruptedException | InterruptedIOException e) {
            return interrupted(state, emit);
        }
    }

    private Event interrupted(State state, Consumer<Event> emit) {
        long kept = state.missing == null ? PartFile.size(state.part)
                : state.total - state.missing.stream().mapToLong(Segments.Range::length).sum();
        if (state.announced) {
            emit.accept(new Event.Progress(state.job, kept)); // what arrived since the last progress counts too
        }
        String reason = kept == 0 ? "interrupted"
                : PartFile.validator(state.part, state.job.url()) != null
                ? "interrupted; " + kept + " bytes kept in " + state.part.getFileName() + " for the next run"
                : "interrupted; " + kept + " bytes in " + state.part.getFileName() + ", too few to resume: the next run starts it again";
        return new Event.Failed(state.job, Failure.INTERRUPTED, reason);
    }

    /** One request, streamed to the part file. Returns the complete part file, still open. */
    private PartFile attempt(State state, Consumer<Event> emit)
            throws Retry, Fatal, AlreadyThere, NotModified, InterruptedException, InterruptedIOException {
        // Resume only what can be proved to be the same resource: a validator for If-Range, or (within this run)
        // the length it announced, which the 206 answer must repeat.
        long have = state.missing != null ? state.missing.isEmpty() ? state.total : state.missing.getFirst().from()
                : state.validator != null || state.total >= 0 ? PartFile.size(state.part) : 0;
        long asked = System.nanoTime();
        // Continuing segments, ask for the first missing range only: an open answer would go on sending bytes the
        // file has, until its connection is closed.
        String range = state.missing != null && !state.missing.isEmpty() ? "bytes=" + have + "-" + (state.missing.getFirst().to() - 1)
                : have > 0 || state.missing != null ? "bytes=" + have + "-" : null;
        try (Http.Response response = send(state, range)) {
            limits.answered(state.job.url(), asked);
            int status = response.status();
            if (status == 304 && state.local != null) {
                response.discard(); // it has no body: the connection goes back to the pool
                throw new NotModified();
            }
            if (RetryPolicy.isTransient(status)) {
                response.discard();
            }
            transientOrStrained(state, response, "");
            if (status < 0) {
                throw new Retry("the answer was not HTTP");
            }
            if (status != 200 && status != 206 && !(status == 416 && have > 0)) {
                response.discard();
                throw new Fatal(Failure.HTTP, Http.describe(status));
            }
            long from;
            switch (Resume.decide(have, state.validator != null, state.total, status, response.header("Content-Range"), response.length())) {
                case Resume.Complete complete -> {
                    return openPart(state, complete.size());
                }
                case Resume.StartOver startOver -> {
                    restart(state);
                    state.missing = null;
                    throw new Retry(status == 416 ? Failure.HTTP : Failure.NETWORK, startOver.reason(), null);
                }
                case Resume.Append append -> {
                    if (state.missing != null && append.total() != state.total) {
                        restart(state);
                        state.missing = null;
                        throw new Retry("the resource changed length (" + state.total + " -> " + append.total() + " bytes); starting again from zero");
                    }
                    from = append.from();
                    state.total = append.total();
                }
                case Resume.Replace replace -> {
                    from = 0;
                    state.total = replace.total();
                    state.missing = null; // the whole file again: what earlier segments fetched may be of another version
                }
            }
            state.validators = Validators.of(response.header("ETag"), response.header("Last-Modified"), Instant.now());
            checkSize(state.total, true);
            if (from == 0) {
                state.validator = response.validator();
            }
            chooseName(state, response);
            alreadyThere(state);
            if (!state.announced) {
                state.announced = true;
                long kept = state.missing == null ? from : state.total - state.missing.stream().mapToLong(Segments.Range::length).sum();
                emit.accept(new Event.Started(state.job, state.target, state.total, kept, have > 0 && from == 0));
            }
            PartFile part;
            if (state.missing != null || segmented.splits(state, response, from)) {
                part = segmented.fetch(state, response, from, emit);
            } else {
                part = stream(state, response, from, emit);
            }
            long size = part.size();
            if (state.total >= 0 && size != state.total) {
                part.close();
                if (size > state.total) {
                    restart(state);
                }
                throw new Retry("the body ended after " + size + " of " + state.total + " bytes");
            }
            return part;
        }
    }

    /**
     * Sends the request and follows redirects by {@link Redirects}' rules, choosing the headers for each hop.
     * What went wrong is sorted here: what another attempt may fix is a {@link Retry}, the rest {@link Fatal}.
     */
    Http.Response send(State state, String range) throws Retry, Fatal, InterruptedIOException {
        String unresolvable = limits.unresolvable(state.job.url());
        if (unresolvable != null) {
            throw new Fatal(Failure.NETWORK, unresolvable);
        }
        try {
            return Redirects.follow(http, state.job.url(), hop -> headers(hop, state, range), cookies);
        } catch (Redirects.Refused refused) {
            throw new Fatal(Failure.HTTP, refused.getMessage());
        } catch (Http.Failed e) {
            URI url = e.url;
            if (e.trouble == Http.Trouble.CONNECT_TIMEOUT || e.trouble == Http.Trouble.NO_ANSWER || e.trouble == Http.Trouble.REFUSED) {
                limits.strained(state.job.url()); // the host is overwhelmed, or gone: fewer connections either way
            }
            switch (e.trouble) {
                case CONNECT_TIMEOUT -> throw new Retry("could not connect to " + e.where + " within " + Format.seconds(settings.connectTimeout()));
                case NO_ANSWER -> throw new Retry("no answer from " + e.where + " within " + Format.seconds(settings.stallTimeout()));
                case REFUSED, PROXY_TROUBLE -> throw new Retry(e.getMessage());
                case UNKNOWN_HOST -> {
                    // A fact about the host, not about this attempt: every download of it fails now, none retries.
                    String reason = "cannot resolve the host name " + url.getHost();
                    limits.unresolvable(url, reason);
                    throw new Fatal(Failure.NETWORK, reason);
                }
                case PROXY_REFUSED -> throw new Fatal(Failure.NETWORK, e.getMessage() + "; not retried");
                case MALFORMED -> throw new Fatal(Failure.HTTP, "the answer of " + e.where + " cannot be trusted: " + e.getMessage() + "; not retried");
                case UNTRUSTED -> throw new Fatal(Failure.NETWORK, "TLS: " + Tls.inWords(e) + "; not retried");
                case NOT_TLS -> throw new Fatal(Failure.NETWORK, "TLS: " + url.getAuthority()
                        + " does not answer in TLS (a plain http port? try http://); not retried");
            }
            throw new AssertionError(e.trouble);
        } catch (InterruptedIOException cancelled) {
            throw cancelled;
        } catch (IOException | IllegalArgumentException e) {
            throw new Retry(Format.message(e));
        }
    }

    /**
     * The request headers for one hop: credentials only where {@link Redirects#mayCarry} lets them go, and the
     * jar's cookies for this URL after a Cookie header the user gave.
     */
    private Map<String, String> headers(URI url, State state, String range) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", settings.userAgent());
        if (state.local != null) {
            // With a Range too: a 304 means the file there is current; else If-Range decides on the part file.
            headers.putAll(state.local.conditions());
        }
        if (range != null) {
            headers.put("Range", range);
            if (state.validator != null) {
                headers.put("If-Range", state.validator);
            }
        }
        for (List<String> given : List.of(settings.headers(), state.job.headers())) {
            for (String header : given) {
                if (Redirects.mayCarry(Headers.name(header), state.job.url(), url, settings.locationTrusted())) {
                    headers.put(Headers.name(header), Headers.value(header));
                }
            }
        }
        String jar = cookies.header(url);
        if (jar != null) {
            String given = headers.keySet().stream().filter(name -> name.equalsIgnoreCase("Cookie")).findFirst().orElse(null);
            String value = given == null ? jar : headers.remove(given) + "; " + jar;
            headers.put("Cookie", value);
        }
        return headers;
    }

    /**
     * Opens the part file at {@code from}, locked against other processes; one that cannot be opened is left as it
     * is (it may be another run's). Once it is locked, no other run can publish this file: if one did meanwhile,
     * there is nothing left to do.
     */
    private PartFile openPart(State state, long from) throws Fatal, Retry, AlreadyThere {
        return openPart(state, from, false, false);
    }

    /** The same; {@code segments}: for writing in segments, keeping what the file holds ({@code keep}) or fresh. */
    PartFile openPart(State state, long from, boolean segments, boolean keep) throws Fatal, Retry, AlreadyThere {
        PartFile part;
        try {
            part = segments ? PartFile.openSegmented(state.part, keep, from, state.job.url(), state.validator, state.total, durability)
                    : PartFile.open(state.part, from, state.job.url(), state.validator, state.total, durability);
        } catch (IOException e) {
            alreadyThere(state); // the other run has just finished it
            if ((from > 0 || segments && keep) && PartFile.attributesOrNull(state.part) == null) {
                restart(state);
                throw new Retry("the part file to resume was removed meanwhile (by another process?); starting again");
            }
            throw new Fatal(Failure.FILE, "cannot write " + state.part + ": " + Format.message(e), true);
        }
        try {
            alreadyThere(state);
        } catch (AlreadyThere done) {
            part.discard();
            throw done;
        }
        return part;
    }

    /**
     * Throws when the file is there already: the server named it and it came from this URL before (a rerun: not
     * x.1, x.2, ...), or another process published it since this download began (a second run into the folder).
     */
    private void alreadyThere(State state) throws AlreadyThere {
        if (settings.overwrite() || state.local != null) {
            return;
        }
        if (state.serverNamed) {
            Path before = PartFile.publishedFrom(settings.dir().resolve(state.serverName), state.job.url(),
                    name -> state.job.planned().forAnother(name, state.job.name()));
            if (before != null) {
                state.target = before;
                throw new AlreadyThere("already downloaded from this URL (the server named it)");
            }
        } else if (PartFile.attributesOrNull(state.target) != null) {
            throw new AlreadyThere(APPEARED);
        }
    }

    private static final String APPEARED = "already exists: another process downloaded it meanwhile (--overwrite replaces it)";

    /** Copies the body into the part file from {@code from} on; returns the part file, open, when the body ended. */
    private PartFile stream(State state, Http.Response response, long from, Consumer<Event> emit)
            throws Retry, Fatal, AlreadyThere, InterruptedException {
        PartFile part = openPart(state, from);
        boolean ended = false;
        try {
            InputStream body = response.body();
            long left = state.total < 0 ? CHUNK : state.total - from;
            byte[] buffer = new byte[Math.clamp(left + 1, 1, limits.chunk(CHUNK))];
            while (true) {
                int n;
                try {
                    n = body.read(buffer);
                } catch (IOException e) {
                    if (Thread.currentThread().isInterrupted()
                            || e instanceof InterruptedIOException && !(e instanceof java.net.SocketTimeoutException)) {
                        throw new InterruptedException();
                    }
                    progress(state, part.size(), emit, true);
                    if (e instanceof HttpConnection.HttpMalformed malformed) {
                        throw new Fatal(Failure.HTTP, "the body cannot be trusted: " + Format.message(malformed) + "; not retried");
                    }
                    String why = e instanceof java.net.SocketTimeoutException
                            ? "stalled: less than " + HttpConnection.LOWEST_BYTES_PER_SECOND + " bytes a second for "
                            + Format.seconds(settings.stallTimeout()) : Format.message(e);
                    throw new Retry(why + " after " + part.size() + " bytes");
                }
                if (n < 0) {
                    break;
                }
                checkSize(part.size() + n, false);
                part.write(buffer, n);
                limits.spend(n);
                // A platform thread is not woken by an interrupt while it reads a socket; between reads it sees it.
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                progress(state, part.size(), emit, false);
            }
            // No last Progress event: Completed, or the Retrying that a short body leads to, carries the size.
            ended = true;
            return part;
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            throw new Fatal(Failure.FILE, "cannot write " + state.part + ": " + Format.message(e));
        } finally {
            if (!ended) {
                part.close();
            }
        }
    }

    /**
     * A 429 or 503 strains the host's window; a transient status (its body already dropped) is a {@link Retry},
     * and one with Retry-After pauses every request to the host.
     */
    void transientOrStrained(State state, Http.Response response, String what) throws Retry {
        int status = response.status();
        if (status == 429 || status == 503) {
            limits.strained(state.job.url());
        }
        if (RetryPolicy.isTransient(status)) {
            Duration after = ResponseHeaders.retryAfter(response.header("Retry-After"), Instant.now());
            if (RetryPolicy.pausesHost(status, after)) {
                limits.pause(state.job.url(), Instant.now().plus(retries.wait(1, after)));
            }
            throw new Retry(Failure.HTTP, Http.describe(status) + what, after);
        }
    }

    private void progress(State state, long size, Consumer<Event> emit, boolean always) {
        long now = System.nanoTime();
        if (always || now - state.lastProgress >= PROGRESS_EVERY.toNanos()) {
            state.lastProgress = now;
            emit.accept(new Event.Progress(state.job, size));
        }
    }

    private void checkSize(long size, boolean announced) throws Fatal {
        if (settings.maxSize() > 0 && size > settings.maxSize()) {
            throw new Fatal(Failure.HTTP, "larger than --max-size " + settings.maxSize() + " bytes ("
                    + (announced ? "the server announces " + size : "more than that arrived") + ")");
        }
    }

    /**
     * Verifies the checksum, waits until the file is on the disk, then publishes it under its final name.
     * Returns the file's SHA-256 when the run records digests, else null.
     */
    private String finish(State state, PartFile complete) throws Fatal, AlreadyThere, InterruptedException {
        Job.Checksum checksum = state.job.checksum();
        String sha256 = null;
        try {
            if (checksum != null) {
                String actual = complete.digest(checksum.algorithm());
                if (!actual.equals(checksum.hex())) {
                    throw new Fatal(Failure.CHECKSUM, checksum.algorithm() + " mismatch: expected " + checksum.hex() + ", got " + actual);
                }
                sha256 = checksum.algorithm().equals(Job.Checksum.SHA_256) ? actual : null;
            }
            if (settings.digests() && sha256 == null) {
                sha256 = complete.digest(Job.Checksum.SHA_256);
            }
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException(); // the interrupt closed the part file's channel: Ctrl-C, not a disk error
            }
            throw new Fatal(Failure.FILE, "cannot read " + state.part + " for its digest: " + Format.message(e));
        }
        try {
            complete.makeDurable();
        } catch (IOException e) {
            throw new Fatal(Failure.FILE, "cannot write " + state.part + " to the disk: " + Format.message(e));
        }
        try {
            // A planned name is never numbered: the plan gave it to this URL, so a file under it came from elsewhere.
            Iterator<Path> names = state.serverNamed ? candidates(state, state.serverName).iterator() : List.of(state.target).iterator();
            // -N replaces the file it asked about, in one rename: the old version until then, the new one after.
            state.target = complete.publish(names, settings.overwrite() || state.local != null, state.total);
            if (state.serverNamed) {
                PartFile.recordSource(state.target, state.job.url());
            }
            LocalCopy.remember(state.target, state.validators, settings.remoteTime());
        } catch (java.nio.file.FileAlreadyExistsException appeared) {
            if (state.serverNamed) {
                throw new Fatal(Failure.FILE, "cannot publish " + state.target + ": every numbered form of the name is taken"
                        + "; the complete data is kept in " + state.part, true);
            }
            complete.discard(); // not a second copy
            throw new AlreadyThere(APPEARED);
        } catch (IOException e) {
            throw new Fatal(Failure.FILE, "cannot publish " + state.target + ": " + Format.message(e)
                    + "; the complete data is kept in " + state.part, true);
        }
        return settings.digests() ? sha256 : null;
    }

    /** The server will not continue where we are: drop what we have. */
    static void restart(State state) {
        PartFile.delete(state.part);
        state.validator = null;
        state.total = -1;
        state.missing = null;
    }

    /**
     * A Content-Disposition name wins when the URL has no name of its own, or always with --content-disposition.
     * The list's own names come first: the file gets the first of the name's numbered forms that the plan gives no
     * other download and (without --overwrite) no file has.
     */
    private void chooseName(State state, Http.Response response) {
        String header = response.header("Content-Disposition");
        if (state.local != null) {
            return; // -N replaces the file it asked about, never one of another name
        }
        if (header == null || !settings.contentDisposition() && FileNames.urlHasName(state.job.url())) {
            return;
        }
        String name = FileNames.fromServer(header);
        if (name != null) {
            state.serverName = name;
            state.serverNamed = true;
            state.target = candidates(state, name).filter(path -> settings.overwrite() || PartFile.attributesOrNull(path) == null)
                    .findFirst().orElseGet(() -> candidates(state, name).findFirst().orElse(settings.dir().resolve(name)));
        }
    }

    /**
     * The names a download may publish under, in order: {@code name}, then {@code NAME.1.ext}, {@code NAME.2.ext},
     * ... (at most 1000), without those the plan gives another download of the list.
     */
    private Stream<Path> candidates(State state, String name) {
        return IntStream.rangeClosed(0, 1000).mapToObj(n -> n == 0 ? name : FileNames.numbered(name, n))
                .filter(candidate -> !state.job.planned().forAnother(candidate, state.job.name()))
                .map(settings.dir()::resolve);
    }
}
