package dl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cookies (issue #21, item 3): Set-Cookie kept for the run, --load-cookies and --save-cookies, RFC 6265's limits. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CookiesTest {

    @TempDir
    Path dir;

    private HttpServer server;
    /** The Cookie header of every request, by path (the empty string for none). */
    private final Map<String, List<String>> cookiesSent = new ConcurrentHashMap<>();
    /** What the server answers for a path: its status, and Set-Cookie and Location headers. */
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    record Answer(int status, List<String> setCookies, String location, String needs) {}

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String cookie = exchange.getRequestHeaders().getFirst("Cookie");
        cookiesSent.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(cookie == null ? "" : cookie);
        Answer a = answers.getOrDefault(path, new Answer(200, List.of(), null, null));
        a.setCookies().forEach(c -> exchange.getResponseHeaders().add("Set-Cookie", c));
        if (a.location() != null) {
            exchange.getResponseHeaders().add("Location", a.location());
        }
        boolean allowed = a.needs() == null || cookie != null && List.of(cookie.split("; ")).contains(a.needs());
        byte[] body = (allowed ? "ok " + path : "log in first").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(allowed ? a.status() : 403, body.length);
        try (exchange; var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private String url(String host, String path) {
        return "http://" + host + ":" + server.getAddress().getPort() + path;
    }

    private Path out() throws IOException {
        return Files.createDirectories(dir.resolve("out"));
    }

    // ---- end to end, against the server above

    @Test
    void aLoginRedirectsSessionCookieReachesItsTarget() throws Exception {
        answers.put("/login", new Answer(302, List.of("session=s3cr3t; Path=/; HttpOnly"), "/files/report.csv", null));
        answers.put("/files/report.csv", new Answer(200, List.of(), null, "session=s3cr3t"));
        for (String shown : List.of("-v", "--json")) {
            Runs run = Runs.of(shown, "--overwrite", "-O", "report.csv", "-o", out().toString(), url("127.0.0.1", "/login"));
            assertEquals(0, run.status(), run.toString());
            assertEquals("ok /files/report.csv", Files.readString(out().resolve("report.csv")));
            assertFalse(run.out().contains("s3cr3t") || run.err().contains("s3cr3t"), "a cookie is never printed: " + run);
        }
    }

    @Test
    void aSecureCookieNeverGoesOverHttp() throws Exception {
        Path jar = Files.writeString(dir.resolve("cookies.txt"), """
                # Netscape HTTP Cookie File
                127.0.0.1\tFALSE\t/\tTRUE\t0\tsecret\tonly-over-https
                127.0.0.1\tFALSE\t/\tFALSE\t0\tplain\t1
                """);
        // Over http, a server may not set a Secure cookie either: it could overwrite an https one.
        answers.put("/set", new Answer(302, List.of("forged=1; Secure; Path=/"), "/after", null));
        Runs run = Runs.of("--load-cookies", jar.toString(), "--save-cookies", dir.resolve("saved.txt").toString(), "-o", out().toString(),
                url("127.0.0.1", "/set"));
        assertEquals(0, run.status(), run.toString());
        assertEquals(List.of("plain=1"), cookiesSent.get("/set"));
        assertEquals(List.of("plain=1"), cookiesSent.get("/after"));
        String saved = Files.readString(dir.resolve("saved.txt"));
        assertTrue(saved.contains("\tsecret\tonly-over-https"), "kept for https: " + saved);
        assertFalse(saved.contains("forged"), saved);
    }

    @Test
    void aCookieForAnotherHostIsNeverSentThere() throws Exception {
        // 127.0.0.1 and localhost are one server here, and two hosts to the jar: what one sets, the other never sees.
        answers.put("/set", new Answer(302, List.of("mine=1; Path=/", "wide=2; Domain=localhost; Path=/", "ip=3; Domain=0.0.1; Path=/",
                "tld=4; Domain=com; Path=/", "dotted=5; Domain=.0.0.1; Path=/"), url("localhost", "/elsewhere"), null));
        answers.put("/elsewhere", new Answer(302, List.of(), url("127.0.0.1", "/back"), null));
        Path jar = Files.writeString(dir.resolve("cookies.txt"), "127.0.0.1\tFALSE\t/\tFALSE\t0\tloaded\t1\n");
        Runs run = Runs.of("--load-cookies", jar.toString(), "--save-cookies", dir.resolve("saved.txt").toString(), "-O", "x",
                "-o", out().toString(), url("127.0.0.1", "/set"));
        assertEquals(0, run.status(), run.toString());
        assertEquals(List.of(""), cookiesSent.get("/elsewhere"), "nothing of 127.0.0.1's went to localhost");
        assertEquals(List.of("loaded=1; mine=1"), cookiesSent.get("/back"), "only the host's own came back");
        List<String> saved = Files.readAllLines(dir.resolve("saved.txt")).stream().filter(l -> !l.startsWith("# ") && !l.isEmpty()).toList();
        assertEquals(List.of("127.0.0.1\tFALSE\t/\tFALSE\t0\tloaded\t1", "127.0.0.1\tFALSE\t/\tFALSE\t0\tmine\t1"), saved);
    }

    @Test
    void loadAndSaveRoundTripInCurlsFormat() throws Exception {
        long later = System.currentTimeMillis() / 1000 + 86_400;
        // As curl 8 writes it with -c (its own header comments, #HttpOnly_, a domain cookie with a leading dot).
        Path jar = Files.writeString(dir.resolve("cookies.txt"), String.join("\n",
                "# Netscape HTTP Cookie File",
                "# https://curl.se/docs/http-cookies.html",
                "# This file was generated by libcurl! Edit at your own risk.",
                "",
                "#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t" + later + "\tsid\tabc",
                ".example.org\tTRUE\t/\tTRUE\t" + later + "\tdomainwide\tx",
                "127.0.0.1\tFALSE\t/docs\tFALSE\t0\tdocs\ty",
                "127.0.0.1\tFALSE\t/\tFALSE\t1000\told\tlong-expired",
                ""));
        answers.put("/docs/a.txt", new Answer(200, List.of("fresh=1; Max-Age=3600; Path=/", "docs=; Max-Age=0; Path=/docs"), null, null));
        Path saved = dir.resolve("saved.txt");
        Runs run = Runs.of("--load-cookies", jar.toString(), "--save-cookies", saved.toString(), "-o", out().toString(),
                url("127.0.0.1", "/docs/a.txt"));
        assertEquals(0, run.status(), run.toString());
        assertEquals(List.of("docs=y; sid=abc"), cookiesSent.get("/docs/a.txt"), "longer path first; no expired cookie, none for example.org");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)));
        List<String> lines = Files.readAllLines(saved);
        assertEquals("# Netscape HTTP Cookie File", lines.getFirst());
        List<String> cookies = lines.stream().filter(l -> !l.startsWith("# ") && !l.isEmpty()).toList();
        assertEquals(3, cookies.size(), String.join("\n", lines));
        assertTrue(cookies.contains("#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t" + later + "\tsid\tabc"), cookies.toString());
        assertTrue(cookies.contains(".example.org\tTRUE\t/\tTRUE\t" + later + "\tdomainwide\tx"), cookies.toString());
        assertTrue(cookies.stream().anyMatch(l -> l.startsWith("127.0.0.1\tFALSE\t/\tFALSE\t") && l.endsWith("\tfresh\t1")), cookies.toString());
        // And what was saved loads again, and is sent again.
        Runs again = Runs.of("--load-cookies", saved.toString(), "--overwrite", "-o", out().toString(), url("127.0.0.1", "/docs/a.txt"));
        assertEquals(0, again.status(), again.toString());
        assertEquals("fresh=1; sid=abc", cookiesSent.get("/docs/a.txt").getLast());
        try (var files = Files.list(dir)) {
            assertEquals(List.of("cookies.txt", "out", "saved.txt"), files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left");
        }
    }

    @Test
    void aServerThatSetsACookieWithEveryAnswerCannotFillTheJar() throws Exception {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            answers.put("/f/" + i, new Answer(200, List.of("n" + i + "=" + i + "; Path=/"), null, null));
            urls.add(url("127.0.0.1", "/f/" + i));
        }
        Path saved = dir.resolve("saved.txt");
        Runs run = Runs.of("--save-cookies", saved.toString(), "-o", out().toString(), Runs.list(dir, urls.toArray(String[]::new)).toString());
        assertEquals(0, run.status(), run.toString());
        long cookies = Files.readAllLines(saved).stream().filter(l -> l.startsWith("127.0.0.1\t")).count();
        assertEquals(Cookies.PER_DOMAIN, cookies, "120 downloads at once, at most " + Cookies.PER_DOMAIN + " cookies for one domain");
    }

    @Test
    void aFileThatIsNoCookiesTxtIsOneError() throws Exception {
        Path json = Files.writeString(dir.resolve("cookies.json"), "[{\"name\": \"sid\", \"value\": \"abc\"}]\n");
        Runs run = Runs.of("--load-cookies", json.toString(), url("127.0.0.1", "/x"));
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains(json + ":1: not a cookies.txt line"), run.err());
        assertTrue(run.err().contains("--load-cookies " + json + ": no cookie in it"), run.err());
        assertFalse(run.err().contains("abc"), "never the line's content: " + run.err());
        Runs missing = Runs.of("--load-cookies", dir.resolve("none.txt").toString(), url("127.0.0.1", "/x"));
        assertEquals(2, missing.status(), missing.toString());
        assertTrue(missing.err().contains("--load-cookies " + dir.resolve("none.txt") + ": no such file"), missing.err());
        assertTrue(cookiesSent.isEmpty(), "no request");
    }

    @Test
    void wgetsFileWithTheHostsPortLoadsToo() throws Exception {
        // As wget 1.21 writes it with --save-cookies --keep-session-cookies: the port after the host.
        Path jar = Files.writeString(dir.resolve("wget.txt"), "# HTTP Cookie File\n# Generated by Wget on 2026-12-02 10:36:55.\n"
                + "# Edit at your own risk.\n\n127.0.0.1:" + server.getAddress().getPort() + "\tFALSE\t/\tFALSE\t0\tsid\tabc\n");
        Runs run = Runs.of("--load-cookies", jar.toString(), "-o", out().toString(), url("127.0.0.1", "/w"));
        assertEquals(0, run.status(), run.toString());
        assertEquals(List.of("sid=abc"), cookiesSent.get("/w"));
    }

    @Test
    void theSameFileToLoadAndSaveMayNotExistYet() throws Exception {
        answers.put("/a", new Answer(200, List.of("sid=1; Path=/"), null, null));
        Path jar = dir.resolve("jar.txt");
        Runs run = Runs.of("--load-cookies", jar.toString(), "--save-cookies", jar.toString(), "-o", out().toString(), url("127.0.0.1", "/a"));
        assertEquals(0, run.status(), run.toString());
        assertTrue(Files.readString(jar).contains("\tsid\t1"));
    }

    // ---- the jar's rules, for host names no test server can have (RFC 6265 5.1.3, 5.1.4, 5.3)

    private static final long NOW = 1_750_000_000L;

    private static Cookies jar() {
        return new Cookies(() -> NOW);
    }

    @Test
    void aParentDomainIsSharedButNeverAPublicSuffixOrAnotherSite() {
        Cookies jar = jar();
        jar.remember(URI.create("https://a.b.example.com/"), List.of("wide=1; Domain=example.com", "tld=2; Domain=com",
                "other=3; Domain=example.org", "lookalike=4; Domain=ample.com", "own=5"));
        assertEquals("wide=1", jar.header(URI.create("https://www.example.com/")));
        assertEquals("wide=1", jar.header(URI.create("https://example.com/")));
        assertEquals("wide=1; own=5", jar.header(URI.create("https://a.b.example.com/")));
        assertNull(jar.header(URI.create("https://badexample.com/")));
        assertNull(jar.header(URI.create("https://example.org/")));
        assertNull(jar.header(URI.create("https://ample.com/")));
        assertNull(jar.header(URI.create("https://com/")));
        assertNull(jar.header(URI.create("https://other.com/")));
    }

    @Test
    void aCookieForAPublicSuffixIsRefusedWhereverItIsWritten() throws Exception {
        // co.uk and github.io have many owners (the Public Suffix List): a cookie for one would reach them all.
        Cookies jar = jar();
        jar.remember(URI.create("https://shop.example.co.uk/"), List.of("uk=1; Domain=co.uk", "site=2; Domain=example.co.uk"));
        jar.remember(URI.create("https://me.github.io/"), List.of("pages=3; Domain=github.io", "mine=4"));
        jar.remember(URI.create("https://co.uk/"), List.of("itself=5; Domain=co.uk"));
        assertNull(jar.header(URI.create("https://other.co.uk/")));
        assertEquals("site=2", jar.header(URI.create("https://www.example.co.uk/")));
        assertNull(jar.header(URI.create("https://you.github.io/")));
        assertEquals("mine=4", jar.header(URI.create("https://me.github.io/")));
        assertEquals("itself=5", jar.header(URI.create("https://co.uk/")), "the suffix's own server keeps it for itself");
        assertNull(jar.header(URI.create("https://a.co.uk/")));

        Cookies loaded = jar();
        List<Cookies.Problem> problems = loaded.load(Files.write(dir.resolve("suffixes.txt"), List.of(
                ".co.uk\tTRUE\t/\tFALSE\t0\twide\t1",
                ".github.io\tTRUE\t/\tFALSE\t0\tpages\t2",
                ".example.co.uk\tTRUE\t/\tFALSE\t0\tok\t3")));
        assertEquals(List.of(1, 2), problems.stream().map(Cookies.Problem::line).toList(), problems.toString());
        assertTrue(problems.get(0).reason().contains("'co.uk'"), problems.toString());
        assertNull(loaded.header(URI.create("https://other.co.uk/")));
        assertEquals("ok=3", loaded.header(URI.create("https://www.example.co.uk/")));
    }

    @Test
    void anIpAddressHasNoParentDomains() {
        Cookies jar = jar();
        jar.remember(URI.create("http://10.0.0.1/"), List.of("a=1; Domain=0.0.1", "b=2; Domain=10.0.0.2", "c=3; Domain=10.0.0.1"));
        jar.remember(URI.create("http://[::1]/"), List.of("d=4; Domain=::1", "e=5"));
        assertEquals("c=3", jar.header(URI.create("http://10.0.0.1/")));
        assertNull(jar.header(URI.create("http://110.0.0.1/")));
        assertNull(jar.header(URI.create("http://10.0.0.2/")));
        assertEquals("d=4; e=5", jar.header(URI.create("http://[::1]/")));
    }

    @Test
    void pathsMatchBySegmentAndDefaultToTheRequestsFolder() {
        Cookies jar = jar();
        jar.remember(URI.create("http://h.example/docs/a/page.html"), List.of("folder=1", "docs=2; Path=/docs", "bad=3; Path=relative"));
        assertEquals("folder=1; bad=3; docs=2", jar.header(URI.create("http://h.example/docs/a/other")), "longer paths first");
        assertEquals("docs=2", jar.header(URI.create("http://h.example/docs/b")));
        assertEquals("docs=2", jar.header(URI.create("http://h.example/docs")));
        assertNull(jar.header(URI.create("http://h.example/docsx")));
        assertNull(jar.header(URI.create("http://h.example/")));
    }

    @Test
    void expiryMaxAgeAndDeletion() {
        Cookies jar = jar();
        URI url = URI.create("http://h.example/");
        jar.remember(url, List.of("past=1; Expires=Wed, 09 Jun 2021 10:18:14 GMT", "future=2; Expires=Thu, 01-Jan-2099 00:00:00 GMT",
                "short=3; Max-Age=60; Expires=Wed, 09 Jun 2021 10:18:14 GMT", "gone=4"));
        assertEquals("future=2; short=3; gone=4", jar.header(url));
        jar.remember(url, List.of("gone=; Max-Age=0", "future=22; Expires=Thu, 01-Jan-2099 00:00:00 GMT"));
        assertEquals("future=22; short=3", jar.header(url), "replaced in its place, deleted by Max-Age=0");
        assertEquals(Long.MIN_VALUE, Cookies.cookieDate("not a date"));
        assertEquals(Long.MIN_VALUE, Cookies.cookieDate("31 Apr 2030 00:00:00"));
        assertEquals(4070908800L, Cookies.cookieDate("Thu, 01 Jan 2099 00:00:00 GMT"));
        assertEquals(915148800L, Cookies.cookieDate("Friday, 01-Jan-99 00:00:00 GMT"), "99 is 1999");
    }

    @Test
    void whatCannotBeAHeaderIsNoCookie() {
        Cookies jar = jar();
        URI url = URI.create("http://h.example/");
        jar.remember(url, List.of("novalue", "=nameless", "bad name=1", "ctl=a\u0001b", "big=" + "x".repeat(5000), "quoted=\"q\""));
        assertEquals("quoted=\"q\"", jar.header(url), "the quotes are the value's own");
    }
}
