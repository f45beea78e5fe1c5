package dl;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What an earlier run's manifest recorded, found by URL without holding it: the manifest of a list of millions is
 * as long. Reading it once keeps, for each URL, a {@link Fingerprint} and where its last line starts (16 bytes a
 * URL); asking for a URL reads that one line again and checks that it is this URL's. Runs only append to a manifest,
 * so the line stays where it was while this run adds its own.
 */
final class Recorded implements Closeable {

    /** No manifest: nothing recorded. */
    static final Recorded NONE = new Recorded(null, new FingerprintTable(1, true, true));

    private final FileChannel channel;
    private final FingerprintTable lines;

    private Recorded(FileChannel channel, FingerprintTable lines) {
        this.channel = channel;
        this.lines = lines;
    }

    /**
     * Reads the manifest's lines once; none when the file does not exist yet. Torn and foreign lines are passed over.
     * Throws InterruptedIOException, the interrupt still set, when the thread is interrupted meanwhile.
     */
    static Recorded of(Path file) throws IOException {
        FingerprintTable lines = new FingerprintTable(Math.max(16, Files.exists(file) ? Files.size(file) / 200 : 16), true, true);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            long offset = 0;
            long start = 0;
            boolean tooLong = false;
            for (int b; (b = in.read()) >= 0; offset++) {
                if (b == '\n') {
                    if (Thread.currentThread().isInterrupted()) {
                        // A file stream does not stop for an interrupt, and a manifest of millions takes seconds.
                        throw new java.io.InterruptedIOException("interrupted while reading " + file);
                    }
                    index(lines, tooLong ? null : line, start);
                    line.reset();
                    tooLong = false;
                    start = offset + 1;
                } else if (line.size() < Manifest.MAX_LINE) {
                    line.write(b);
                } else {
                    tooLong = true; // no line of ours is this long: a file that is not a manifest
                }
            }
            index(lines, tooLong ? null : line, start);
        } catch (NoSuchFileException first) {
            return new Recorded(null, lines);
        }
        return new Recorded(FileChannel.open(file, StandardOpenOption.READ), lines);
    }

    private static void index(FingerprintTable lines, ByteArrayOutputStream line, long start) {
        if (line == null || line.size() == 0) {
            return;
        }
        Earlier entry = Json.earlier(line.toString(StandardCharsets.UTF_8));
        if (entry != null) {
            lines.putLong(Fingerprint.of(URI.create(entry.url())), start);
        }
    }

    /** The last line recorded for this URL, or null. */
    Earlier get(URI url) {
        long start = lines.getLong(Fingerprint.of(url));
        if (start < 0 || channel == null) {
            return null;
        }
        try {
            Earlier entry = Json.earlier(lineAt(start));
            // Two URLs may share a fingerprint: the line says whose it is.
            return entry != null && URI.create(entry.url()).equals(url) ? entry : null;
        } catch (IOException e) {
            return null; // read a moment ago, and gone: as if not recorded, so the URL is fetched again
        }
    }

    private String lineAt(long start) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        for (long at = start; line.size() < Manifest.MAX_LINE; ) {
            int n = channel.read(buffer.clear(), at);
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (buffer.get(i) == '\n') {
                    line.write(buffer.array(), 0, i);
                    return line.toString(StandardCharsets.UTF_8);
                }
            }
            line.write(buffer.array(), 0, n);
            at += n;
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
