package dl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --manifest and --only-failed against a real server: what is recorded, what a rerun skips, what it asks again. */
class ManifestTest {

    @TempDir Path tmp;
    HttpServer server;
    final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    volatile boolean brokenFixed;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            byte[] body = ("body of " + path + "\n").getBytes(StandardCharsets.US_ASCII);
            int status = 200;
            if (path.equals("/missing")) {
                status = 404;
            } else if (path.equals("/broken") && !brokenFixed) {
                status = 403;
            } else if (path.equals("/export/")) {
                exchange.getResponseHeaders().add("Content-Disposition", "attachment; filename=\"report.csv\"");
            }
            exchange.sendResponseHeaders(status, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int requests(String path) {
        AtomicInteger n = requests.get(path);
        return n == null ? 0 : n.get();
    }

    @Test
    void everyUrlGetsALineWithWhatBecameOfIt() throws Exception {
        Path list = Runs.list(tmp, url("/a.txt"), url("/missing"), url("/export/"));
        Path out = tmp.resolve("out");
        Path manifest = tmp.resolve("manifest.ndjson");
        Runs run = Runs.of("-q", "--retries", "0", "--manifest", manifest.toString(), "-o", out.toString(), list.toString());
        assertEquals(ExitStatus.SOME_FAILED, run.status(), run.toString());

        Map<URI, Earlier> entries = Manifest.read(manifest);
        Earlier a = entries.get(URI.create(url("/a.txt")));
        assertEquals(Outcome.COMPLETED, a.outcome());
        assertEquals("a.txt", a.file());
        assertEquals(Files.size(out.resolve("a.txt")), a.bytes());
        assertEquals(sha256(out.resolve("a.txt")), a.sha256());
        assertEquals(Outcome.FAILED, entries.get(URI.create(url("/missing"))).outcome());
        assertEquals("report.csv", entries.get(URI.create(url("/export/"))).file(), "the name the server gave");

        List<String> lines = Files.readAllLines(manifest);
        assertEquals(4, lines.size(), "three URL lines and a summary line");
        assertTrue(lines.get(3).startsWith("{\"type\":\"summary\""), lines.get(3));
        assertTrue(lines.get(0).contains("\"attempts\":1"), lines.get(0));
    }

    @Test
    void aRerunSkipsWhatIsDoneWithoutARequestAndFetchesWhatChanged() throws Exception {
        Path list = Runs.list(tmp, url("/a.txt"), url("/b.txt"), url("/export/"));
        Path out = tmp.resolve("out");
        String manifest = tmp.resolve("manifest.ndjson").toString();
        assertEquals(0, Runs.of("-q", "--manifest", manifest, "-o", out.toString(), list.toString()).status());

        Files.writeString(out.resolve("b.txt"), "someone changed it"); // not what the manifest recorded: with --overwrite, replaced
        Runs rerun = Runs.of("--overwrite", "-q", "--manifest", manifest, "-o", out.toString(), list.toString());
        assertEquals(0, rerun.status(), rerun.toString());
        assertEquals(1, requests("/a.txt"), "done and still there: no request");
        assertEquals(1, requests("/export/"), "a server-named file too: no request");
        assertEquals(2, requests("/b.txt"), "its file changed: fetched again");
        assertEquals("body of /b.txt\n", Files.readString(out.resolve("b.txt")));
        assertEquals(List.of("a.txt", "b.txt", "report.csv"), Runs.files(out));
    }

    @Test
    void onlyFailedTakesWhatFailedOrNeverEndedWithTheNamesOfTheWholeList() throws Exception {
        Path list = Runs.list(tmp, url("/x/data.bin"), url("/broken"), url("/y/data.bin"), url("/never"));
        Path out = tmp.resolve("out");
        Path manifest = tmp.resolve("manifest.ndjson");
        // A manifest as a killed run leaves it: two lines, the last one torn.
        Files.writeString(manifest, """
                {"type":"url","url":"%s","file":"data.bin","outcome":"completed","bytes":20,"sha256":null,"attempts":1,"reason":null}
                {"type":"url","url":"%s","file":"broken","outcome":"failed","bytes":null,"sha256":null,"attempts":1,"reason":"403"}
                {"type":"url","url":"%s","file":"data.1.b""".formatted(url("/x/data.bin"), url("/broken"), url("/y/data.bin")));

        brokenFixed = true;
        Runs run = Runs.of("-q", "--only-failed", manifest.toString(), "-o", out.toString(), list.toString());
        assertEquals(0, run.status(), run.toString());
        assertEquals(0, requests("/x/data.bin"), "recorded as done");
        assertEquals(1, requests("/broken"));
        assertEquals(1, requests("/y/data.bin"), "its line was torn: it never ended");
        assertEquals(1, requests("/never"));
        assertEquals(List.of("broken", "data.1.bin", "never"), Runs.files(out), "named as in the whole list: data.1.bin, not data.bin");

        Runs noList = Runs.of("--only-failed", manifest.toString());
        assertEquals(ExitStatus.USAGE, noList.status());
        assertTrue(noList.err().contains("also needs the list"), noList.toString());

        Runs missing = Runs.of("--only-failed", tmp.resolve("nope.ndjson").toString(), list.toString());
        assertEquals(ExitStatus.USAGE, missing.status());
        assertTrue(missing.err().contains("nope.ndjson"), missing.toString());
    }

    @Test
    void aRunAfterAKilledOneReadsAroundItsTornLineAndDoesNotGlueToIt() throws Exception {
        Path list = Runs.list(tmp, url("/a.txt"), url("/b.txt"));
        Path out = tmp.resolve("out");
        Path manifest = tmp.resolve("manifest.ndjson");
        // Killed in the middle of a line, and of a character: the last bytes are half of "é".
        byte[] torn = "{\"type\":\"url\",\"url\":\"http://x/caf\u00e9".getBytes(StandardCharsets.UTF_8);
        Files.write(manifest, java.util.Arrays.copyOf(torn, torn.length - 1));

        Runs run = Runs.of("-q", "--manifest", manifest.toString(), "-o", out.toString(), list.toString());
        assertEquals(0, run.status(), run.toString());
        Map<URI, Earlier> entries = Manifest.read(manifest);
        assertEquals(Outcome.COMPLETED, entries.get(URI.create(url("/a.txt"))).outcome());
        assertEquals(Outcome.COMPLETED, entries.get(URI.create(url("/b.txt"))).outcome());
        assertEquals(2, entries.size());
    }

    @Test
    void aManifestAnotherRunWritesIsRefused() throws Exception {
        Path manifest = tmp.resolve("manifest.ndjson");
        Path list = Runs.list(tmp, url("/a.txt"));
        {
            // A lock of another process: this JVM's own lock would throw instead of saying no.
            Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "dl.HoldLock", manifest.toString()).start();
            try {
                holder.getInputStream().read(); // it says when it holds the lock
                Runs run = Runs.of("-q", "--manifest", manifest.toString(), "-o", tmp.resolve("out").toString(), list.toString());
                assertEquals(ExitStatus.USAGE, run.status(), run.toString());
                assertTrue(run.err().contains("another run is writing it right now"), run.toString());
                assertEquals(0, requests("/a.txt"));
            } finally {
                holder.destroyForcibly();
                holder.waitFor();
            }
        }
        assertNull(Json.earlier("not json"));
    }

    @Test
    void aManifestThatCannotBeWrittenToTheEndIsOneLineAndTheDownloadsGoOn() throws Exception {
        String[] urls = new String[60];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = url("/file-" + i + ".txt");
        }
        Path list = Runs.list(tmp, urls);
        Path out = tmp.resolve("out");
        Path manifest = tmp.resolve("manifest.ndjson");
        // A file size limit for the child process (ulimit -f: 16 blocks of 512 bytes), as a full disk would do it:
        // every download fits, the manifest's 60 lines of ~270 bytes do not. The JVM ignores SIGXFSZ, so the
        // write fails with "File too large".
        Process child = new ProcessBuilder("sh", "-c", "ulimit -f 16 && exec \"$0\" \"$@\"",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData", "--enable-preview",
                "-cp", System.getProperty("java.class.path"), "dl.Download", "-q", "--manifest", manifest.toString(),
                "-o", out.toString(), list.toString())
                .redirectOutput(tmp.resolve("stdout").toFile()).redirectError(tmp.resolve("stderr").toFile()).start();
        assertTrue(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        String stderr = Files.readString(tmp.resolve("stderr"));
        assertEquals(ExitStatus.SOME_FAILED, child.exitValue(), stderr);
        assertEquals(1, Runs.reports(stderr).size(), stderr);
        assertTrue(Runs.reports(stderr).getFirst().startsWith("Download.java: cannot write the manifest " + manifest + ": "), stderr);
        assertEquals(60, Runs.files(out).size(), "the downloads went on");
        assertTrue(Files.size(manifest) <= 16 * 512);
    }

    @Test
    void aManifestThatIsNotAFileIsOneLine() throws Exception {
        Path list = Runs.list(tmp, url("/a.txt"));
        Path fifo = tmp.resolve("fifo");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        for (String manifest : List.of("/dev/zero", fifo.toString(), tmp.toString())) {
            for (String option : List.of("--manifest", "--only-failed")) {
                Runs run = Runs.of(option, manifest, "-o", tmp.resolve("out").toString(), list.toString());
                assertEquals(ExitStatus.USAGE, run.status(), run.toString());
                assertEquals(1, run.err().lines().count(), run.toString());
                assertTrue(run.err().contains(manifest), run.toString());
            }
        }
        assertEquals(0, requests("/a.txt"));
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
