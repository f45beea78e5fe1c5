package dl;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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

/** Hostile files, servers and lists: nothing written outside the folder, no secret sent away, nothing raw printed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecurityTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    /** Another origin (same address, another port), as a redirect to another host would be. */
    @RegisterExtension
    static WireMockExtension other = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    @TempDir
    Path dir;

    private static final byte[] DATA = DemoServer.content(5, 3 << 20);

    private Path out() {
        return dir.resolve("out");
    }

    private Runs fetch(List<String> lines, String... args) throws Exception {
        Path list = Runs.list(dir, lines.toArray(String[]::new));
        String[] all = java.util.stream.Stream.concat(Arrays.stream(args), java.util.stream.Stream.of("-o", out().toString(), list.toString()))
                .toArray(String[]::new);
        return Runs.of(Runs.fast(all));
    }

    // ---- 1. links planted in the output folder

    @Test
    void aPlantedLinkUnderThePartNameIsRefusedAndItsTargetIsUntouched() throws Exception {
        server.stubFor(get("/f.bin").willReturn(aResponse().withBody(DATA)));
        server.stubFor(get("/g.bin").willReturn(aResponse().withBody(DATA)));
        Files.createDirectories(out());
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Files.createSymbolicLink(out().resolve("f.bin.part"), Path.of("../victim.txt"));
        Files.createSymbolicLink(out().resolve("g.bin.part"), Path.of("../created-outside.txt"));

        Runs run = fetch(List.of(server.baseUrl() + "/f.bin", server.baseUrl() + "/g.bin"));

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains("/f.bin: cannot write " + out().resolve("f.bin.part") + ": it is a symbolic link"), run.err());
        assertEquals("precious", Files.readString(victim));
        assertFalse(Files.exists(dir.resolve("created-outside.txt")), "a dangling link creates nothing outside");
        assertTrue(Files.isSymbolicLink(out().resolve("f.bin.part")), "the user's link stays as it was");
        assertFalse(Files.exists(out().resolve("f.bin"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aHardLinkUnderThePartNameIsNeverTruncatedOrResumedInto() throws Exception {
        server.stubFor(get("/h.bin").willReturn(aResponse().withHeader("ETag", "\"h\"").withBody(DATA)));
        Files.createDirectories(out());
        Path victim = Files.write(dir.resolve("victim.bin"), new byte[2 << 20]);
        Files.createLink(out().resolve("h.bin.part"), victim);

        Runs run = fetch(List.of(server.baseUrl() + "/h.bin"));

        assertEquals(0, run.status(), run.toString());
        assertArrayEquals(DATA, Files.readAllBytes(out().resolve("h.bin")));
        assertArrayEquals(new byte[2 << 20], Files.readAllBytes(victim));
    }

    @Test
    void aLinkUnderTheFinalNameIsSkippedAndOverwriteReplacesTheLinkNotItsTarget() throws Exception {
        server.stubFor(get("/t.bin").willReturn(aResponse().withBody(DATA)));
        Files.createDirectories(out());
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Files.createSymbolicLink(out().resolve("t.bin"), Path.of("../victim.txt"));

        Runs skipped = fetch(List.of(server.baseUrl() + "/t.bin"));
        assertEquals(0, skipped.status(), skipped.toString());
        assertTrue(skipped.err().contains("skipped   t.bin: already exists"), skipped.err());

        Runs replaced = fetch(List.of(server.baseUrl() + "/t.bin"), "--overwrite");
        assertEquals(0, replaced.status(), replaced.toString());
        assertFalse(Files.isSymbolicLink(out().resolve("t.bin")));
        assertArrayEquals(DATA, Files.readAllBytes(out().resolve("t.bin")));
        assertEquals("precious", Files.readString(victim));
    }

    // ---- 2. credentials and redirects

    @Test
    void credentialsGoOnlyToTheOriginalServerUnlessTrusted() throws Exception {
        server.stubFor(get("/away").willReturn(aResponse().withStatus(302).withHeader("Location", other.baseUrl() + "/landing")));
        server.stubFor(get("/home").willReturn(aResponse().withStatus(302).withHeader("Location", "/landed")));
        server.stubFor(get("/landed").willReturn(aResponse().withBody("home")));
        other.stubFor(get("/landing").willReturn(aResponse().withBody("away")));
        List<String> lines = List.of(server.baseUrl() + "/away", "  header=Cookie: c=1", server.baseUrl() + "/home", "  header=Cookie: c=1");

        Runs run = fetch(lines, "-H", "Authorization: Bearer T", "-H", "X-Plain: p");
        assertEquals(0, run.status(), run.toString());
        other.verify(getRequestedFor(urlEqualTo("/landing"))
                .withHeader("Authorization", absent()).withHeader("Cookie", absent()).withHeader("X-Plain", equalTo("p")));
        server.verify(getRequestedFor(urlEqualTo("/landed"))
                .withHeader("Authorization", equalTo("Bearer T")).withHeader("Cookie", equalTo("c=1")));

        other.resetRequests();
        Runs trusted = fetch(lines, "-H", "Authorization: Bearer T", "--location-trusted", "--overwrite");
        assertEquals(0, trusted.status(), trusted.toString());
        other.verify(getRequestedFor(urlEqualTo("/landing")).withHeader("Authorization", equalTo("Bearer T")).withHeader("Cookie", equalTo("c=1")));
    }

    @Test
    void trustedCredentialsStillNeverFollowAnHttpsToHttpDowngrade() {
        URI https = URI.create("https://a.example/x");
        assertTrue(Redirects.mayCarry("Authorization", https, URI.create("https://a.example:443/y"), false));
        assertFalse(Redirects.mayCarry("Authorization", https, URI.create("http://a.example/y"), false));
        assertFalse(Redirects.mayCarry("Cookie", https, URI.create("http://a.example/y"), true));
        assertTrue(Redirects.mayCarry("Proxy-Authorization", https, URI.create("https://b.example/y"), true));
        assertFalse(Redirects.mayCarry("proxy-authorization", https, URI.create("https://b.example/y"), false));
        assertTrue(Redirects.mayCarry("X-Anything", https, URI.create("http://b.example/y"), false));
    }

    // ---- 3. nothing raw on the terminal

    @Test
    void escapeSequencesFromServersAndListsArePrintedEscaped() throws Exception {
        server.stubFor(get("/esc").willReturn(aResponse().withStatus(302).withHeader("Location", "gopher://x/\u001b[2J")));
        Path list = Runs.list(dir, server.baseUrl() + "/esc", "http://x.example/\u001b[31mred");
        Runs run = Runs.of(Runs.fast("-o", out().toString(), list.toString()));
        assertEquals(1, run.status(), run.toString());
        assertFalse(run.out().contains("\u001b") || run.err().contains("\u001b"), run.toString());
        assertTrue(run.err().contains("\\x1b[2J"), run.err());
        assertTrue(run.err().contains("\\x1b[31mred"), run.err());
    }

    @Test
    void aRightToLeftOverrideInAServerChosenNameIsRefused() throws Exception {
        server.stubFor(get("/dl/").willReturn(aResponse().withHeader("Content-Disposition", "attachment; filename*=UTF-8''photo%E2%80%AEgpj.exe")
                .withBody("x")));
        Runs run = fetch(List.of(server.baseUrl() + "/dl/"));
        assertEquals(0, run.status(), run.toString());
        assertEquals(List.of("index.html"), Runs.files(out()));
    }

    @Test
    void terminalTextEscapesControlAndBidiCharacters() {
        assertEquals("a\\x1b[2Jb\\u202ec\\x07\\x9b", Terminal.safe("a\u001b[2Jb\u202Ec\u0007\u009b"));
        assertEquals("café ✓ 名前", Terminal.safe("café ✓ 名前"));
    }

    // ---- 4. resume only the same URL

    @Test
    void aPartFileLeftByAnotherUrlIsNotResumedEvenWithTheSameETag() throws Exception {
        Files.createDirectories(out());
        byte[] foreign = DemoServer.content(6, 2 << 20);
        try (var disk = new Durability(out());
             var part = PartFile.open(out().resolve("f.bin.part"), 0, URI.create(server.baseUrl() + "/old/f.bin"), "\"same\"", -1, disk)) {
            part.write(foreign, foreign.length);
        }
        server.stubFor(get("/new/f.bin").willReturn(aResponse().withHeader("ETag", "\"same\"").withBody(DATA)));
        server.stubFor(get("/new/f.bin").withHeader("Range", equalTo("bytes=" + foreign.length + "-")).atPriority(1)
                .willReturn(aResponse().withStatus(206).withHeader("ETag", "\"same\"")
                        .withHeader("Content-Range", "bytes " + foreign.length + "-" + (DATA.length - 1) + "/" + DATA.length)
                        .withBody(Arrays.copyOfRange(DATA, foreign.length, DATA.length))));

        Runs run = fetch(List.of(server.baseUrl() + "/new/f.bin"));

        assertEquals(0, run.status(), run.toString());
        assertArrayEquals(DATA, Files.readAllBytes(out().resolve("f.bin")));
        server.verify(0, getRequestedFor(urlEqualTo("/new/f.bin")).withHeader("Range", com.github.tomakehurst.wiremock.client.WireMock.matching(".*")));
    }

    // ---- 15. two runs into one folder

    @Test
    void aPartFileLockedByAnotherProcessIsReportedAndLeftAlone() throws Exception {
        server.stubFor(get("/shared.bin").willReturn(aResponse().withBody(DATA)));
        Files.createDirectories(out());
        Path part = out().resolve("shared.bin.part");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dl.HoldLock", part.toString())
                .redirectErrorStream(true).start();
        try {
            assertEquals("locked", new java.io.BufferedReader(new java.io.InputStreamReader(other.getInputStream())).readLine());
            Runs run = fetch(List.of(server.baseUrl() + "/shared.bin"));
            assertEquals(1, run.status(), run.toString());
            assertTrue(run.err().contains("another process is downloading into it right now"), run.err());
            assertEquals(List.of("shared.bin.part"), Runs.files(out()), "no copy, and the other process's file stays");
            // A download that fails before it ever opens the part file leaves the other process's file alone too.
            Runs failing = fetch(List.of("http://127.0.0.1:1/shared.bin"), "--retries", "0");
            assertEquals(1, failing.status(), failing.toString());
            assertEquals(List.of("shared.bin.part"), Runs.files(out()));
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    // ---- 14. names from the server, run again

    @Test
    void aRerunOfServerNamedFilesSkipsThemInsteadOfNumberingCopies() throws Exception {
        server.stubFor(get("/export/?id=1").willReturn(aResponse().withHeader("Content-Disposition", "attachment; filename=\"report.csv\"").withBody("a,b")));
        server.stubFor(get("/export/?id=2").willReturn(aResponse().withHeader("Content-Disposition", "attachment; filename=\"report.csv\"").withBody("c,d")));
        List<String> lines = List.of(server.baseUrl() + "/export/?id=1", server.baseUrl() + "/export/?id=2");
        Runs first = fetch(lines);
        assertEquals(0, first.status(), first.toString());
        assertEquals(List.of("report.1.csv", "report.csv"), Runs.files(out()));

        Runs again = fetch(lines);
        assertEquals(0, again.status(), again.toString());
        assertEquals(2, again.err().lines().filter(l -> l.contains("already downloaded from this URL")).count(), again.err());
        assertEquals(List.of("report.1.csv", "report.csv"), Runs.files(out()));
    }

    // ---- credentials from .netrc and from the URL

    @Test
    void netrcCredentialsGoToTheirHostOnly() throws Exception {
        server.stubFor(get("/n1").willReturn(aResponse().withBody("1")));
        server.stubFor(get("/n2").willReturn(aResponse().withStatus(302).withHeader("Location", other.baseUrl() + "/n3")));
        other.stubFor(get("/n3").willReturn(aResponse().withBody("3")));
        String host = URI.create(server.baseUrl()).getHost();
        Path netrc = Files.writeString(dir.resolve("netrc"), "# test\nmachine other.example login x password y\nmachine " + host + "\n  login u\n  password p\n");
        Runs run = fetch(List.of(server.baseUrl() + "/n1", server.baseUrl() + "/n2"), "--netrc-file", netrc.toString());
        assertEquals(0, run.status(), run.toString());
        server.verify(getRequestedFor(urlEqualTo("/n1")).withHeader("Authorization", equalTo("Basic dTpw")));
        other.verify(getRequestedFor(urlEqualTo("/n3")).withHeader("Authorization", absent()));
    }

    @Test
    void credentialsInAUrlAreSentButNeverShown() throws Exception {
        server.stubFor(get("/u1").willReturn(aResponse().withStatus(404)));
        String url = server.baseUrl().replace("http://", "http://user:s3cret@") + "/u1";
        Runs plain = fetch(List.of(url, "http://user:s3cret@bad host/"));
        Runs json = fetch(List.of(url), "--json");
        server.verify(2, getRequestedFor(urlEqualTo("/u1")).withHeader("Authorization", equalTo("Basic dXNlcjpzM2NyZXQ=")));
        for (Runs run : List.of(plain, json)) {
            assertEquals(1, run.status(), run.toString());
            assertFalse(run.out().contains("s3cret") || run.err().contains("s3cret"), run.toString());
        }
        assertTrue(plain.err().contains("user:***@bad host"), plain.err());
    }

    /**
     * Issue #22, 9: a duplicate line printed its password, one with @ or / in it printed part or all of it, and a
     * mistyped header line echoed its token. Every secret below is a word that must appear in no message.
     */
    @Test
    void passwordsAndHeaderValuesAreMaskedInEveryMessage() throws Exception {
        server.stubFor(get("/away").willReturn(aResponse().withStatus(302).withHeader("Location", "gopher://ru:RedirSecret@x.example/")));
        String host = "127.0.0.1:9";
        List<String> lines = List.of(
                "  header=Authorization: Bearer OrphanSecret",           // 1: no URL line above it
                "http://alice:hunter2pw@" + host + "/dup.bin",           // 2
                "http://alice:hunter2pw@" + host + "/dup.bin",           // 3: a duplicate
                "http://u:AtSign@PartSecret@" + host + "/at.bin",        // 4: @ in the password
                "http://u:Slash/WholeSecret@" + host + "/slash.bin",     // 5: / in the password
                "http://u:Space SpaceSecret@" + host + "/space.bin",     // 6: a space in the password
                "http://TokenSecret@" + host + "/two words.bin",         // 7: a token as the user, on a bad line
                server.baseUrl() + "/away",                              // 8
                "  header=Authorization Bearer NoColonSecret",           // 9: no colon
                "  headers=Authorization: Bearer TypoSecret",            // 10: a misspelt key
                "  header Authorization: Bearer NoEqualsSecret",         // 11: no =
                "  Authorization: Bearer BareSecret",                    // 12: no key at all
                "  header=X Api NameSecret: v");                         // 13: a space in the name
        Path list = Runs.list(dir, lines.toArray(String[]::new));
        List<Runs> runs = List.of(
                Runs.of(Runs.fast("--retries", "0", "-o", out().toString(), list.toString())),
                Runs.of("--dry-run", "-H", "Authorization Bearer OptionSecret", list.toString()),
                Runs.of("--dry-run", "-H", "Authorization=Bearer OptionSecret", list.toString()),
                Runs.of("--dry-run", "--proxy", "http://u:Slash/ProxySecret@proxy.example:3128", list.toString()));
        List<String> secrets = List.of("OrphanSecret", "hunter2pw", "PartSecret", "WholeSecret", "SpaceSecret", "TokenSecret",
                "RedirSecret", "NoColonSecret", "TypoSecret", "NoEqualsSecret", "BareSecret", "NameSecret", "OptionSecret", "ProxySecret");
        for (Runs run : runs) {
            for (String secret : secrets) {
                assertFalse(run.out().contains(secret) || run.err().contains(secret), secret + " shown in:\n" + run);
            }
        }
        Runs run = runs.getFirst();
        assertEquals(1, run.status(), run.toString());
        // Still enough to find the line.
        assertTrue(run.err().contains(list + ":3: duplicate of line 2 (http://alice:***@" + host + "/dup.bin)"), run.err());
        assertTrue(run.err().contains(list + ":4: no host in http://u:***@" + host + "/at.bin"), run.err());
        assertTrue(run.err().contains(list + ":7: 'http://***@" + host + "/two words.bin' contains a space"), run.err());
        assertTrue(run.err().contains(list + ":10: unknown option 'headers=***'"), run.err());
        assertTrue(run.err().contains("redirected to gopher://ru:***@x.example/"), run.err());
        assertEquals(2, runs.get(1).status(), runs.get(1).toString());
        assertEquals(2, runs.get(3).status(), runs.get(3).toString());
    }

    /** Issue #22, 14: a line break in -A failed every download (retried), and one at either end of -H was cut off unseen. */
    @Test
    void aLineBreakInTheUserAgentOrAHeaderIsAUsageErrorAtStart() throws Exception {
        Path list = Runs.list(dir, server.baseUrl() + "/never.bin");
        String[][] given = {
                {"-A", "Agent\r\nX-Injected: 1", "--user-agent"},
                {"--user-agent", "Agent\n", "--user-agent"},
                {"-H", "X-A: b\r\n", "--header"},
                {"-H", "\nX-A: b", "--header"},
                {"-H", "X-A: b\rX-Injected: 1", "--header"}};
        for (String[] g : given) {
            Runs run = Runs.of(Runs.fast(g[0], g[1], "-o", out().toString(), list.toString()));
            assertEquals(2, run.status(), run.toString());
            List<String> lines = run.err().lines().toList();
            assertEquals(1, lines.size(), run.toString());
            assertTrue(lines.getFirst().startsWith("Download.java: " + g[2] + ": "), run.toString());
            assertTrue(lines.getFirst().contains("line break"), run.toString());
            assertEquals("", run.out(), run.toString());
        }
        server.verify(0, getRequestedFor(urlEqualTo("/never.bin")));
    }
}
