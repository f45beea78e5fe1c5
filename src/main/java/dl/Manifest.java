package dl;


import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code --manifest FILE}: what became of every URL, one NDJSON line each as it ends, and a summary line when
 * the run ends. Runs append to the file, so it is the history of a list: the last line of a URL is its state.
 *
 * <p>A line: {@code {"type":"url","time":…,"url":…,"file":NAME,"outcome":"completed|skipped|failed|stopped",
 * "bytes":N,"sha256":HEX,"attempts":N,"reason":…}}; {@code file} is a name in the output folder, {@code bytes}
 * and {@code sha256} describe what was published (null where unknown), {@code attempts} counts requests made
 * (0 for a skip decided without one). Lines reach the file within 100 ms of the end of their download, whole
 * (a killed run leaves at most one torn last line, which readers ignore), and the file is forced to the disk
 * at the end. A rerun with the same manifest reads it first ({@link Earlier}): a URL whose last line says its
 * file was published, and whose file is still there with that size, is skipped without a request.
 *
 * <p>It wraps the run's view, as the main thread's handler calls it: only the main thread writes.
 */
final class Manifest implements View {

    /** Far above any line a manifest holds (a URL is at most 8192 characters); a longer one is skipped, not held. */
    static final int MAX_LINE = 1 << 20;


    /**
     * What an earlier run recorded: the last line of every URL in a manifest, all held; none when the file does not
     * exist yet. Torn lines are ignored. For reading a manifest whole (tests); a run looks its URLs up through
     * {@link Recorded}, which holds 16 bytes a URL.
     */
    static Map<URI, Earlier> read(Path file) throws IOException {
        Map<URI, Earlier> last = new HashMap<>();
        // A run killed in the middle of a character leaves bytes that are not UTF-8: they spoil that line only.
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (var reader = new InputStreamReader(Files.newInputStream(file), decoder)) {
            Lines lines = new Lines(reader, MAX_LINE);
            for (String line; (line = lines.next()) != null; ) {
                if (lines.longer()) {
                    lines.skip(Long.MAX_VALUE); // no line of ours is this long: a file that is not a manifest
                    continue;
                }
                Earlier entry = Json.earlier(line);
                if (entry != null) {
                    last.put(URI.create(entry.url()), entry);
                }
            }
        } catch (NoSuchFileException first) {
            return last;
        }
        return last;
    }

    private final View inner;
    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    private final Writer out;
    private final Shard shard;
    private final PrintStream err;
    /** The first write that failed (a full disk, say): the manifest stops there, the downloads go on. */
    private IOException failure;

    private Manifest(View inner, Path path, FileChannel channel, FileLock lock, Shard shard, PrintStream err) {
        this.inner = inner;
        this.path = path;
        this.channel = channel;
        this.lock = lock;
        this.out = new java.io.BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8), 1 << 16);
        this.shard = shard;
        this.err = err;
    }

    /** Opens the manifest for appending, locked: two runs writing one manifest would each skip the other's URLs. */
    static Manifest open(Path path, View inner, Shard shard, PrintStream err) throws IOException {
        Files.createDirectories(path.getParent()); // as -o does for the output folder: a fresh volume has neither
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("another run is writing it right now (give each shard its own, with {shard} in the name)");
        }
        Manifest manifest = new Manifest(inner, path, channel, lock, shard, err);
        try {
            if (endsTorn(path)) {
                manifest.out.write('\n'); // a killed run's last line: the next one must not be glued to it
            }
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return manifest;
    }

    private static boolean endsTorn(Path path) throws IOException {
        try (FileChannel reading = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = reading.size();
            java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
            return size > 0 && reading.read(last, size - 1) == 1 && last.get(0) != '\n';
        }
    }

    @Override
    public void show(Event event, Tally tally) {
        switch (event) {
            case Event.Completed c -> write(Json.urlLine(c.job(), c.file().getFileName().toString(), Outcome.COMPLETED, c.bytes(), c.sha256(),
                    tally.attempts(c.job()), null, c.validators()));
            case Event.UpToDate u -> {
                // The file is the one recorded before when its line names it with this size: its digest still holds.
                Earlier earlier = u.job().earlier();
                boolean same = earlier != null && u.file().getFileName().toString().equals(earlier.file()) && earlier.bytes() == u.bytes();
                write(Json.urlLine(u.job(), u.file().getFileName().toString(), Outcome.UP_TO_DATE, u.bytes(), same ? earlier.sha256() : null,
                        tally.attempts(u.job()), null, u.validators()));
            }
            case Event.Skipped s -> {
                Earlier earlier = s.job().earlier();
                boolean fromManifest = earlier != null && s.file().getFileName().toString().equals(earlier.file());
                // The validators go on too: the last line of a URL is what the next -N run asks with.
                write(Json.urlLine(s.job(), s.file().getFileName().toString(), Outcome.SKIPPED, fromManifest ? earlier.bytes() : -1,
                        fromManifest ? earlier.sha256() : null, 0, s.why(),
                        fromManifest ? new Validators(earlier.etag(), earlier.lastModified()) : Validators.NONE));
            }
            case Event.Failed f -> line(f.job(), null, f.kind() == Failure.INTERRUPTED ? Outcome.STOPPED : Outcome.FAILED, -1, null,
                    tally.attempts(f.job()), f.reason());
            case Event.Started _, Event.Segmented _, Event.Progress _, Event.Waiting _, Event.Retrying _ -> { }
        }
        inner.show(event, tally);
    }

    @Override
    public void allForked(Tally tally) {
        inner.allForked(tally);
    }

    /** The lines of the last 100 ms go out together: one write, not one per URL. */
    @Override
    public void tick(Tally tally) {
        flush();
        inner.tick(tally);
    }

    /** True when every line reached the manifest; false after a write failed. */
    boolean complete() {
        return failure == null;
    }

    @Override
    public void finish(Tally tally, Summary s) {
        write(Json.manifestSummary(s, shard == null ? null : shard.toString()));
        flush();
        try (channel; lock) {
            if (failure == null) {
                channel.force(true);
            }
        } catch (IOException e) {
            failure = failure != null ? failure : e;
        }
        inner.finish(tally, s);
        if (failure != null) {
            err.println("Download.java: cannot write the manifest " + Terminal.safe(path.toString()) + ": " + Format.message(failure)
                    + "; it holds the lines written before, and a rerun with it repeats what it lacks");
        }
    }

    private void flush() {
        if (failure == null) {
            try {
                out.flush();
            } catch (IOException e) {
                failure = e;
            }
        }
    }

    private void line(Job job, Path file, Outcome outcome, long bytes, String sha256, int attempts, String reason) {
        write(Json.urlLine(job, file == null ? job.name() : file.getFileName().toString(), outcome, bytes, sha256, attempts, reason));
    }

    private void write(String line) {
        if (failure == null) {
            try {
                out.write(line + "\n");
            } catch (IOException e) {
                failure = e;
            }
        }
    }
}
