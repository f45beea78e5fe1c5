package dl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What people and scripts see: the live frame, plain logs, NDJSON, dry run, headers, help. */
class OutputTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(50)).build();

    @TempDir
    Path dir;

    private static Job job(int id, String name) {
        return new Job(id, URI.create("http://127.0.0.1/" + name), name, null, List.of(), null);
    }

    // ---- the live view, as a function of the tally

    private static Tally runningTally() {
        Tally t = new Tally(10, Threads.VIRTUAL);
        for (int i = 0; i < 10; i++) {
            t.countFork();
        }
        Job a = job(1, "alpha.iso");
        Job b = job(2, "a-file-with-a-really-long-name-that-cannot-fit-anywhere.tar.gz");
        Job c = job(3, "stream");
        t.started(new Event.Started(a, Path.of("alpha.iso"), 1000, 0, false));
        t.started(new Event.Started(b, Path.of(b.name()), 4000, 0, false));
        t.started(new Event.Started(c, Path.of("stream"), -1, 0, false));
        t.progress(new Event.Progress(a, 500));
        t.progress(new Event.Progress(b, 4000));
        t.progress(new Event.Progress(c, 123_456));
        t.completed(new Event.Completed(job(4, "done.bin"), Path.of("done.bin"), 2048, Duration.ofMillis(5), null));
        t.failed(new Event.Failed(job(5, "bad.bin"), Failure.HTTP, "HTTP 404"));
        return t;
    }

    @Test
    void theLiveFrameFitsEveryWidthAndShowsTheState() {
        Tally t = runningTally();
        long now = System.nanoTime() + 1_000_000_000L;
        for (int width : new int[] {20, 40, 80, 132}) {
            List<String> frame = LiveView.frame(t, width, 2 * 1024 * 1024, now);
            assertEquals(4, frame.size(), "aggregate + 3 bars at width " + width + ": " + frame);
            for (String line : frame) {
                assertTrue(line.length() <= width - 1, "at width " + width + ", " + line.length() + " chars: '" + line + "'");
                assertFalse(line.contains("\033") || line.contains("\r") || line.contains("\n"), line);
            }
        }
        List<String> wide = LiveView.frame(t, 132, 2 * 1024 * 1024, now);
        assertTrue(wide.get(0).startsWith("2/10 files  1 failed  "), wide.get(0));
        assertTrue(wide.get(0).contains("2.0 MiB/s") && wide.get(0).contains("virtual threads: 8 live"), wide.get(0));
        String alpha = wide.stream().filter(l -> l.contains("alpha.iso")).findFirst().orElseThrow();
        assertTrue(alpha.contains(" 50%"), alpha);
        String whole = wide.stream().filter(l -> l.contains("100%")).findFirst().orElseThrow();
        assertTrue(whole.contains("~"), "a long name is cut with ~: " + whole);
        String stream = wide.stream().filter(l -> l.contains("stream")).findFirst().orElseThrow();
        assertTrue(stream.contains("121 KiB") && !stream.contains("%"), "unknown length shows bytes: " + stream);
    }

    @Test
    void wideNamesAreMeasuredInColumnsSoNoLineWraps() {
        Tally t = new Tally(3, Threads.VIRTUAL);
        String[] names = {"地図データ・日本全国の行政区域境界線・二〇二四年版.zip", "한국어-파일-이름-매우-길다.tar.gz", "短.txt"};
        for (int i = 0; i < names.length; i++) {
            t.countFork();
            Job job = job(i + 1, names[i]);
            t.started(new Event.Started(job, Path.of(names[i]), i == 2 ? -1 : 1000, 0, false));
            t.progress(new Event.Progress(job, 400));
        }
        for (int width : new int[] {20, 40, 80, 132}) {
            for (String line : LiveView.frame(t, width, 1024, System.nanoTime())) {
                assertTrue(Terminal.columns(line) <= width - 1, "at width " + width + ", " + Terminal.columns(line) + " columns: '" + line + "'");
            }
        }
        assertEquals(4, Terminal.columns("日本"));
        assertEquals("日", Terminal.cut("日本", 3));
    }

    @Test
    void moreDownloadsThanBarsAreCounted() {
        Tally t = new Tally(20, Threads.PLATFORM);
        for (int i = 1; i <= 12; i++) {
            t.countFork();
            t.started(new Event.Started(job(i, i + ".bin"), Path.of(i + ".bin"), 100, 0, false));
        }
        List<String> frame = LiveView.frame(t, 80, 0, System.nanoTime());
        assertEquals(1 + LiveView.BARS + 1, frame.size());
        assertEquals("  ... and 4 more in flight", frame.getLast());
    }

    @Test
    void theLiveViewDrawsInPlaceAndLeavesTheSummary() {
        var bytes = new ByteArrayOutputStream();
        LiveView view = new LiveView(new PrintStream(bytes, true, StandardCharsets.UTF_8), 60, false);
        Tally t = runningTally();
        view.tick(t);
        view.show(new Event.Failed(job(6, "x"), Failure.NETWORK, "reset"), t);
        view.finish(t, Summary.of(t, ProcessUsage.now(), 0));
        String screen = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(screen.contains("\033[4F"), "moves back up over the 4-line frame");
        assertTrue(screen.contains("FAILED http://127.0.0.1/x: reset\n"), screen);
        assertTrue(screen.endsWith("\033[?25h"), "the cursor is shown again");
        assertFalse(screen.contains("\033[?25l"), "and never hidden: a crash or a second Ctrl-C could not show it again");
        assertTrue(screen.contains("Downloaded 1 of 10 files"), screen);
        assertFalse(screen.contains("\033[3"), "no colour when it is off");
    }

    // ---- plain output when piped

    @Test
    void pipedOutputHasNoEscapeCodesAndQuietAndVerboseDoWhatTheySay() throws Exception {
        server.stubFor(get("/p/ok.bin").willReturn(aResponse().withBody(new byte[300_000]).withChunkedDribbleDelay(4, 1500)));
        server.stubFor(get("/p/missing.bin").willReturn(aResponse().withStatus(404)));
        Path list = Runs.list(dir, server.baseUrl() + "/p/ok.bin", server.baseUrl() + "/p/missing.bin");

        Runs normal = Runs.of("-o", dir.resolve("a").toString(), list.toString());
        assertFalse(normal.err().contains("\033") || normal.err().contains("\r"), normal.err());
        assertTrue(normal.err().contains("started   ok.bin") && normal.err().contains("done      ok.bin"), normal.err());

        Runs quiet = Runs.of("-q", "-o", dir.resolve("b").toString(), list.toString());
        assertFalse(quiet.err().contains("ok.bin"), quiet.err());
        assertTrue(quiet.err().contains("FAILED") && quiet.err().contains("Downloaded 1 of 2 files"), quiet.err());

        Runs verbose = Runs.of("-v", "-o", dir.resolve("c").toString(), list.toString());
        assertTrue(verbose.err().contains("progress  ok.bin"), verbose.err());
        assertFalse(verbose.err().contains("\033") || verbose.err().contains("\r"), verbose.err());
    }

    // ---- NDJSON

    @Test
    void jsonLinesParseBackIntoTheSameEvents() throws Exception {
        server.stubFor(get("/j/one.bin").willReturn(aResponse().withBody(new byte[70_000]).withChunkedDribbleDelay(3, 400)));
        server.stubFor(get(urlEqualTo("/j/two%20%22quoted%22.txt")).willReturn(aResponse().withBody("two")));
        server.stubFor(get("/j/gone").willReturn(aResponse().withStatus(404)));
        Path list = Runs.list(dir, server.baseUrl() + "/j/one.bin", server.baseUrl() + "/j/two%20%22quoted%22.txt", server.baseUrl() + "/j/gone");
        var parsed = UrlList.parse(Files.newInputStream(list), "urls.txt");
        var json = new ByteArrayOutputStream();
        JsonView jsonView = new JsonView(new PrintStream(json, true, StandardCharsets.UTF_8));
        List<Event> events = new ArrayList<>();
        View both = new View() {
            public void show(Event event, Tally tally) { events.add(event); jsonView.show(event, tally); }
            public void finish(Tally tally, Summary summary) { jsonView.finish(tally, summary); }
        };
        Tally tally = Download.download(Plan.names(parsed.entries()), TestSettings.in(dir, Threads.VIRTUAL), both);
        both.finish(tally, Summary.of(tally, ProcessUsage.now(), 0));

        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : json.toString(StandardCharsets.UTF_8).split("\n")) {
            lines.add(mapper.readTree(line));
        }
        assertEquals(events.size() + 1, lines.size());
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            JsonNode n = lines.get(i);
            assertEquals(Json.type(e), n.get("type").asText());
            assertEquals(e.job().id(), n.get("id").asInt());
            assertEquals(e.job().url().toString(), n.get("url").asText());
            java.time.Instant.parse(n.get("time").asText());
            switch (e) {
                case Event.Started s -> assertEquals(s.length(), n.get("length").asLong());
                case Event.Segmented s -> {
                    assertEquals(s.connections(), n.get("connections").asInt());
                    assertEquals(s.segments().size(), n.get("segments").size());
                }
                case Event.Progress p -> assertEquals(p.bytes(), n.get("bytes").asLong());
                case Event.Waiting w -> assertEquals(w.why(), n.get("reason").asText());
                case Event.Retrying r -> assertEquals(r.reason(), n.get("reason").asText());
                case Event.Completed c -> {
                    assertEquals(c.bytes(), n.get("bytes").asLong());
                    assertEquals(c.file().toString(), n.get("file").asText());
                }
                case Event.Failed f -> {
                    assertEquals(f.reason(), n.get("reason").asText());
                    assertEquals("http", n.get("failure").asText());
                }
                case Event.Skipped s -> assertEquals(s.why(), n.get("reason").asText());
                case Event.UpToDate u -> assertEquals(u.bytes(), n.get("bytes").asLong());
            }
        }
        JsonNode summary = lines.getLast();
        assertEquals("summary", summary.get("type").asText());
        assertEquals(2, summary.get("completed").asInt());
        assertEquals(1, summary.get("failed").asInt());
        assertEquals(70_003, summary.get("bytes").asLong());
        assertTrue(events.stream().anyMatch(e -> e instanceof Event.Progress), "progress events are in the stream too");
        assertTrue(lines.stream().anyMatch(n -> n.path("file").asText().endsWith("two \"quoted\".txt")), "quotes survive");
    }

    @Test
    void jsonOnTheCommandLineKeepsStdoutPureJson() throws Exception {
        server.stubFor(get("/k/a.bin").willReturn(aResponse().withBody("a")));
        Path list = Runs.list(dir, server.baseUrl() + "/k/a.bin", "bad line");
        Runs run = Runs.of("--json", "-o", dir.resolve("out").toString(), list.toString());
        assertEquals(1, run.status(), run.toString());
        ObjectMapper mapper = new ObjectMapper();
        List<String> types = run.out().lines().map(l -> {
            try {
                return mapper.readTree(l).get("type").asText();
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).toList();
        assertEquals(List.of("started", "progress", "completed", "summary"), types.stream().distinct().toList());
        assertTrue(run.err().contains(":2: 'bad line' contains a space"), run.err());
    }

    // ---- dry run, headers, help

    @Test
    void aDryRunPrintsThePlanAndMakesNoRequest() throws Exception {
        Files.createDirectories(dir.resolve("out"));
        Files.writeString(dir.resolve("out/there.txt"), "x");
        Path list = Runs.list(dir, server.baseUrl() + "/d/new.bin", "  checksum=md5=d41d8cd98f00b204e9800998ecf8427e",
                server.baseUrl() + "/d/there.txt", "  header=X-Token: 1", "ftp://nope/");
        Runs run = Runs.of("--dry-run", "-o", dir.resolve("out").toString(), list.toString());
        assertEquals(1, run.status(), "the bad line still counts: " + run);
        assertTrue(run.out().contains("/d/new.bin -> " + dir.resolve("out/new.bin") + "  (MD5 d41d8cd98f00b204e9800998ecf8427e)"), run.out());
        assertTrue(run.out().contains("/d/there.txt -> " + dir.resolve("out/there.txt") + "  (header X-Token; exists: would be skipped)"), run.out());
        assertTrue(run.err().contains("Dry run: 2 downloads planned"), run.err());
        assertEquals(0, server.findAll(anyRequestedFor(anyUrl())).size(), "no request reached the server");
        assertEquals(List.of("there.txt"), Runs.files(dir.resolve("out")));
    }

    @Test
    void headersFromTheCommandLineAndTheListReachTheServer() throws Exception {
        server.stubFor(get("/h/one").willReturn(aResponse().withBody("1")));
        server.stubFor(get("/h/two").willReturn(aResponse().withBody("2")));
        Path list = Runs.list(dir, server.baseUrl() + "/h/one", "  header=X-Per-Url: only-one", server.baseUrl() + "/h/two");
        Runs run = Runs.of("-H", "Authorization: Bearer secret", "--header", "X-Team: blue", "--user-agent", "tester/1.0",
                "-o", dir.resolve("out").toString(), list.toString());
        assertEquals(0, run.status(), run.toString());
        for (String path : List.of("/h/one", "/h/two")) {
            server.verify(getRequestedFor(urlEqualTo(path)).withHeader("Authorization", equalTo("Bearer secret"))
                    .withHeader("X-Team", equalTo("blue")).withHeader("User-Agent", equalTo("tester/1.0")));
        }
        server.verify(getRequestedFor(urlEqualTo("/h/one")).withHeader("X-Per-Url", equalTo("only-one")));
        server.verify(0, getRequestedFor(urlEqualTo("/h/two")).withHeader("X-Per-Url", com.github.tomakehurst.wiremock.client.WireMock.matching(".*")));
    }

    @Test
    void helpHasExamplesAndErrorsAreOneLineWithAHint() {
        Runs help = Runs.of("--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("Examples") && help.out().contains("--dry-run") && help.out().contains("--help all"), help.out());
        assertTrue(Runs.of("--help", "all").out().contains("Exit status:"), "the exit statuses are in --help all");

        Runs bad = Runs.of("--max-size", "lots", "urls.txt");
        assertEquals(2, bad.status());
        assertTrue(bad.err().startsWith("Download.java: Invalid value for option '--max-size': 'lots' is not a size"), bad.err());
        assertTrue(bad.err().contains("Try --help"), bad.err());
        assertFalse(bad.err().contains("Exception") || bad.err().contains("\tat "), bad.err());

        Runs badHeader = Runs.of("-H", "no colon", "urls.txt");
        assertEquals(2, badHeader.status());
        // Only the name: what follows may be a token ("Authorization Bearer T"), issue #22, 9.
        assertTrue(badHeader.err().contains("--header: header 'no ***' must look like 'Name: value'"), badHeader.err());
    }

    @Test
    void anInternationalHostNameIsFetchedInItsAsciiForm() throws Exception {
        Path list = Runs.list(dir, "http://bücher.example/katalog.pdf");
        Runs run = Runs.of("--dry-run", "-o", dir.resolve("out").toString(), list.toString());
        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().contains("http://xn--bcher-kva.example/katalog.pdf -> "), run.out());
    }

    @Test
    void theJsonSummaryCountsRejectedListLines() throws Exception {
        try (DemoServer server = DemoServer.start(10, Duration.ZERO)) {
            Path list = Runs.list(dir, server.url(1).toString(), "ftp://example.org/x", "not a url");
            Runs run = Runs.of("--json", "-o", dir.resolve("out").toString(), list.toString());
            assertEquals(1, run.status(), run.toString());
            String summary = run.out().lines().reduce((a, b) -> b).orElseThrow();
            assertTrue(summary.contains("\"rejected_lines\":2") && summary.contains("\"failed\":0"), summary);
        }
    }

    @Test
    void versionNamesTheToolTheJdkAndTheSystem() {
        Runs run = Runs.of("--version");
        assertEquals(0, run.status(), run.toString());
        List<String> lines = run.out().lines().toList();
        assertEquals(Settings.USER_AGENT.replace('/', ' '), lines.get(0));
        assertTrue(lines.get(1).startsWith("JDK: ") && lines.get(1).contains(Runtime.version().toString()), lines.get(1));
        assertTrue(lines.get(2).startsWith("OS: " + System.getProperty("os.name")), lines.get(2));
    }

    @Test
    void completionScriptsForBashAndZsh() {
        Runs bash = Runs.of("--completion", "bash");
        assertEquals(0, bash.status(), bash.toString());
        assertTrue(bash.out().contains("complete -F _complete_download -o default download") && bash.out().contains("--limit-rate"), bash.out());
        Runs zsh = Runs.of("--completion", "zsh");
        assertTrue(zsh.out().startsWith("autoload -U +X bashcompinit && bashcompinit"), zsh.out());
        Runs fish = Runs.of("--completion", "fish");
        assertEquals(2, fish.status(), fish.toString());
        assertTrue(fish.err().contains("--completion takes bash or zsh, not 'fish'"), fish.err());
    }

    @Test
    void aDownloadThatWaitsForItsHostIsShownAsWaitingNotStalled() throws Exception {
        try (DemoServer demo = DemoServer.start(100, Duration.ofMillis(200))) {
            Path list = Runs.list(dir, demo.url(1).toString(), demo.url(2).toString(), demo.url(3).toString());
            Runs run = Runs.of("--json", "--per-host", "1", "--wait", "0.5", "-o", dir.resolve("out").toString(), list.toString());
            assertEquals(0, run.status(), run.toString());
            List<String> waiting = run.out().lines().filter(l -> l.contains("\"type\":\"waiting\"")).toList();
            assertTrue(waiting.stream().anyMatch(l -> l.contains("(--per-host)")), run.out());
            assertTrue(waiting.stream().anyMatch(l -> l.contains("--wait between requests")), run.out());
        }
        Tally t = runningTally();
        t.waiting(new Event.Waiting(job(1, "alpha.iso"), "127.0.0.1 asked to wait (Retry-After)"));
        List<String> frame = LiveView.frame(t, 100, 0, System.nanoTime());
        assertTrue(frame.stream().anyMatch(l -> l.contains("alpha.iso") && l.contains("waiting")), frame.toString());
        assertEquals("  1 waiting: 127.0.0.1 asked to wait (Retry-After)", frame.getLast());
    }
}
