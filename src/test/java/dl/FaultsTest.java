package dl;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server that misbehaves on purpose; each case checks the bytes on disk afterwards. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultsTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(50))
            .build();

    @TempDir
    Path dir;

    private static final byte[] DATA = DemoServer.content(7, 10_000);

    private String url(String path) {
        return server.baseUrl() + path;
    }

    private Path out() {
        return dir.resolve("out");
    }

    private Runs fetch(String... urlsThenArgs) throws Exception {
        List<String> urls = Arrays.stream(urlsThenArgs).filter(a -> a.startsWith("http")).toList();
        List<String> args = Arrays.stream(urlsThenArgs).filter(a -> !a.startsWith("http")).toList();
        Path list = Runs.list(dir, urls.toArray(String[]::new));
        String[] all = java.util.stream.Stream.concat(args.stream(), java.util.stream.Stream.of("-o", out().toString(), list.toString()))
                .toArray(String[]::new);
        return Runs.of(Runs.fast(all));
    }

    private static byte[] slice(int from) {
        return Arrays.copyOfRange(DATA, from, DATA.length);
    }

    /** A 206 answer with the rest of DATA from {@code from}. */
    private void stubResume(String path, int from, String etag) {
        var request = get(path).withHeader("Range", equalTo("bytes=" + from + "-"));
        if (etag != null) {
            request = request.withHeader("If-Range", equalTo(etag));
        }
        var response = aResponse().withStatus(206)
                .withHeader("Content-Range", "bytes " + from + "-" + (DATA.length - 1) + "/" + DATA.length)
                .withBody(slice(from));
        if (etag != null) {
            response = response.withHeader("ETag", etag);
        }
        server.stubFor(request.atPriority(1).willReturn(response));
    }

    // ---- every fault WireMock has

    @ParameterizedTest
    @EnumSource(Fault.class)
    void everyConnectionFaultIsRetriedThenFailsWithNothingOnDisk(Fault fault) throws Exception {
        server.stubFor(get("/fault").willReturn(aResponse().withFault(fault)));
        Runs run = fetch(url("/fault"), "--retries", "2");
        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains("gave up after 3 attempts"), run.err());
        assertEquals(2, run.err().lines().filter(l -> l.contains("retrying")).count(), run.err());
        assertEquals(List.of(), Runs.files(out()));
    }

    @Test
    void aServerThatFailsTwiceThenAnswersIsRetriedToSuccess() throws Exception {
        server.stubFor(get("/flaky").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("once")
                .willReturn(aResponse().withStatus(503)));
        server.stubFor(get("/flaky").inScenario("flaky").whenScenarioStateIs("once").willSetStateTo("twice")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        server.stubFor(get("/flaky").inScenario("flaky").whenScenarioStateIs("twice")
                .willReturn(aResponse().withBody(DATA)));
        Runs run = fetch(url("/flaky"));
        assertEquals(0, run.status(), run.toString());
        assertTrue(run.err().contains("retrying  flaky: HTTP 503 Service Unavailable; attempt 2"), run.err());
        assertArrayEquals(DATA, Files.readAllBytes(out().resolve("flaky")));
    }

    @Test
    void fourOhFourAndFourTenAreFinalAndNotRetried() throws Exception {
        server.stubFor(get("/missing").willReturn(aResponse().withStatus(404)));
        server.stubFor(get("/gone").willReturn(aResponse().withStatus(410)));
        Runs run = fetch(url("/missing"), url("/gone"));
        assertEquals(1, run.status());
        assertTrue(run.err().contains("/missing: HTTP 404 Not Found") && run.err().contains("/gone: HTTP 410 Gone"), run.err());
        server.verify(1, getRequestedFor(urlEqualTo("/missing")));
        server.verify(1, getRequestedFor(urlEqualTo("/gone")));
    }

    // ---- Retry-After

    private static Duration gap(List<LoggedRequest> requests) {
        List<LoggedRequest> sorted = requests.stream().sorted(java.util.Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
        return Duration.between(sorted.get(0).getLoggedDate().toInstant(), sorted.get(1).getLoggedDate().toInstant());
    }

    @Test
    void retryAfterInSecondsIsHonoured() throws Exception {
        server.stubFor(get("/busy").inScenario("busy").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("ok")
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1")));
        server.stubFor(get("/busy").inScenario("busy").whenScenarioStateIs("ok").willReturn(aResponse().withBody(DATA)));
        Runs run = fetch(url("/busy"), "--max-retry-wait", "5");
        assertEquals(0, run.status(), run.toString());
        assertTrue(run.err().contains("again in 1.00 s"), run.err());
        assertTrue(gap(server.findAll(getRequestedFor(urlEqualTo("/busy")))).toMillis() >= 950);
        assertArrayEquals(DATA, Files.readAllBytes(out().resolve("busy")));
    }

    @Test
    void retryAfterAsAnHttpDateIsHonoured() throws Exception {
        // An HTTP date has whole seconds: 3 s ahead, cut to the second, is between 2 and 3 s ahead.
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(3));
        server.stubFor(get("/later").inScenario("later").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("ok")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", date)));
        server.stubFor(get("/later").inScenario("later").whenScenarioStateIs("ok").willReturn(aResponse().withBody(DATA)));
        Runs run = fetch(url("/later"), "--max-retry-wait", "5");
        assertEquals(0, run.status(), run.toString());
        // Between 2 and 3 s after the date was made, less the time until the first request: well over 1.5 s.
        assertTrue(gap(server.findAll(getRequestedFor(urlEqualTo("/later")))).toMillis() >= 1500);
    }

    @Test
    void retryAfterPausesEveryDownloadToThatHost() throws Exception {
        // Until /first has been told to wait, /second answers 503 without Retry-After (a quick retry), so the
        // order in which the two threads reach the server does not matter.
        server.stubFor(get("/first").inScenario("host").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("paused")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));
        server.stubFor(get("/second").inScenario("host").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)));
        server.stubFor(get("/first").inScenario("host").whenScenarioStateIs("paused").willReturn(aResponse().withBody("1")));
        server.stubFor(get("/second").inScenario("host").whenScenarioStateIs("paused").willReturn(aResponse().withBody("2")));

        Runs run = fetch(url("/first"), url("/second"), "--max-retry-wait", "5", "--max-connections", "1", "--retries", "10");

        assertEquals(0, run.status(), run.toString());
        java.time.Instant told = server.findAll(getRequestedFor(urlEqualTo("/first"))).stream()
                .map(r -> r.getLoggedDate().toInstant()).min(java.util.Comparator.naturalOrder()).orElseThrow();
        java.time.Instant next = server.findAll(getRequestedFor(urlEqualTo("/second"))).stream()
                .map(r -> r.getLoggedDate().toInstant()).filter(t -> !t.isBefore(told))
                .min(java.util.Comparator.naturalOrder()).orElseThrow();
        long waited = Duration.between(told, next).toMillis();
        assertTrue(waited >= 900, "the other download waited for the host's pause, only " + waited + " ms");
        assertEquals("2", Files.readString(out().resolve("second")));
    }

    // ---- resume and integrity

    @Test
    void aTruncatedBodyResumesWithRangeAndIfRange() throws Exception {
        server.stubFor(get("/cut").withHeader("Range", absent()).willReturn(aResponse()
                .withHeader("Content-Length", "10000").withHeader("ETag", "\"v1\"").withBody(Arrays.copyOf(DATA, 4000))));
        stubResume("/cut", 4000, "\"v1\"");
        Runs run = fetch(url("/cut"));
        assertEquals(0, run.status(), run.toString());
        assertArrayEquals(DATA, Files.readAllBytes(out().resolve("cut")));
        server.verify(1, getRequestedFor(urlEqualTo("/cut")).withHeader("Range", equalTo("bytes=4000-")));
    }

    @Test
    void withoutAValidatorTheLengthMustMatchToResume() throws Exception {
        server.stubFor(get("/plain").withHeader("Range", absent()).willReturn(aResponse()
                .withHeader("Content-Length", "10000").withBody(Arrays.copyOf(DATA, 6000))));
        stubResume("/plain", 6000, null);
        Runs run = fetch(url("/plain"));
        assertEquals(0, run.status(), run.toString());
        assertArrayEquals(DATA, Files.readAllBytes(out().resolve("plain")));
        server.verify(getRequestedFor(urlEqualTo("/plain")).withHeader("If-Range", absent()).withHeader("Range", equalTo("bytes=6000-")));
    }

    @Test
    void aTwoHundredAnswerToARangeRequestRestartsCleanly() throws Exception {
        server.stubFor(get("/norange").willReturn(aResponse()
                .withHeader("Content-Length", "10000").withHeader("ETag", "\"v1\"").withBody(Arrays.copyOf(DATA, 3000))));
        server.stubFor(get("/norange").withHeader("Range", equalTo("bytes=3000-")).atPriority(1)
                .willReturn(aResponse().withHeader("ETag", "\"v1\"").withBody(DATA)));
        Runs run = fetch(url("/norange"));
        assertEquals(0, run.status(), run.toString());
        assertArrayEquals(DATA, Files.readAllBytes(out().resolve("norange")));
    }

    @Test
    void aChangedETagBetweenAttemptsRestartsFromZero() throws Exception {
        byte[] v2 = DemoServer.content(8, 12_000);
        server.stubFor(get("/moving").willReturn(aResponse()
                .withHeader("Content-Length", "10000").withHeader("ETag", "\"v1\"").withBody(Arrays.copyOf(DATA, 5000))));
        // If-Range with the old ETag: the server sends the whole new version, as RFC 9110 says.
        server.stubFor(get("/moving").withHeader("If-Range", equalTo("\"v1\"")).atPriority(1)
                .willReturn(aResponse().withHeader("ETag", "\"v2\"").withBody(v2)));
        Runs run = fetch(url("/moving"));
        assertEquals(0, run.status(), run.toString());
        assertArrayEquals(v2, Files.readAllBytes(out().resolve("moving")));
    }

    @Test
    void a416ForACompletePartPublishesItAndOtherwiseStartsAgain() throws Exception {
        Files.createDirectories(out());
        try (var disk = new Durability(out());
             var part = PartFile.open(out().resolve("whole.bin.part"), 0, java.net.URI.create(url("/whole.bin")), "\"w\"", -1, disk)) {
            part.write(DATA, DATA.length);
        }
        try (var disk = new Durability(out());
             var part = PartFile.open(out().resolve("done.bin.part"), 0, java.net.URI.create(url("/done.bin")), "\"d\"", -1, disk)) {
            part.write(DATA, DATA.length);
        }
        server.stubFor(get("/done.bin").withHeader("Range", equalTo("bytes=10000-")).willReturn(aResponse()
                .withStatus(416).withHeader("Content-Range", "bytes */10000")));
        server.stubFor(get("/whole.bin").withHeader("Range", equalTo("bytes=10000-")).atPriority(1).willReturn(aResponse()
                .withStatus(416).withHeader("Content-Range", "bytes */20000")));
        byte[] bigger = DemoServer.content(9, 20_000);
        server.stubFor(get("/whole.bin").withHeader("Range", absent()).willReturn(aResponse().withBody(bigger)));

        Runs run = fetch(url("/done.bin"), url("/whole.bin"));

        assertEquals(0, run.status(), run.toString());
        assertArrayEquals(DATA, Files.readAllBytes(out().resolve("done.bin")));
        assertArrayEquals(bigger, Files.readAllBytes(out().resolve("whole.bin")));
        assertEquals(List.of("done.bin", "whole.bin"), Runs.files(out()));
    }

    @Test
    void aChecksumMismatchDeletesThePartAndHasItsOwnExitStatus() throws Exception {
        server.stubFor(get("/signed.bin").willReturn(aResponse().withBody(DATA)));
        server.stubFor(get("/tampered.bin").willReturn(aResponse().withBody("not what was promised")));
        String good = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(DATA));
        Path list = Runs.list(dir, url("/signed.bin"), "  checksum=sha-256=" + good,
                url("/tampered.bin"), "  checksum=sha-256=" + good);
        Runs run = Runs.of(Runs.fast("-o", out().toString(), list.toString()));
        assertEquals(3, run.status(), run.toString());
        assertTrue(run.err().contains("SHA-256 mismatch: expected " + good), run.err());
        assertEquals(List.of("signed.bin"), Runs.files(out()));
        assertArrayEquals(DATA, Files.readAllBytes(out().resolve("signed.bin")));
    }

    // ---- timeouts and limits

    @Test
    void aSilentServerHitsTheStallTimeoutAndIsRetried() throws Exception {
        server.stubFor(get("/silent").inScenario("silent").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("awake")
                .willReturn(aResponse().withBody(DATA).withFixedDelay(3000)));
        server.stubFor(get("/silent").inScenario("silent").whenScenarioStateIs("awake").willReturn(aResponse().withBody(DATA)));
        Runs run = fetch(url("/silent"), "--stall-timeout", "0.5");
        assertEquals(0, run.status(), run.toString());
        assertTrue(run.err().contains("no answer from localhost:" + server.getPort() + " within 0.50 s"), run.err());
        assertArrayEquals(DATA, Files.readAllBytes(out().resolve("silent")));
    }

    @Test
    void aSlowButSteadyBodyIsNotAStallButASlowerOneIs() throws Exception {
        // Chunked dribble: 5 chunks, one every 200 ms (the headers come with the first).
        server.stubFor(get("/steady").willReturn(aResponse().withBody(DATA).withChunkedDribbleDelay(5, 1000)));
        Runs steady = fetch(url("/steady"), "--stall-timeout", "1");
        assertEquals(0, steady.status(), steady.toString());
        assertArrayEquals(DATA, Files.readAllBytes(out().resolve("steady")));

        Files.delete(out().resolve("steady"));
        Runs stalled = fetch(url("/steady"), "--stall-timeout", "0.1", "--retries", "1");
        assertEquals(1, stalled.status(), stalled.toString());
        assertEquals(List.of(), Runs.files(out()));
    }

    @Test
    void aBodyThatStallsMidwayResumesWhereItStopped() throws Exception {
        try (HoldingServer holding = new HoldingServer(DATA, 3000, Duration.ofSeconds(5))) {
            Runs run = fetch(holding.url("/stall.bin"), "--stall-timeout", "0.5");
            assertEquals(0, run.status(), run.toString());
            assertTrue(run.err().contains("stalled: less than 4 bytes a second for 0.50 s after 3000 bytes"), run.err());
            assertEquals(List.of("null", "bytes=3000-"), holding.ranges);
            assertArrayEquals(DATA, Files.readAllBytes(out().resolve("stall.bin")));
        }
    }

    @Test
    void maxSizeStopsAnnouncedAndEndlessBodies() throws Exception {
        server.stubFor(get("/big").willReturn(aResponse().withHeader("Content-Length", "10000").withBody(DATA)));
        server.stubFor(get("/endless").willReturn(aResponse().withBody(DATA).withChunkedDribbleDelay(10, 100)));
        Runs run = fetch(url("/big"), url("/endless"), "--max-size", "4K");
        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains("/big: larger than --max-size 4096 bytes (the server announces 10000)"), run.err());
        assertTrue(run.err().contains("/endless: larger than --max-size 4096 bytes (more than that arrived)"), run.err());
        assertEquals(List.of(), Runs.files(out()));
    }

    // ---- redirects

    @Test
    void redirectsAreFollowedLoopsAndOtherSchemesAreNot() throws Exception {
        server.stubFor(get("/old").willReturn(aResponse().withStatus(301).withHeader("Location", "/new/file.txt")));
        server.stubFor(get("/new/file.txt").willReturn(aResponse().withBody("moved")));
        server.stubFor(get("/ping").willReturn(aResponse().withStatus(302).withHeader("Location", url("/pong"))));
        server.stubFor(get("/pong").willReturn(aResponse().withStatus(307).withHeader("Location", "/ping")));
        server.stubFor(get("/local").willReturn(aResponse().withStatus(302).withHeader("Location", "file:///etc/passwd")));
        Runs run = fetch(url("/old"), url("/ping"), url("/local"));
        assertEquals(1, run.status(), run.toString());
        assertEquals("moved", Files.readString(out().resolve("old")));
        assertTrue(run.err().contains("/ping: redirect loop: " + url("/pong") + " leads back to " + url("/ping")), run.err());
        assertTrue(run.err().contains("/local: redirected to file:///etc/passwd: only http and https redirects are followed"), run.err());
        assertEquals(List.of("old"), Runs.files(out()));
    }

    // ---- hostile names

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "attachment; filename=\"../../escape.txt\"                 | escape.txt",
            "attachment; filename=\"/etc/passwd\"                      | passwd",
            "attachment; filename=\"..\"                               | index.html",
            "attachment; filename=\"...\"                              | index.html",
            "attachment; filename=\"C:\\\\Windows\\\\evil.dll\"        | evil.dll",
            "attachment; filename=\"CON\"                              | _CON",
            "attachment; filename=\"other.bin.part\"                   | other.bin.part_",
            "attachment; filename*=UTF-8''a%01b%00c%7F.txt            | abc.txt",
            "attachment; filename=\".hidden\"                          | hidden",
            "attachment; filename*=UTF-8''%E2%82%AC%20rates.txt        | € rates.txt",
            "attachment; filename=\"plain.txt\"; filename*=UTF-8''fancy%C3%A9.txt | fancyé.txt",
            "attachment; filename*=UTF-8''..%2F..%2Fup.txt             | up.txt",
            "attachment; filename=\"semi;colon.txt\"                   | semi;colon.txt",
    })
    void contentDispositionNamesStayInsideTheOutputFolder(String header, String expected) throws Exception {
        server.stubFor(get("/get/").willReturn(aResponse().withHeader("Content-Disposition", header).withBody("x")));
        Runs run = fetch(url("/get/"));
        assertEquals(0, run.status(), run.toString());
        assertEquals(List.of(expected), Runs.files(out()));
        assertEquals(List.of("out", "urls.txt"), Runs.files(dir), "nothing written outside the output folder");
    }

    @Test
    void aVeryLongServerNameIsShortenedAndAnExistingNameIsNotOverwritten() throws Exception {
        String longName = "n".repeat(400) + ".txt";
        server.stubFor(get("/a/").willReturn(aResponse().withHeader("Content-Disposition", "attachment; filename=\"" + longName + "\"").withBody("long")));
        server.stubFor(get("/b/").willReturn(aResponse().withHeader("Content-Disposition", "attachment; filename=\"taken.txt\"").withBody("new")));
        Files.createDirectories(out());
        Files.writeString(out().resolve("taken.txt"), "old");
        Runs run = fetch(url("/a/"), url("/b/"));
        assertEquals(0, run.status(), run.toString());
        assertEquals("old", Files.readString(out().resolve("taken.txt")));
        assertEquals("new", Files.readString(out().resolve("taken.1.txt")));
        String shortened = Runs.files(out()).stream().filter(n -> n.startsWith("nnn")).findFirst().orElseThrow();
        assertEquals(FileNames.MAX_BYTES, shortened.length());
        assertTrue(shortened.endsWith(".txt"));
    }

    @Test
    void contentDispositionWinsOnlyWhenAskedIfTheUrlHasAName() throws Exception {
        server.stubFor(get("/report.pdf").willReturn(aResponse().withHeader("Content-Disposition", "attachment; filename=\"2024-report.pdf\"").withBody("r")));
        assertEquals(0, fetch(url("/report.pdf")).status());
        assertEquals(List.of("report.pdf"), Runs.files(out()));
        Files.delete(out().resolve("report.pdf"));
        assertEquals(0, fetch(url("/report.pdf"), "--content-disposition").status());
        assertEquals(List.of("2024-report.pdf"), Runs.files(out()));
    }

    // ---- the machine

    @Test
    void anOutputFolderThatIsAFileIsAClearInputError() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("plain-file"), "x");
        Path list = Runs.list(dir, url("/x"));
        Runs run = Runs.of("-o", notAFolder.toString(), list.toString());
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains("cannot create the output folder " + notAFolder), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    void aPartFileThatCannotBeWrittenFailsThatDownloadWithItsPath() throws Exception {
        server.stubFor(get("/blocked.bin").willReturn(aResponse().withBody(DATA)));
        server.stubFor(get("/fine.bin").willReturn(aResponse().withBody(DATA)));
        Files.createDirectories(out().resolve("blocked.bin.part"));
        Runs run = fetch(url("/blocked.bin"), url("/fine.bin"));
        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains("/blocked.bin: cannot write " + out().resolve("blocked.bin.part")), run.err());
        assertArrayEquals(DATA, Files.readAllBytes(out().resolve("fine.bin")));
        assertFalse(Files.exists(out().resolve("blocked.bin")));
    }

    // ---- what was untested

    @Test
    void aListOnStandardInputDownloads() throws Exception {
        server.stubFor(get("/stdin.bin").willReturn(aResponse().withBody(DATA)));
        Runs run = Runs.withInput(url("/stdin.bin") + "\n", "-o", out().toString(), "-");
        assertEquals(0, run.status(), run.toString());
        assertArrayEquals(DATA, Files.readAllBytes(out().resolve("stdin.bin")));
    }

    @Test
    void moreThanTenRedirectsAndAMissingLocationAreClearFailures() throws Exception {
        for (int i = 0; i <= 11; i++) {
            server.stubFor(get("/hop" + i).willReturn(aResponse().withStatus(302).withHeader("Location", "/hop" + (i + 1))));
        }
        server.stubFor(get("/nowhere").willReturn(aResponse().withStatus(301)));
        Runs run = fetch(url("/hop0"), url("/nowhere"));
        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains("/hop0: more than 10 redirects"), run.err());
        assertTrue(run.err().contains("/nowhere: HTTP 301 redirect without a Location header"), run.err());
        server.verify(11, getRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlMatching("/hop.*")));
    }

    @Test
    void aPartialAnswerAtTheWrongOffsetStartsAgainFromZero() throws Exception {
        server.stubFor(get("/shifted").willReturn(aResponse()
                .withHeader("Content-Length", "10000").withHeader("ETag", "\"s\"").withBody(Arrays.copyOf(DATA, 4000))));
        // Asked for bytes=4000-, the server sends from 2000: appending that would corrupt the file. After that, the whole.
        server.stubFor(get("/shifted").withHeader("Range", absent()).inScenario("shift").whenScenarioStateIs("again").atPriority(2)
                .willReturn(aResponse().withHeader("ETag", "\"s\"").withBody(DATA)));
        server.stubFor(get("/shifted").withHeader("Range", equalTo("bytes=4000-")).inScenario("shift").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("again").atPriority(1).willReturn(aResponse().withStatus(206)
                        .withHeader("ETag", "\"s\"").withHeader("Content-Range", "bytes 2000-9999/10000").withBody(slice(2000))));
        Runs run = fetch(url("/shifted"));
        assertEquals(0, run.status(), run.toString());
        assertTrue(run.err().contains("the server resumed at byte 2000 instead of 4000; starting again from zero"), run.err());
        assertArrayEquals(DATA, Files.readAllBytes(out().resolve("shifted")));
    }

    // ---- politeness

    @Test
    void waitSpacesOutRequestStartsToOneHost() throws Exception {
        for (int i = 1; i <= 4; i++) {
            server.stubFor(get("/polite" + i).willReturn(aResponse().withBody("x")));
        }
        Runs run = fetch(url("/polite1"), url("/polite2"), url("/polite3"), url("/polite4"), "--wait", "0.3");
        assertEquals(0, run.status(), run.toString());
        List<java.time.Instant> starts = server.findAll(getRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlMatching("/polite.*")))
                .stream().map(r -> r.getLoggedDate().toInstant()).sorted().toList();
        assertEquals(4, starts.size());
        for (int i = 1; i < starts.size(); i++) {
            assertTrue(Duration.between(starts.get(i - 1), starts.get(i)).toMillis() >= 280, "request starts " + starts);
        }
    }

    @Test
    void limitRateHoldsTheWholeRunToItsBudget() throws Exception {
        byte[] body = DemoServer.content(4, 150_000);
        server.stubFor(get("/slow1").willReturn(aResponse().withBody(body)));
        server.stubFor(get("/slow2").willReturn(aResponse().withBody(body)));
        long start = System.nanoTime();
        Runs run = fetch(url("/slow1"), url("/slow2"), "--limit-rate", "100K");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, run.status(), run.toString());
        // 300,000 bytes at 102,400 a second, less the tenth of a second that may be spent at once: over 2.7 s.
        assertTrue(millis >= 2_700, "took " + millis + " ms");
        assertArrayEquals(body, Files.readAllBytes(out().resolve("slow2")));
    }

    @Test
    void randomWaitNeedsWait() throws Exception {
        Runs run = fetch(url("/x"), "--random-wait");
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains("--random-wait varies the pause of --wait"), run.err());
    }
}
