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
                    Duration.ZERO, false, 0, Proxies.JVM, false, 8, 3 << 20); // two pieces of 4 MiB, none stolen
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
}
