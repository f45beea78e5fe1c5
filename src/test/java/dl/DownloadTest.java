package dl;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The core: a list end to end through scope, queue and main loop, against a real HTTP server. */
class DownloadTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(100))
            .build();

    @TempDir
    Path dir;

    private String url(String path) {
        return server.baseUrl() + path;
    }

    private static byte[] body(int n, int size) {
        return DemoServer.content(n, size);
    }

    @ParameterizedTest
    @EnumSource(Threads.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void fiftyUrlsArriveByteExactInBothThreadModes(Threads mode) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            server.stubFor(get("/f/" + i + ".bin").willReturn(aResponse().withBody(body(i, 10_000 + i)).withFixedDelay(50)));
            lines.add(url("/f/" + i + ".bin"));
        }
        Path list = Runs.list(dir, lines.toArray(String[]::new));
        Path out = dir.resolve("out");

        Runs run = Runs.of("--threads", mode.name().toLowerCase(), "-o", out.toString(), list.toString());

        assertEquals(0, run.status(), run.toString());
        for (int i = 1; i <= 50; i++) {
            assertArrayEquals(body(i, 10_000 + i), Files.readAllBytes(out.resolve(i + ".bin")), "file " + i);
        }
        assertEquals(50, Runs.files(out).size(), "no part files left: " + Runs.files(out));
        assertTrue(run.err().contains("Downloaded 50 of 50 files"), run.err());
        assertTrue(run.err().contains("Threads: " + mode.name().toLowerCase()), run.err());
    }

    /** Large enough that the disk is started on the file several times while the body still arrives. */
    @ParameterizedTest
    @EnumSource(Threads.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void largeFilesWrittenBackWhileTheyArriveAreByteExact(Threads mode) throws Exception {
        byte[] big = body(7, 40 << 20);
        server.stubFor(get("/big.bin").willReturn(aResponse().withBody(big)));
        server.stubFor(get("/big-chunked.bin").willReturn(aResponse().withBody(big).withChunkedDribbleDelay(64, 200)));
        Path list = Runs.list(dir, url("/big.bin"), url("/big-chunked.bin"));
        Path out = dir.resolve("out");

        Runs run = Runs.of("--threads", mode.name().toLowerCase(), "-o", out.toString(), list.toString());

        assertEquals(0, run.status(), run.toString());
        assertArrayEquals(big, Files.readAllBytes(out.resolve("big.bin")));
        assertArrayEquals(big, Files.readAllBytes(out.resolve("big-chunked.bin")));
        assertEquals(List.of("big-chunked.bin", "big.bin"), Runs.files(out));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void failuresAreReportedAndTheRestStillCompletes() throws Exception {
        server.stubFor(get("/ok1.bin").willReturn(aResponse().withBody(body(1, 5000))));
        server.stubFor(get("/ok2.bin").willReturn(aResponse().withBody(body(2, 5000))));
        server.stubFor(get("/missing.bin").willReturn(aResponse().withStatus(404)));
        server.stubFor(get("/broken.bin").willReturn(aResponse().withStatus(500)));
        server.stubFor(get("/reset.bin").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        Path list = Runs.list(dir, url("/ok1.bin"), url("/missing.bin"), url("/broken.bin"), url("/reset.bin"), url("/ok2.bin"));
        Path out = dir.resolve("out");

        Runs run = Runs.of(Runs.fast("--retries", "2", "-o", out.toString(), list.toString()));

        assertEquals(1, run.status(), run.toString());
        assertEquals(List.of("ok1.bin", "ok2.bin"), Runs.files(out), "no final or part file for a failed download");
        assertTrue(run.err().contains("/missing.bin: HTTP 404 Not Found"), run.err());
        assertTrue(run.err().contains("/broken.bin: HTTP 500 Internal Server Error (gave up after 3 attempts)"), run.err());
        assertTrue(run.err().matches("(?s).*/reset\\.bin: .*gave up after 3 attempts.*"), run.err());
        assertTrue(run.err().contains("Downloaded 2 of 5 files (3 failed"), run.err());
        server.verify(1, getRequestedFor(urlEqualTo("/missing.bin")));
        server.verify(3, getRequestedFor(urlEqualTo("/broken.bin")));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void invalidLinesAreReportedWithTheirLineNumbersAndTheOthersDownload() throws Exception {
        server.stubFor(get("/a.bin").willReturn(aResponse().withBody("a")));
        Path list = Runs.list(dir,
                "# a comment",
                "",
                "ftp://example.org/x",
                url("/a.bin"),
                "not a url",
                "/relative/path");

        Runs run = Runs.of("-o", dir.resolve("out").toString(), list.toString());

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains(list + ":3: unsupported scheme 'ftp'"), run.err());
        assertTrue(run.err().contains(list + ":5: 'not a url' contains a space"), run.err());
        assertTrue(run.err().contains(list + ":6: not an absolute URL"), run.err());
        assertEquals("a", Files.readString(dir.resolve("out/a.bin")));
    }

    @Test
    void aListWithNothingUsableIsAnInputErrorBeforeAnyDownload() throws Exception {
        Path list = Runs.list(dir, "# only a comment", "gopher://x/");
        Runs run = Runs.of("-o", dir.resolve("out").toString(), list.toString());
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains("no usable URL in " + list), run.err());
        assertEquals(2, Runs.of("-o", dir.toString(), dir.resolve("nope.txt").toString()).status());
        assertEquals(2, Runs.of("--threads", "green", "x").status());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void namesThatCollideInsideTheBatchGetNumbered() throws Exception {
        server.stubFor(get("/one/data.csv").willReturn(aResponse().withBody("one")));
        server.stubFor(get("/two/data.csv").willReturn(aResponse().withBody("two")));
        server.stubFor(get("/three/DATA.csv").willReturn(aResponse().withBody("three")));
        server.stubFor(get("/named").willReturn(aResponse().withBody("named")));
        Path list = Runs.list(dir, url("/one/data.csv"), url("/two/data.csv"), url("/three/DATA.csv"), url("/named"), "  out=data.csv");

        Runs run = Runs.of("-o", dir.resolve("out").toString(), list.toString());

        assertEquals(0, run.status(), run.toString());
        Path out = dir.resolve("out");
        assertEquals("one", Files.readString(out.resolve("data.csv")));
        assertEquals("two", Files.readString(out.resolve("data.1.csv")));
        assertEquals("three", Files.readString(out.resolve("DATA.2.csv")));
        assertEquals("named", Files.readString(out.resolve("data.3.csv")));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anExistingFileIsSkippedUnlessOverwriteIsGiven() throws Exception {
        server.stubFor(get("/keep.txt").willReturn(aResponse().withBody("new")));
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("keep.txt"), "old");
        Path list = Runs.list(dir, url("/keep.txt"));

        Runs skipped = Runs.of("-o", out.toString(), list.toString());
        assertEquals(0, skipped.status(), skipped.toString());
        assertTrue(skipped.err().contains("skipped   keep.txt: already exists"), skipped.err());
        assertEquals("old", Files.readString(out.resolve("keep.txt")));
        server.verify(0, getRequestedFor(urlEqualTo("/keep.txt")));

        Runs replaced = Runs.of("--overwrite", "-o", out.toString(), list.toString());
        assertEquals(0, replaced.status(), replaced.toString());
        assertEquals("new", Files.readString(out.resolve("keep.txt")));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void theEventLoopEndsWhenEveryWorkerFails() throws Exception {
        List<UrlList.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            server.stubFor(get("/fail/" + i).willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));
            entries.add(new UrlList.Entry(i + 1, java.net.URI.create(url("/fail/" + i)), null, null, List.of()));
        }
        Settings settings = TestSettings.in(dir, Threads.VIRTUAL);
        List<Event> seen = new ArrayList<>();
        View recorder = new View() {
            public void show(Event event, Tally tally) { seen.add(event); }
            public void finish(Tally tally, Summary summary) { }
        };

        Tally tally = Download.download(Plan.names(entries), settings, recorder);

        assertEquals(20, tally.failed());
        assertEquals(20, seen.stream().filter(e -> e instanceof Event.Failed).count());
        assertTrue(seen.stream().noneMatch(e -> e instanceof Event.Completed));
        assertEquals(List.of(), Runs.files(dir));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theDemoRunsEndToEndAndCleansUp() throws Exception {
        Path out = dir.resolve("demo");
        Runs kept = Runs.of("--demo", "--demo-files", "40", "--demo-size", "3K", "--demo-delay", "0.05", "-o", out.toString());
        assertEquals(0, kept.status(), kept.toString());
        assertTrue(kept.err().contains("Downloaded 40 of 40 files"), kept.err());
        for (int n = 1; n <= 40; n++) {
            assertArrayEquals(DemoServer.content(n, 3072), Files.readAllBytes(out.resolve(n + ".bin")));
        }

        Runs platform = Runs.of("--demo", "--demo-files", "20", "--demo-size", "1K", "--demo-delay", "0.01", "--threads", "platform");
        assertEquals(0, platform.status(), platform.toString());
        var into = java.util.regex.Pattern.compile("into (\\S+)\\n").matcher(platform.err());
        assertTrue(into.find(), "the demo names its folder: " + platform.err());
        Path folder = Path.of(into.group(1));
        assertTrue(folder.getFileName().toString().startsWith("download-demo-"), folder.toString());
        assertFalse(Files.exists(folder), "the temporary demo folder is removed: " + folder);
    }
}
