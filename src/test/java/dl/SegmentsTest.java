package dl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One large file over several connections at once (-x), against a server on 127.0.0.1 that answers ranges. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SegmentsTest {

    private static final int SIZE = 8 << 20;
    private static final long MIN_SPLIT = 256 << 10;

    @TempDir
    Path dir;

    /** Every event of a run, in the order the main thread handled them. */
    private static final class Recorder implements View {
        final List<Event> events = new CopyOnWriteArrayList<>();

        @Override
        public void show(Event event, Tally tally) {
            events.add(event);
        }

        @Override
        public void finish(Tally tally, Summary summary) {}

        <T extends Event> List<T> all(Class<T> kind) {
            return events.stream().filter(kind::isInstance).map(kind::cast).toList();
        }
    }

    private Tally run(RangeServer server, Settings settings, Recorder view) throws Exception {
        List<Job> jobs = Plan.names(List.of(new UrlList.Entry(0, URI.create(server.url()), null, null, List.of())));
        return Download.download(jobs, settings, view);
    }

    private Settings settings(Threads mode, int segments) {
        return TestSettings.in(dir, mode).withSegments(segments, MIN_SPLIT);
    }

    @ParameterizedTest
    @EnumSource(Threads.class)
    void aFileComesByteExactOverSeveralConnectionsAtOnceInBothThreadModes(Threads mode) throws Exception {
        try (RangeServer server = new RangeServer(DemoServer.content(1, SIZE))) {
            server.millisPer64K = 2; // slow enough that the segments overlap in time
            Recorder view = new Recorder();
            Tally tally = run(server, settings(mode, 4), view);
            assertEquals(1, tally.completed(), view.events.toString());
            assertArrayEquals(server.data(), Files.readAllBytes(dir.resolve("file.bin")));
            assertFalse(Files.exists(dir.resolve("file.bin.part")));
            assertTrue(server.peakInFlight.get() >= 4, "four requests in flight at once: " + server.asked);
            assertTrue(server.rangeRequests() >= 3, server.asked.toString());
            assertTrue(server.bytesSent.get() <= SIZE + 4 * (64 << 10), "each byte sent about once: " + server.bytesSent.get());
            // Still one download in the events: one Started, one Segmented, one Completed.
            assertEquals(1, view.all(Event.Started.class).size());
            assertEquals(1, view.all(Event.Completed.class).size());
            Event.Segmented segmented = view.all(Event.Segmented.class).getFirst();
            assertEquals(4, segmented.connections());
            assertEquals(4, segmented.segments().size());
            assertEquals(SIZE, segmented.segments().stream().mapToLong(Segments.Range::length).sum());
        }
    }

    @Test
    void aServerWithoutRangesGetsOneConnection() throws Exception {
        try (RangeServer server = new RangeServer(DemoServer.content(2, SIZE))) {
            server.ranges = false;
            Recorder view = new Recorder();
            Tally tally = run(server, settings(Threads.VIRTUAL, 4), view);
            assertEquals(1, tally.completed());
            assertArrayEquals(server.data(), Files.readAllBytes(dir.resolve("file.bin")));
            assertEquals(List.of("null"), server.asked);
            assertEquals(1, server.ports.size());
            assertTrue(view.all(Event.Segmented.class).isEmpty());
        }
    }

    @Test
    void aFileBelowTwiceTheMinimumSplitSizeGetsOneConnection() throws Exception {
        try (RangeServer server = new RangeServer(DemoServer.content(3, (int) (2 * MIN_SPLIT - 1)))) {
            Tally tally = run(server, settings(Threads.VIRTUAL, 4), new Recorder());
            assertEquals(1, tally.completed());
            assertEquals(List.of("null"), server.asked);
        }
    }

    @Test
    void aFileThatChangesMidwayStartsAgainFromZeroNeverASplice() throws Exception {
        try (RangeServer server = new RangeServer(DemoServer.content(4, SIZE))) {
            server.millisPer64K = 2;
            server.next = DemoServer.content(5, SIZE); // from the second request on: the segments' If-Range gets a 200
            Recorder view = new Recorder();
            Tally tally = run(server, settings(Threads.VIRTUAL, 4), view);
            assertEquals(1, tally.completed(), view.events.toString());
            assertArrayEquals(server.next, Files.readAllBytes(dir.resolve("file.bin")), "the new version, whole");
            List<Event.Retrying> retries = view.all(Event.Retrying.class);
            assertEquals(1, retries.size(), retries.toString());
            assertTrue(retries.getFirst().reason().contains("starting again from zero"), retries.toString());
            assertEquals(1, view.all(Event.Segmented.class).size(), "the second try takes one connection");
            assertEquals("null", server.asked.getLast(), "and asks for the whole file: " + server.asked);
        }
    }

    @Test
    void segmentsCountAgainstThePerHostLimit() throws Exception {
        try (RangeServer server = new RangeServer(DemoServer.content(6, SIZE))) {
            server.millisPer64K = 1;
            Settings two = new Settings(dir, Threads.VIRTUAL, 100, 2, 1, Duration.ofMillis(10), Duration.ofMillis(200),
                    Duration.ofSeconds(5), Duration.ofSeconds(5), 0, false, false, false, List.of(), Settings.USER_AGENT, Tls.Trust.JDK,
                    Duration.ZERO, false, 0, Proxies.JVM, false, false, true, 8, 3 << 20); // two pieces of 4 MiB, none stolen
            Recorder view = new Recorder();
            Tally tally = run(server, two, view);
            assertEquals(1, tally.completed());
            assertArrayEquals(server.data(), Files.readAllBytes(dir.resolve("file.bin")));
            assertEquals(2, server.peakInFlight.get(), server.asked.toString());
            assertEquals(2, view.all(Event.Segmented.class).getFirst().connections());
        }
    }

    @Test
    void aCutSegmentAsksAgainForOnlyWhatWasMissing() throws Exception {
        try (RangeServer server = new RangeServer(DemoServer.content(7, SIZE))) {
            server.millisPer64K = 1;
            server.cutAfter = SIZE / 2;
            Recorder view = new Recorder();
            Tally tally = run(server, settings(Threads.VIRTUAL, 4), view);
            assertEquals(1, tally.completed(), view.events.toString());
            assertEquals(-1, server.cutAfter, "a segment was cut");
            assertArrayEquals(server.data(), Files.readAllBytes(dir.resolve("file.bin")));
            assertTrue(server.asked.stream().anyMatch(a -> a.startsWith("bytes=") && !a.matches("bytes=(0|2097152|4194304|6291456)-.*")),
                    "the cut segment asked again from where it was cut: " + server.asked);
            // Only what was missing: a few chunks in flight at the cut are sent twice at most.
            assertTrue(server.bytesSent.get() <= SIZE + 8 * (64 << 10), "bytes sent: " + server.bytesSent.get());
        }
    }

    /** Resuming across runs keeps the validator in an extended attribute; some file systems lack them. */
    private void assumeExtendedAttributes() throws Exception {
        Path probe = Files.writeString(dir.resolve("xattr-probe"), "x");
        var view = Files.getFileAttributeView(probe, java.nio.file.attribute.UserDefinedFileAttributeView.class);
        boolean supported;
        try {
            view.write("probe", java.nio.ByteBuffer.wrap(new byte[] {1}));
            supported = true;
        } catch (UnsupportedOperationException | java.io.IOException e) {
            supported = false;
        }
        Files.delete(probe);
        org.junit.jupiter.api.Assumptions.assumeTrue(supported, "no extended attributes in " + dir + ": resuming across runs cannot be tested here");
    }

    @ParameterizedTest
    @EnumSource(Threads.class)
    void aRunInterruptedMidwayIsFinishedByTheNextFetchingOnlyWhatWasMissing(Threads mode) throws Exception {
        assumeExtendedAttributes();
        try (RangeServer server = new RangeServer(DemoServer.content(8, SIZE))) {
            server.millisPer64K = 5; // 4 connections at ~12 MiB/s each: the first run takes well over half a second
            Recorder firstView = new Recorder();
            java.util.concurrent.atomic.AtomicReference<Tally> first = new java.util.concurrent.atomic.AtomicReference<>();
            // This thread plays the main thread: Ctrl-C interrupts it, and it owns the run's scope.
            Thread owner = Thread.ofPlatform().start(() -> {
                try {
                    first.set(run(server, settings(mode, 4), firstView));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            while (server.bytesSent.get() < SIZE / 2) {
                Thread.sleep(5);
            }
            owner.interrupt();
            owner.join();
            assertTrue(first.get().interrupted());
            assertEquals(0, first.get().completed());
            // Ctrl-C closes the segments' sockets: that is the interrupt, not a failure worth a retry.
            assertEquals(List.of(), firstView.all(Event.Retrying.class), firstView.events.toString());
            assertTrue(Files.exists(dir.resolve("file.bin.part")), "the part file stays");
            long sentBefore = server.bytesSent.get();
            assertTrue(sentBefore < SIZE, "interrupted before the end: " + sentBefore);

            server.millisPer64K = 0;
            Recorder secondView = new Recorder();
            Tally second = run(server, settings(mode, 4), secondView);
            assertEquals(1, second.completed(), secondView.events.toString());
            assertArrayEquals(server.data(), Files.readAllBytes(dir.resolve("file.bin")));
            assertFalse(Files.exists(dir.resolve("file.bin.part")));
            Event.Started resumed = secondView.all(Event.Started.class).getFirst();
            assertTrue(resumed.kept() >= SIZE / 4, "the second run resumes what the first wrote: " + resumed);
            long twice = server.bytesSent.get() - SIZE;
            // Sent twice: what was under way when Ctrl-C came (a few chunks a connection), never the whole first half.
            assertTrue(twice <= 16 * (64 << 10), "bytes sent twice: " + twice + " of " + SIZE + "; asked: " + server.asked);
        }
    }

    @Test
    void theSavedRangesReadBackAndATornRecordIsNone() {
        List<Segments.Range> missing = List.of(new Segments.Range(0, 10), new Segments.Range(500, 900));
        byte[] record = SavedRanges.encode(1000, missing);
        byte[] footer = java.util.Arrays.copyOfRange(record, record.length - SavedRanges.FOOTER, record.length);
        int length = SavedRanges.linesLength(footer);
        assertEquals(record.length - SavedRanges.FOOTER, length);
        byte[] lines = java.util.Arrays.copyOf(record, length);
        assertEquals(new SavedRanges.Saved(1000, missing), SavedRanges.decode(lines, footer, 1000));
        assertEquals(null, SavedRanges.decode(lines, footer, 999), "not where the total says");
        lines[length - 3] ^= 1;
        assertEquals(null, SavedRanges.decode(lines, footer, 1000), "torn");
        assertEquals(-1, SavedRanges.linesLength(new byte[SavedRanges.FOOTER]), "no footer");
    }

    @Test
    void aConnectionWithNothingLeftTakesHalfOfTheLargestPiece() {
        Segments plan = new Segments(100L << 20, List.of(new Segments.Range(0, 100L << 20)), 2, 1 << 20, -1);
        assertEquals(List.of(new Segments.Range(0, 50L << 20), new Segments.Range(50L << 20, 100L << 20)), plan.ranges());
        Segments.Piece a = plan.claimAt(0);
        plan.askedAll(a);
        Segments.Piece b = plan.claim();
        assertEquals(54L << 20, plan.ask(b, 4 << 20));
        assertEquals(4 << 20, plan.reserve(b, 8 << 20), "no more than was asked for");
        plan.reserve(a, 50 << 20);
        plan.written(a, 50 << 20);
        plan.ask(b, 6 << 20);
        plan.reserve(b, 6 << 20); // b has 40 MiB left that it has not asked for: a takes the second half of it
        Segments.Piece stolen = plan.claim();
        assertEquals(80L << 20, plan.next(stolen));
        assertEquals(80L << 20, plan.end(b));
        assertEquals(List.of(new Segments.Range(50L << 20, 100L << 20)), plan.missing(), "reserved is not written");
        plan.written(b, 10 << 20);
        assertEquals(80L << 20, plan.ask(b, 64 << 20), "never past its end");
        assertEquals(List.of(new Segments.Range(60L << 20, 100L << 20)), plan.missing());
        plan.ask(b, 19 << 20);
        plan.ask(stolen, 19 << 20);
        assertEquals(null, plan.claim(), "no piece has twice the minimum left");
    }

    @Test
    void onTheCommandLineItIsStillOneDownloadInJsonInTheManifestAndInVerbose() throws Exception {
        try (RangeServer server = new RangeServer(DemoServer.content(9, SIZE))) {
            server.millisPer64K = 1;
            Path manifest = dir.resolve("m.ndjson");
            Runs json = Runs.of(Runs.fast("--json", "-x", "4", "--min-split-size", "256K", "--manifest", manifest.toString(),
                    "-o", dir.resolve("a").toString(), server.url()));
            assertEquals(0, json.status(), json.toString());
            assertArrayEquals(server.data(), Files.readAllBytes(dir.resolve("a/file.bin")));
            List<String> lines = json.out().lines().toList();
            assertEquals(1, lines.stream().filter(l -> l.contains("\"type\":\"started\"")).count(), json.out());
            assertEquals(1, lines.stream().filter(l -> l.contains("\"type\":\"completed\"")).count(), json.out());
            String segmented = lines.stream().filter(l -> l.contains("\"type\":\"segmented\"")).findFirst().orElseThrow();
            assertTrue(segmented.contains("\"connections\":4") && segmented.contains("\"segments\":[{\"from\":0,"), segmented);
            assertTrue(lines.getLast().contains("\"completed\":1"), lines.getLast());
            assertEquals(1, Files.readAllLines(manifest).stream().filter(l -> l.contains("\"type\":\"url\"")).count());

            Runs verbose = Runs.of(Runs.fast("-v", "-x", "2", "--min-split-size", "1M", "-o", dir.resolve("b").toString(), server.url()));
            assertEquals(0, verbose.status(), verbose.toString());
            assertTrue(verbose.err().contains("segments  file.bin: 2 connections, 0-4194303, 4194304-8388607"), verbose.err());

            Runs one = Runs.of(Runs.fast("--json", "-x", "1", "-o", dir.resolve("c").toString(), server.url()));
            assertFalse(one.out().contains("segmented"), "-x 1: one connection");
            assertTrue(Runs.of("-x", "17", server.url()).err().contains("give 1 to 16"));
            assertTrue(Runs.of("--min-split-size", "1K", server.url()).err().contains("at least 64K"));
        }
    }

    @Test
    void aPartFileWhoseFirstMissingByteIsByteZeroKeepsWhatItHas() throws Exception {
        assumeExtendedAttributes();
        try (RangeServer server = new RangeServer(DemoServer.content(10, SIZE))) {
            // As an earlier run leaves it: bytes [1 MiB, 4 MiB) and [6 MiB, 8 MiB) in, the rest missing, the record after.
            Path part = dir.resolve("file.bin.part");
            byte[] data = server.data();
            try (var channel = java.nio.channels.FileChannel.open(part, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(data, 1 << 20, 3 << 20), 1 << 20);
                channel.write(java.nio.ByteBuffer.wrap(data, 6 << 20, 2 << 20), 6 << 20);
                List<Segments.Range> missing = List.of(new Segments.Range(0, 1 << 20), new Segments.Range(4 << 20, 6 << 20));
                channel.write(java.nio.ByteBuffer.wrap(SavedRanges.encode(SIZE, missing)), SIZE);
            }
            Files.getFileAttributeView(part, java.nio.file.attribute.UserDefinedFileAttributeView.class)
                    .write("download.resume", java.nio.charset.StandardCharsets.UTF_8.encode(server.url() + "\n\"v1\""));
            Recorder view = new Recorder();
            Tally tally = run(server, settings(Threads.VIRTUAL, 4), view);
            assertEquals(1, tally.completed(), view.events.toString());
            assertArrayEquals(data, Files.readAllBytes(dir.resolve("file.bin")));
            assertEquals(3 << 20, server.bytesSent.get(), "only the 3 MiB missing: " + server.asked);
            assertEquals("bytes=0-1048575", server.asked.getFirst(), "the first missing range, and no more");
            assertEquals(5 << 20, view.all(Event.Started.class).getFirst().kept());
        }
    }
}
