package dl;

import dl.Download.Event;
import dl.Download.Failure;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One download, start to end, on the thread that calls {@link #fetch}: connect, stream into {@code NAME.part},
 * retry what is worth retrying (resuming with Range/If-Range), check length and checksum, then publish the
 * file under its final name in one step. It reports only through the events it hands to {@code emit}.
 */
final class Transfer implements AutoCloseable {

    private static final Set<Integer> TRANSIENT = Set.of(408, 429, 500, 502, 503, 504);
    private static final Duration PROGRESS_EVERY = Duration.ofMillis(100);
    /**
     * Bytes written between two writebacks started in the background. Without them the kernel holds a large
     * file in memory until the final fsync, and the disk starts only when the network has finished.
     */
    private static final long WRITEBACK_EVERY = 8 << 20;

    private final Settings settings;
    private final Limits limits;
    private final ExecutorService httpThreads;
    private final HttpClient http;
    /**
     * fsync pins a virtual thread's carrier for its whole duration (about a millisecond here), so on two
     * carriers 5,000 small files were forced one or two at a time: 6 s instead of 1.3 s. The download thread
     * hands the call to these platform threads and waits, unmounted; the kernel then batches the flushes.
     */
    private final ExecutorService flushers = Executors.newFixedThreadPool(16, Thread.ofPlatform().daemon().name("flush-", 0).factory());

    /** The HTTP client runs its own tasks on threads of the same kind as the downloads, so both modes stay pure. */
    Transfer(Settings settings) {
        this.settings = settings;
        this.limits = new Limits(settings);
        this.httpThreads = settings.threads().executor();
        this.http = HttpClient.newBuilder()
                .executor(httpThreads)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(ProxySelector.getDefault())
                .build();
    }

    /** Called after the scope has closed: every download has ended, so nothing is cut short. */
    @Override
    public void close() {
        http.close();
        httpThreads.close();
        flushers.close();
    }

    /** An attempt failed, and another may succeed; {@code kind} is the failure if none does. */
    private static final class Retry extends Exception {
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

    /** The download cannot succeed; nothing is published. */
    private static final class Fatal extends Exception {
        final Failure kind;

        Fatal(Failure kind, String reason) {
            super(reason, null, false, false);
            this.kind = kind;
        }
    }

    /** What one download knows across its attempts. Confined to its own thread. */
    private static final class State {
        final Job job;
        final Path part;
        Path target;
        String validator;
        boolean announced;
        long total = -1;
        long lastProgress;

        State(Job job, Path part, Path target) {
            this.job = job;
            this.part = part;
            this.target = target;
        }
    }

    /** Runs the download to its terminal event. Never throws: every outcome is an event. */
    Event fetch(Job job, Consumer<Event> emit) {
        long began = System.nanoTime();
        Path target = settings.dir().resolve(job.name());
        if (!settings.overwrite() && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return new Event.Skipped(job, target, "already exists (--overwrite replaces it)");
        }
        State state = new State(job, settings.dir().resolve(job.name() + FileNames.PART), target);
        state.validator = PartFile.validator(state.part, job.url());
        try {
            for (int attempt = 1; ; attempt++) {
                try (Limits.Permit permit = limits.acquire(job.url())) {
                    long bytes = attempt(state, emit);
                    return new Event.Completed(job, state.target, bytes, Duration.ofNanos(System.nanoTime() - began));
                } catch (Retry retry) {
                    if (attempt > settings.retries()) {
                        PartFile.delete(state.part);
                        String tries = attempt == 1 ? "1 attempt" : attempt + " attempts";
                        return new Event.Failed(job, retry.kind, retry.getMessage() + " (gave up after " + tries + ")");
                    }
                    Duration wait = backoff(attempt, retry.retryAfter);
                    emit.accept(new Event.Retrying(job, attempt, retry.getMessage(), wait));
                    Thread.sleep(wait);
                }
            }
        } catch (Fatal fatal) {
            PartFile.delete(state.part);
            return new Event.Failed(job, fatal.kind, fatal.getMessage());
        } catch (InterruptedException | ClosedByInterruptException | InterruptedIOException e) {
            return interrupted(state);
        }
    }

    private Event interrupted(State state) {
        long kept = PartFile.size(state.part);
        String reason = kept == 0 ? "interrupted"
                : PartFile.validator(state.part, state.job.url()) != null
                ? "interrupted; " + kept + " bytes kept in " + state.part.getFileName() + " for the next run"
                : "interrupted; " + kept + " bytes in " + state.part.getFileName() + ", too few to resume: the next run starts it again";
        return new Event.Failed(state.job, Failure.INTERRUPTED, reason);
    }

    /** Exponential from --retry-delay, capped, with jitter so that a batch does not retry in lockstep. */
    Duration backoff(int attempt, Duration retryAfter) {
        Duration cap = settings.maxRetryWait();
        if (retryAfter != null) {
            return retryAfter.compareTo(cap) > 0 ? cap : retryAfter;
        }
        double base = settings.retryDelay().toNanos() * Math.pow(2, Math.min(attempt - 1, 30));
        double jittered = Math.min(base, cap.toNanos()) * ThreadLocalRandom.current().nextDouble(0.5, 1.0);
        return Duration.ofNanos((long) jittered);
    }

    /** One request, streamed to the part file. Returns the final size once the file is published. */
    private long attempt(State state, Consumer<Event> emit)
            throws Retry, Fatal, InterruptedException, ClosedByInterruptException, InterruptedIOException {
        // Resume only what can be proved to be the same resource: a validator for If-Range, or (within this run)
        // the length it announced, which the 206 answer must repeat.
        long have = state.validator != null || state.total >= 0 ? PartFile.size(state.part) : 0;
        HttpResponse<BodyStream> response = send(state, have);
        try (BodyStream body = response.body()) {
            int status = response.statusCode();
            HttpHeaders headers = response.headers();
            if (status == 416 && have > 0) {
                if (ResponseHeaders.rangeTotal(headers) == have) {
                    return finish(state, have);
                }
                restart(state);
                throw new Retry(Failure.HTTP, "HTTP 416: the server cannot resume at byte " + have + "; starting again from zero", null);
            }
            if (TRANSIENT.contains(status)) {
                Duration after = ResponseHeaders.retryAfter(headers.firstValue("Retry-After").orElse(null), Instant.now());
                if (after != null && (status == 429 || status == 503)) {
                    Duration capped = backoff(1, after);
                    limits.pause(state.job.url(), Instant.now().plus(capped));
                }
                throw new Retry(Failure.HTTP, "HTTP " + status + reasonPhrase(status), after);
            }
            if (status != 200 && status != 206) {
                throw new Fatal(Failure.HTTP, "HTTP " + status + reasonPhrase(status));
            }
            long from = 0;
            if (status == 206) {
                from = ResponseHeaders.rangeStart(headers);
                if (from != have) {
                    restart(state);
                    throw new Retry("the server resumed at byte " + from + " instead of " + have + "; starting again from zero");
                }
                long total = ResponseHeaders.rangeTotal(headers);
                if (state.validator == null && total != state.total) {
                    restart(state);
                    throw new Retry("the resource changed length (" + state.total + " -> " + total + " bytes); starting again from zero");
                }
                state.total = total;
            } else {
                state.total = headers.firstValueAsLong("Content-Length").orElse(-1);
            }
            checkSize(state.total);
            if (from == 0) {
                state.validator = validator(headers);
            }
            chooseName(state, headers);
            if (!state.announced) {
                state.announced = true;
                emit.accept(new Event.Started(state.job, state.target, state.total));
            }
            long size = stream(state, body, from, emit);
            if (state.total >= 0 && size != state.total) {
                if (size > state.total) {
                    restart(state);
                }
                throw new Retry("the body ended after " + size + " of " + state.total + " bytes");
            }
            return finish(state, size);
        }
    }

    /** Sends the request, following redirects ourselves (see {@link Redirects}) so that every hop keeps the rules. */
    private HttpResponse<BodyStream> send(State state, long from)
            throws Retry, Fatal, InterruptedException, InterruptedIOException {
        URI url = state.job.url();
        Set<URI> seen = new HashSet<>(List.of(url));
        for (int hop = 0; ; hop++) {
            HttpResponse<BodyStream> response = exchange(request(url, state, from));
            int status = response.statusCode();
            if (!Redirects.isRedirect(status)) {
                return response;
            }
            response.body().close();
            URI next;
            try {
                next = Redirects.next(url, status, response.headers().firstValue("Location").orElse(null), hop);
            } catch (Redirects.Refused refused) {
                throw new Fatal(Failure.HTTP, refused.getMessage());
            }
            if (!seen.add(next)) {
                throw new Fatal(Failure.HTTP, "redirect loop: " + UrlList.shorten(url.toString()) + " leads back to " + UrlList.shorten(next.toString()));
            }
            url = next;
        }
    }

    private HttpRequest request(URI url, State state, long from) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET()
                .timeout(settings.stallTimeout())
                .header("User-Agent", settings.userAgent());
        if (from > 0) {
            request.header("Range", "bytes=" + from + "-");
            if (state.validator != null) {
                request.header("If-Range", state.validator);
            }
        }
        for (List<String> given : List.of(settings.headers(), state.job.headers())) {
            for (String header : given) {
                if (Redirects.mayCarry(Headers.name(header), state.job.url(), url, settings.locationTrusted())) {
                    request.setHeader(Headers.name(header), Headers.value(header));
                }
            }
        }
        return request.build();
    }

    private HttpResponse<BodyStream> exchange(HttpRequest request) throws Retry, InterruptedException, InterruptedIOException {
        try {
            return http.send(request, info -> new BodyStream(settings.stallTimeout()));
        } catch (HttpConnectTimeoutException e) {
            throw new Retry("could not connect within " + Format.seconds(settings.connectTimeout()));
        } catch (HttpTimeoutException e) {
            throw new Retry("no answer within " + Format.seconds(settings.stallTimeout()));
        } catch (ConnectException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof java.nio.channels.UnresolvedAddressException) {
                    throw new Retry("cannot resolve the host name " + request.uri().getHost());
                }
            }
            throw new Retry("cannot connect to " + request.uri().getAuthority() + " (" + message(e) + ")");
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            throw new Retry(message(e));
        }
    }

    /** Copies the body into the part file from {@code from} on; returns the size of the part file after. */
    private long stream(State state, BodyStream body, long from, Consumer<Event> emit)
            throws Retry, Fatal, InterruptedException, ClosedByInterruptException {
        long size = from;
        long writtenBackAt = from;
        Future<?> writeback = null;
        try (FileChannel file = PartFile.open(state.part, from, state.job.url(), state.validator, state.total)) {
            while (true) {
                List<ByteBuffer> buffers;
                try {
                    buffers = body.next();
                } catch (InterruptedIOException e) {
                    throw new InterruptedException();
                } catch (IOException e) {
                    progress(state, size, emit, true);
                    throw new Retry(message(e) + " after " + size + " bytes");
                }
                if (buffers == null) {
                    break;
                }
                ByteBuffer[] batch = buffers.toArray(ByteBuffer[]::new);
                long bytes = 0;
                for (ByteBuffer buffer : batch) {
                    bytes += buffer.remaining();
                }
                size += bytes;
                checkSize(size);
                // One gathering write per batch the client hands over, not one per buffer.
                for (long written = 0; written < bytes; ) {
                    written += file.write(batch);
                }
                // Start the disk writing what it has while more arrives, instead of all of it at the end.
                if (size - writtenBackAt >= WRITEBACK_EVERY && (writeback == null || writeback.isDone())) {
                    writeback = flushers.submit(() -> {
                        file.force(false);
                        return null;
                    });
                    writtenBackAt = size;
                }
                progress(state, size, emit, false);
            }
            force(file);
        } catch (ClosedByInterruptException e) {
            throw e;
        } catch (IOException e) {
            throw new Fatal(Failure.FILE, "cannot write " + state.part + ": " + message(e));
        }
        progress(state, size, emit, true);
        return size;
    }

    private void force(FileChannel file) throws IOException, InterruptedException {
        try {
            flushers.submit(() -> {
                file.force(true);
                return null;
            }).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private void progress(State state, long size, Consumer<Event> emit, boolean always) {
        long now = System.nanoTime();
        if (always || now - state.lastProgress >= PROGRESS_EVERY.toNanos()) {
            state.lastProgress = now;
            emit.accept(new Event.Progress(state.job, size));
        }
    }

    private void checkSize(long size) throws Fatal {
        if (settings.maxSize() > 0 && size > settings.maxSize()) {
            throw new Fatal(Failure.HTTP, "larger than --max-size " + settings.maxSize() + " bytes (" + size + " so far)");
        }
    }

    /** Verifies the checksum, then publishes: the part file becomes the final file in one step. */
    private long finish(State state, long size) throws Fatal {
        Job.Checksum checksum = state.job.checksum();
        if (checksum != null) {
            String actual = digest(state.part, checksum.algorithm());
            if (!actual.equals(checksum.hex())) {
                throw new Fatal(Failure.CHECKSUM, checksum.algorithm() + " mismatch: expected " + checksum.hex() + ", got " + actual);
            }
        }
        try {
            state.target = PartFile.publish(state.part, state.target, settings.overwrite(), state.total);
        } catch (IOException e) {
            throw new Fatal(Failure.FILE, "cannot publish " + state.target + ": " + message(e) + " (the data is in " + state.part + ")");
        }
        return size;
    }

    private static String digest(Path file, String algorithm) throws Fatal {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            while (channel.read(buffer.clear()) >= 0) {
                digest.update(buffer.flip());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new Fatal(Failure.FILE, "cannot read " + file + " to check its checksum: " + message(e));
        }
    }

    /** The server will not continue where we are: drop what we have. */
    private static void restart(State state) {
        PartFile.delete(state.part);
        state.validator = null;
        state.total = -1;
    }

    /** A strong ETag, else Last-Modified: what If-Range may carry (RFC 9110 forbids weak ETags there). */
    private static String validator(HttpHeaders headers) {
        String etag = headers.firstValue("ETag").orElse(null);
        if (etag != null && !etag.startsWith("W/")) {
            return etag;
        }
        return headers.firstValue("Last-Modified").orElse(null);
    }

    /** A Content-Disposition name wins when the URL has no name of its own, or always with --content-disposition. */
    private void chooseName(State state, HttpHeaders headers) {
        if (!settings.contentDisposition() && FileNames.urlHasName(state.job.url())) {
            return;
        }
        String offered = ResponseHeaders.filename(headers.firstValue("Content-Disposition").orElse(null));
        if (offered == null || FileNames.hasFormatCharacters(offered)) {
            return;
        }
        String name = FileNames.sanitize(FileNames.lastSegment(offered));
        if (!name.isEmpty()) {
            state.target = settings.dir().resolve(name);
        }
    }

    static String message(Throwable e) {
        String text = e.getMessage();
        if (text == null || text.isBlank()) {
            text = e.getCause() != null && e.getCause() != e ? message(e.getCause()) : e.getClass().getSimpleName();
        }
        return text;
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> " Bad Request";
            case 401 -> " Unauthorized";
            case 403 -> " Forbidden";
            case 404 -> " Not Found";
            case 408 -> " Request Timeout";
            case 410 -> " Gone";
            case 429 -> " Too Many Requests";
            case 500 -> " Internal Server Error";
            case 502 -> " Bad Gateway";
            case 503 -> " Service Unavailable";
            case 504 -> " Gateway Timeout";
            default -> "";
        };
    }
}
