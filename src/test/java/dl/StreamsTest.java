package dl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Standard output carries what was asked for, standard error what is said to people, as wget does: seen from a real
 * process, with its streams as the shell gives them. Failures once went to standard output, and
 * {@code download URLS > /dev/null} hid every one of them and its reason.
 */
class StreamsTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", exchange -> {
            boolean there = exchange.getRequestURI().getPath().equals("/ok.txt");
            byte[] body = there ? "ok".getBytes(StandardCharsets.UTF_8) : new byte[0];
            exchange.sendResponseHeaders(there ? 200 : 404, there ? body.length : -1);
            try (exchange; var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void aPlainRunTellsItsFailuresOnStandardErrorAndLeavesStandardOutputEmpty() throws Exception {
        Runs run = Runs.inItsOwnJvm(LIMIT, "-o", dir.resolve("out").toString(), url("/ok.txt"), url("/missing.txt"));
        assertEquals(ExitStatus.SOME_FAILED, run.status(), run.toString());
        assertEquals("", run.out(), "standard output is for what was asked for: " + run);
        assertTrue(run.err().contains("/missing.txt: HTTP 404 Not Found"), run.err());
        assertTrue(run.err().contains("FAILED") && run.err().contains("Downloaded 1 of 2 files"), run.err());
        assertTrue(run.err().contains("Threads: ") && run.err().contains("Memory: "), run.err());

        Runs quiet = Runs.inItsOwnJvm(LIMIT, "-q", "-o", dir.resolve("quiet").toString(), url("/missing.txt"));
        assertEquals("", quiet.out(), quiet.toString());
        assertTrue(quiet.err().contains("/missing.txt: HTTP 404 Not Found"), quiet.err());
    }

    @Test
    void jsonStandardOutputIsJsonLinesAndNothingElse() throws Exception {
        Path list = Runs.list(dir, url("/ok.txt"), url("/missing.txt"), "not a url");
        Runs run = Runs.inItsOwnJvm(LIMIT, "--json", "-o", dir.resolve("out").toString(), list.toString());
        assertEquals(ExitStatus.SOME_FAILED, run.status(), run.toString());
        ObjectMapper json = new ObjectMapper();
        List<String> types = new ArrayList<>();
        for (String line : run.out().lines().toList()) {
            JsonNode event = json.readTree(line);
            assertTrue(event.isObject() && event.hasNonNull("type"), "not a JSON event: " + line);
            types.add(event.get("type").asText());
        }
        assertTrue(types.contains("completed") && types.contains("failed"), types.toString());
        assertEquals("summary", types.getLast(), types.toString());
        // What is said to people still goes to them: the list's bad line.
        assertTrue(run.err().contains(list + ":3: 'not a url' contains a space"), run.err());
    }

    @Test
    void aDryRunsStandardOutputIsThePlanAlone() throws Exception {
        Path out = dir.resolve("out");
        Path list = Runs.list(dir, url("/a.bin"), url("/b.bin"), "ftp://example.org/c.bin");
        Runs run = Runs.inItsOwnJvm(LIMIT, "--dry-run", "-o", out.toString(), list.toString());
        assertEquals(ExitStatus.SOME_FAILED, run.status(), "the bad line still counts: " + run);
        assertEquals(List.of(url("/a.bin") + " -> " + out.resolve("a.bin"), url("/b.bin") + " -> " + out.resolve("b.bin")),
                run.out().lines().toList(), run.toString());
        assertTrue(run.err().contains("Dry run: 2 downloads planned into " + out + "; nothing was fetched."), run.err());
        assertTrue(run.err().contains(list + ":3: unsupported scheme 'ftp'"), run.err());
    }

    @Test
    void helpAndVersionGoToStandardOutput() throws Exception {
        Runs help = Runs.inItsOwnJvm(LIMIT, "--help");
        assertEquals(0, help.status(), help.toString());
        assertTrue(help.out().startsWith("Usage: ") && help.err().isEmpty(), help.toString());
        Runs version = Runs.inItsOwnJvm(LIMIT, "--version");
        assertTrue(version.out().startsWith("Download.java ") && version.err().isEmpty(), version.toString());
        Runs bad = Runs.inItsOwnJvm(LIMIT, "--no-such-option");
        assertEquals(ExitStatus.USAGE, bad.status(), bad.toString());
        assertTrue(bad.out().isEmpty() && bad.err().contains("Unknown option: '--no-such-option'"), bad.toString());
    }

    /**
     * The live view is drawn where it goes, on standard error, when that is a terminal; standard output to a file
     * does not turn it off, and standard error to a file turns it off with standard output on the terminal.
     * {@code script} (util-linux) gives the run a terminal of its own.
     */
    @Test
    void theLiveViewFollowsStandardErrorNotStandardOutput() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs script(1) from util-linux for a terminal");
        Path list = Runs.list(dir, url("/ok.txt"), url("/missing.txt"));

        Path stdout = dir.resolve("stdout.txt");
        String screen = onATerminal(command(list, "a") + " > " + quoted(stdout));
        assertEquals("", Files.readString(stdout), "nothing asked for, nothing on standard output");
        assertTrue(screen.contains("\033[J") && screen.contains("Downloaded 1 of 2 files"), "the live view: " + screen);
        assertTrue(screen.contains("/missing.txt: HTTP 404 Not Found"), screen);

        Path stderr = dir.resolve("stderr.txt");
        String other = onATerminal(command(list, "b") + " 2> " + quoted(stderr));
        String told = Files.readString(stderr);
        assertFalse(told.contains("\033") || told.contains("\r"), "plain lines into a file: " + told);
        assertTrue(told.contains("] FAILED    " + url("/missing.txt")) && told.contains("Downloaded 1 of 2 files"), told);
        assertFalse(other.contains("Downloaded"), "nothing of the run on the terminal's standard output: " + other);
    }

    /** The run as a shell command line, with native access so that it can ask isatty(2), as the script's JVM can. */
    private String command(Path list, String folder) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return String.join(" ", quoted(Path.of(java)), "--enable-preview", "--enable-native-access=ALL-UNNAMED",
                "-cp", quoted(Path.of(System.getProperty("java.class.path"))), "dl.Download",
                "--retries", "0", "-o", quoted(dir.resolve(folder)), quoted(list));
    }

    /** What a terminal showed while {@code shell} ran in it. */
    private String onATerminal(String shell) throws Exception {
        Path screen = Files.createTempFile(dir, "screen-", ".txt");
        ProcessBuilder builder = new ProcessBuilder("script", "-q", "-e", "-c", shell, "/dev/null")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(screen.toFile()).redirectErrorStream(true);
        builder.environment().put("TERM", "xterm");
        builder.environment().put("COLUMNS", "100");
        builder.environment().put("NO_COLOR", "1");
        Process process = builder.start();
        if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the run on a terminal did not end: " + Files.readString(screen));
        }
        assertEquals(ExitStatus.SOME_FAILED, process.exitValue(), Files.readString(screen));
        return Files.readString(screen);
    }

    private static String quoted(Path path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }
}
