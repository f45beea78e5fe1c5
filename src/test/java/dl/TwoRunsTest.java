package dl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two processes on one list into one folder at once: every file is downloaded once and published once, the other
 * process says that another process has it, and no part file is taken from under the process that writes it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TwoRunsTest {

    /** Large enough that the part file keeps its URL and validator for resuming (more than 1 MiB). */
    static final int BIG = (2 << 20) + 12_345;
    static final int BIG_FILES = 6;
    static final int SMALL_FILES = 6;

    @TempDir
    Path tmp;
    HttpServer server;
    Path out;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        // Large files come slowly, 64 KiB every 100 ms (about 3.4 s each): the second run starts while the first writes.
        server.createContext("/big/", exchange -> {
            byte[] body = big(exchange.getRequestURI().getPath());
            exchange.getResponseHeaders().add("ETag", "\"" + exchange.getRequestURI().getPath().hashCode() + "\"");
            send(exchange, body, 64 << 10, 100);
        });
        // Small files are answered after 1.5 s: the first run publishes them after the second has started.
        server.createContext("/small/", exchange -> {
            sleep(1500);
            send(exchange, small(exchange.getRequestURI().getPath()), Integer.MAX_VALUE, 0);
        });
        server.start();
        out = tmp.resolve("out");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void twoRunsAtOnceMakeOneCopyOfEachFileAndTheOtherRunSaysAnotherProcessHasIt() throws Exception {
        List<String> urls = new ArrayList<>();
        for (int i = 1; i <= BIG_FILES; i++) {
            urls.add(url("/big/b" + i + ".bin"));
        }
        for (int i = 1; i <= SMALL_FILES; i++) {
            urls.add(url("/small/s" + i + ".txt"));
        }
        Path list = Runs.list(tmp, urls.toArray(String[]::new));

        Process first = start("first", list);
        Thread.sleep(600);
        Process second = start("second", list);
        assertTrue(first.waitFor(90, TimeUnit.SECONDS) && second.waitFor(90, TimeUnit.SECONDS), "both runs end");
        List<Map<String, String>> events = new ArrayList<>(ended("first"));
        events.addAll(ended("second"));
        String told = Files.readString(tmp.resolve("first.out")) + Files.readString(tmp.resolve("second.out"))
                + Files.readString(tmp.resolve("first.err")) + Files.readString(tmp.resolve("second.err"));

        for (String url : urls) {
            List<Map<String, String>> mine = events.stream().filter(e -> e.get("url").equals(url)).toList();
            assertEquals(2, mine.size(), url + " ends once in each run: " + told);
            assertEquals(1, mine.stream().filter(e -> e.get("type").equals("completed")).count(), url + " completed exactly once: " + told);
            for (Map<String, String> other : mine.stream().filter(e -> !e.get("type").equals("completed")).toList()) {
                String reason = other.get("reason");
                boolean skipped = other.get("type").equals("skipped") && reason.startsWith("already exists");
                boolean heldByTheOther = other.get("type").equals("failed") && reason.contains("another process is downloading");
                assertTrue(skipped || heldByTheOther, url + ": " + other + "\n" + told);
            }
        }
        assertFalse(told.contains("cannot publish"), told);
        assertTrue(events.stream().anyMatch(e -> e.get("type").equals("failed") && e.get("url").contains("/big/")),
                "the runs overlapped: the second found large part files being written by the first\n" + told);
        List<String> names = new ArrayList<>();
        for (String url : urls) {
            names.add(URI.create(url).getPath().substring(URI.create(url).getPath().lastIndexOf('/') + 1));
        }
        assertEquals(names.stream().sorted().toList(), Runs.files(out), "one copy of each, no numbered extras, no part file left");
        for (String url : urls) {
            String path = URI.create(url).getPath();
            Path file = out.resolve(path.substring(path.lastIndexOf('/') + 1));
            assertArrayEquals(path.startsWith("/big/") ? big(path) : small(path), Files.readAllBytes(file), path);
        }

        // A third run finds everything there: all skipped, nothing new.
        Runs again = Runs.of("-q", "-o", out.toString(), list.toString());
        assertEquals(0, again.status(), again.toString());
        assertEquals(names.stream().sorted().toList(), Runs.files(out));
    }

    @Test
    void aLargePartFileStaysLockedWhileItIsWrittenCheckedAndFlushed() throws Exception {
        // The lock is POSIX fcntl's: closing any other descriptor of the file in this process (as writing its
        // extended attribute, or reading it for a checksum, does) would release it.
        Files.createDirectories(out);
        Path part = out.resolve("locked.bin.part");
        Process probe = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), "dl.TryLock")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var ask = new PrintWriter(probe.getOutputStream(), true, StandardCharsets.UTF_8);
             var answer = new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8));
             var disk = new Durability(out);
             var file = PartFile.open(part, 0, URI.create(url("/big/locked.bin")), "\"v1\"", BIG, disk)) {
            ask.println(part);
            assertEquals("held", answer.readLine(), "after the part file is opened and its URL and validator saved");
            byte[] body = big("/big/locked.bin");
            file.write(body, body.length);
            ask.println(part);
            assertEquals("held", answer.readLine(), "while it is written");
            assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body)),
                    file.digest(Job.Checksum.SHA_256));
            ask.println(part);
            assertEquals("held", answer.readLine(), "after its checksum is read");
            file.makeDurable();
            ask.println(part);
            assertEquals("held", answer.readLine(), "after it is on the disk");
            // Last, as reading the attribute in this process releases the lock (the very trap of this test):
            assertEquals("\"v1\"", PartFile.validator(part, URI.create(url("/big/locked.bin"))), "the URL and validator were saved");
            Path published = file.publish(List.of(out.resolve("locked.bin")).iterator(), false, BIG);
            assertEquals(List.of("locked.bin"), Runs.files(out));
            assertArrayEquals(body, Files.readAllBytes(published));
            assertEquals(null, PartFile.validator(published, URI.create(url("/big/locked.bin"))), "the published file keeps no resume record");
        } finally {
            probe.destroy();
            probe.waitFor();
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private Process start(String name, Path list) throws IOException {
        return new ProcessBuilder(java(), "--enable-preview", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dl.Download", "--json", "--retries", "0", "-o", out.toString(), list.toString())
                .redirectOutput(tmp.resolve(name + ".out").toFile()).redirectError(tmp.resolve(name + ".err").toFile()).start();
    }

    private static final Pattern FIELD = Pattern.compile("\"(type|url|reason|file)\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The terminal events a run printed (--json), as their type, url, reason and file. */
    private List<Map<String, String>> ended(String name) throws IOException {
        List<Map<String, String>> events = new ArrayList<>();
        for (String line : Files.readAllLines(tmp.resolve(name + ".out"))) {
            Map<String, String> event = new HashMap<>();
            Matcher m = FIELD.matcher(line);
            while (m.find()) {
                event.putIfAbsent(m.group(1), m.group(2).replace("\\\"", "\"").replace("\\/", "/"));
            }
            if (List.of("completed", "failed", "skipped").contains(event.get("type"))) {
                event.put("run", name);
                events.add(event);
            }
        }
        return events;
    }

    static byte[] big(String path) {
        return DemoServer.content(path.hashCode(), BIG);
    }

    static byte[] small(String path) {
        return (path + " says hello\n").repeat(20).getBytes(StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, byte[] body, int chunk, int pauseMillis) throws IOException {
        try (exchange) {
            exchange.sendResponseHeaders(200, body.length);
            OutputStream stream = exchange.getResponseBody();
            for (int at = 0; at < body.length; at += chunk) {
                stream.write(body, at, Math.min(chunk, body.length - at));
                stream.flush();
                sleep(pauseMillis);
            }
        } catch (IOException clientGone) {
            // a run that gave up on this answer
        }
    }

    private static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
