package dl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * -N against a real server on 127.0.0.1 that answers conditional requests as RFC 9110 says (If-None-Match first,
 * then If-Modified-Since, then Range with If-Range), or, for one test, ignores them all.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimestampingTest {

    /** One resource of the server: its bytes and validators, changed by the tests between runs. */
    record Resource(byte[] body, String etag, String lastModified) {}

    /** What a request asked: the headers -N is about. */
    record Asked(String path, String ifNoneMatch, String ifModifiedSince, String range, String ifRange) {}

    @TempDir
    Path tmp;
    HttpServer server;
    Path out;
    final Map<String, Resource> resources = new ConcurrentHashMap<>();
    final List<Asked> asked = new CopyOnWriteArrayList<>();
    final AtomicLong bodyBytes = new AtomicLong();
    /** A server that answers every request with the whole resource, whatever it is asked. */
    volatile boolean ignoresConditionals;
    /** Set: the next body stops halfway until {@code release} opens, and says so on {@code halfway}. */
    volatile CountDownLatch release;
    final CountDownLatch halfway = new CountDownLatch(1);

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::answer);
        server.start();
        out = tmp.resolve("out");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        var h = exchange.getRequestHeaders();
        asked.add(new Asked(path, h.getFirst("If-None-Match"), h.getFirst("If-Modified-Since"), h.getFirst("Range"), h.getFirst("If-Range")));
        Resource r = resources.get(path);
        if (r == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        if (r.etag() != null) {
            exchange.getResponseHeaders().add("ETag", r.etag());
        }
        if (r.lastModified() != null) {
            exchange.getResponseHeaders().add("Last-Modified", r.lastModified());
        }
        if (!ignoresConditionals && notModified(r, h.getFirst("If-None-Match"), h.getFirst("If-Modified-Since"))) {
            exchange.sendResponseHeaders(304, -1);
            exchange.close();
            return;
        }
        int from = 0;
        String range = h.getFirst("Range");
        String ifRange = h.getFirst("If-Range");
        if (!ignoresConditionals && range != null && range.matches("bytes=\\d+-") && (ifRange == null || ifRange.equals(r.etag()))) {
            from = Integer.parseInt(range.substring(6, range.length() - 1));
            exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (r.body().length - 1) + "/" + r.body().length);
            exchange.sendResponseHeaders(206, r.body().length - from);
        } else {
            exchange.sendResponseHeaders(200, r.body().length);
        }
        try (OutputStream body = exchange.getResponseBody()) {
            byte[] rest = Arrays.copyOfRange(r.body(), from, r.body().length);
            CountDownLatch held = release;
            int half = held == null ? rest.length : rest.length / 2;
            body.write(rest, 0, half);
            bodyBytes.addAndGet(half);
            if (held != null) {
                body.flush();
                halfway.countDown();
                held.await();
            }
            body.write(rest, half, rest.length - half);
            bodyBytes.addAndGet(rest.length - half);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** RFC 9110 13.2.2: If-None-Match decides when present (weak comparison); else If-Modified-Since. */
    private static boolean notModified(Resource r, String ifNoneMatch, String ifModifiedSince) {
        if (ifNoneMatch != null) {
            return r.etag() != null && Arrays.stream(ifNoneMatch.split(","))
                    .anyMatch(tag -> tag.strip().replaceFirst("^W/", "").equals(r.etag().replaceFirst("^W/", "")));
        }
        if (ifModifiedSince != null && r.lastModified() != null) {
            Instant since = Validators.httpDate(ifModifiedSince, Instant.now());
            Instant modified = Validators.httpDate(r.lastModified(), Instant.now());
            return since != null && modified != null && !modified.isAfter(since);
        }
        return false;
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static byte[] bytes(int seed, int size) {
        return DemoServer.content(seed, size);
    }

    private static final String LAST_MODIFIED = "Wed, 01 Jan 2020 00:00:00 GMT";
    private static final Instant LAST_MODIFIED_AT = Instant.parse("2020-01-01T00:00:00Z");

    private Runs run(String... args) {
        List<String> all = new ArrayList<>(List.of("--retry-delay", "0.01", "--max-retry-wait", "0.5", "-o", out.toString()));
        all.addAll(List.of(args));
        return Runs.of(all.toArray(String[]::new));
    }

    private static String savedETag(Path file) throws IOException {
        var view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        if (!view.list().contains(LocalCopy.ETAG)) {
            return null;
        }
        ByteBuffer value = ByteBuffer.allocate(view.size(LocalCopy.ETAG));
        view.read(LocalCopy.ETAG, value);
        return StandardCharsets.UTF_8.decode(value.flip()).toString();
    }

    private List<Asked> askedFor(String path) {
        return asked.stream().filter(a -> a.path().equals(path)).toList();
    }

    @ParameterizedTest
    @EnumSource(Threads.class)
    void anUnchangedFileIsUpToDateWithoutABodyAndLeftByteForByteAsItWas(Threads mode) throws Exception {
        byte[] v1 = bytes(1, 200_000);
        resources.put("/a.bin", new Resource(v1, "\"v1\"", LAST_MODIFIED));
        String threads = mode.name().toLowerCase();

        Runs first = run("--threads", threads, "-N", url("/a.bin"));
        assertEquals(0, first.status(), first.toString());
        Path file = out.resolve("a.bin");
        assertArrayEquals(v1, Files.readAllBytes(file));
        assertEquals("\"v1\"", savedETag(file), "the ETag is kept on the file itself");
        assertEquals(FileTime.from(LAST_MODIFIED_AT), Files.getLastModifiedTime(file), "the server's Last-Modified is the file's time");
        assertEquals(List.of("a.bin"), Runs.files(out), "nothing else in the folder: no sidecar file");

        FileTime before = Files.getLastModifiedTime(file);
        Object inode = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        bodyBytes.set(0);
        Runs second = run("--threads", threads, "-N", url("/a.bin"));

        assertEquals(0, second.status(), second.toString());
        Asked conditional = askedFor("/a.bin").getLast();
        assertEquals("\"v1\"", conditional.ifNoneMatch(), "the saved ETag goes back as If-None-Match");
        assertEquals(LAST_MODIFIED, conditional.ifModifiedSince(), "and the file's time as If-Modified-Since");
        assertNull(conditional.range());
        assertEquals(0, bodyBytes.get(), "304: no body");
        assertArrayEquals(v1, Files.readAllBytes(file));
        assertEquals(before, Files.getLastModifiedTime(file), "the file's time is unchanged");
        assertEquals(inode, Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey(), "the very same file");
        assertTrue(second.err().contains("up to date a.bin"), second.err());
        assertTrue(second.err().contains("Downloaded 0 of 1 files (0 new, 0 updated, 1 up to date, 0 failed, 0 skipped"), second.err());
        assertEquals(List.of("a.bin"), Runs.files(out));
    }

    @ParameterizedTest
    @EnumSource(Threads.class)
    void aChangedFileIsReplacedInOneStepOnlyWhenTheNewVersionIsComplete(Threads mode) throws Exception {
        byte[] v1 = bytes(1, 300_000);
        byte[] v2 = bytes(2, 500_000);
        resources.put("/a.bin", new Resource(v1, "\"v1\"", LAST_MODIFIED));
        String threads = mode.name().toLowerCase();
        assertEquals(0, run("--threads", threads, "-N", url("/a.bin")).status());
        Path file = out.resolve("a.bin");

        resources.put("/a.bin", new Resource(v2, "\"v2\"", "Thu, 02 Jan 2020 00:00:00 GMT"));
        release = new CountDownLatch(1);
        CompletableFuture<Runs> second = CompletableFuture.supplyAsync(() -> run("--threads", threads, "-N", url("/a.bin")));
        assertTrue(halfway.await(20, TimeUnit.SECONDS), "the server sent half of the new version");
        // Half of the new version is on its way: once in the part file, the old one is still whole under its name.
        Path part = out.resolve("a.bin.part");
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); PartFile.size(part) == 0 && System.nanoTime() < deadline; ) {
            Thread.sleep(10);
        }
        assertTrue(PartFile.size(part) > 0, Runs.files(out).toString());
        assertArrayEquals(v1, Files.readAllBytes(file));
        release.countDown();
        Runs run = second.get(30, TimeUnit.SECONDS);

        assertEquals(0, run.status(), run.toString());
        assertEquals("\"v1\"", askedFor("/a.bin").getLast().ifNoneMatch());
        assertArrayEquals(v2, Files.readAllBytes(file));
        assertEquals("\"v2\"", savedETag(file), "the new version's ETag replaces the old one");
        assertEquals(FileTime.from(Instant.parse("2020-01-02T00:00:00Z")), Files.getLastModifiedTime(file));
        assertEquals(List.of("a.bin"), Runs.files(out), "no part file left");
        assertTrue(run.err().contains("done      a.bin") && run.err().contains("(updated: it replaced the older file)"), run.err());
        assertTrue(run.err().contains("Downloaded 1 of 1 files (0 new, 1 updated, 0 up to date, 0 failed"), run.err());
    }

    @Test
    void withoutAnETagTheFilesTimeIsAskedWithIfModifiedSince() throws Exception {
        resources.put("/t.txt", new Resource("old".getBytes(), null, LAST_MODIFIED));
        assertEquals(0, run("-N", url("/t.txt")).status());
        Path file = out.resolve("t.txt");
        assertNull(savedETag(file), "the server sent no ETag");

        Runs second = run("-N", url("/t.txt"));
        assertEquals(0, second.status(), second.toString());
        Asked conditional = askedFor("/t.txt").getLast();
        assertNull(conditional.ifNoneMatch());
        assertEquals(LAST_MODIFIED, conditional.ifModifiedSince());
        assertTrue(second.err().contains("up to date t.txt"), second.err());

        // Newer on the server: If-Modified-Since is older than its Last-Modified, so 200 and the new bytes.
        resources.put("/t.txt", new Resource("new".getBytes(), null, "Fri, 03 Jan 2020 00:00:00 GMT"));
        Runs third = run("-N", url("/t.txt"));
        assertEquals(0, third.status(), third.toString());
        assertEquals("new", Files.readString(file));
        assertEquals(FileTime.from(Instant.parse("2020-01-03T00:00:00Z")), Files.getLastModifiedTime(file));
    }

    @Test
    void noRemoteTimeKeepsTheLocalTimeAndMinusNStillFindsTheFileCurrent() throws Exception {
        resources.put("/r.txt", new Resource("r".getBytes(), null, "Mon, 01 Jan 2001 00:00:00 GMT"));
        Instant began = Instant.now().minusSeconds(2);
        Runs first = run("--no-remote-time", "-N", url("/r.txt"));
        assertEquals(0, first.status(), first.toString());
        Instant local = Files.getLastModifiedTime(out.resolve("r.txt")).toInstant();
        assertTrue(local.isAfter(began), "the local time, not 2001: " + local);

        Runs second = run("-N", url("/r.txt"));
        assertEquals(0, second.status(), second.toString());
        assertEquals(Validators.httpDate(local), askedFor("/r.txt").getLast().ifModifiedSince());
        assertTrue(second.err().contains("up to date r.txt"), second.err());
    }

    @Test
    void aHostileLastModifiedIsIgnoredNotGivenToTheFile() throws Exception {
        resources.put("/future.txt", new Resource("f".getBytes(), null, "Fri, 31 Dec 9999 23:59:59 GMT"));
        resources.put("/garbage.txt", new Resource("g".getBytes(), null, "next Tuesday, or so"));
        Instant began = Instant.now().minusSeconds(2);
        Runs run = run("-N", url("/future.txt"), url("/garbage.txt"));
        assertEquals(0, run.status(), run.toString());
        for (String name : List.of("future.txt", "garbage.txt")) {
            Instant time = Files.getLastModifiedTime(out.resolve(name)).toInstant();
            assertTrue(time.isAfter(began) && time.isBefore(Instant.now().plusSeconds(2)), name + ": " + time);
        }
    }

    @Test
    void aServerThatIgnoresConditionsStillGivesTheRightFile() throws Exception {
        resources.put("/i.bin", new Resource(bytes(1, 50_000), "\"same\"", LAST_MODIFIED));
        assertEquals(0, run("-N", url("/i.bin")).status());
        ignoresConditionals = true;
        byte[] v2 = bytes(2, 70_000);
        resources.put("/i.bin", new Resource(v2, "\"same\"", LAST_MODIFIED)); // a server that even keeps its ETag

        Runs second = run("-N", url("/i.bin"));
        assertEquals(0, second.status(), second.toString());
        assertEquals("\"same\"", askedFor("/i.bin").getLast().ifNoneMatch(), "asked, and answered 200 all the same");
        assertArrayEquals(v2, Files.readAllBytes(out.resolve("i.bin")));
        assertEquals(List.of("i.bin"), Runs.files(out));
        assertTrue(second.err().contains("1 updated"), second.err());
    }

    @Test
    void aPartFileOfTheNewVersionResumesUnderMinusN() throws Exception {
        int big = 3 << 20;
        byte[] v2 = bytes(2, big);
        Files.createDirectories(out);
        Path file = out.resolve("big.bin");
        Files.write(file, bytes(1, 1000));
        Files.getFileAttributeView(file, UserDefinedFileAttributeView.class).write(LocalCopy.ETAG, StandardCharsets.UTF_8.encode("\"v1\""));
        // What a run stopped in the middle of the new version leaves: its first 2 MiB, with the URL and ETag to resume by.
        Path part = out.resolve("big.bin.part");
        Files.write(part, Arrays.copyOf(v2, 2 << 20));
        Files.getFileAttributeView(part, UserDefinedFileAttributeView.class)
                .write("download.resume", StandardCharsets.UTF_8.encode(url("/big.bin") + "\n\"v2\""));
        resources.put("/big.bin", new Resource(v2, "\"v2\"", LAST_MODIFIED));

        Runs run = run("-N", url("/big.bin"));

        assertEquals(0, run.status(), run.toString());
        Asked request = askedFor("/big.bin").getLast();
        assertEquals("\"v1\"", request.ifNoneMatch(), "asked whether the file there is current");
        assertEquals("bytes=" + (2 << 20) + "-", request.range(), "and to continue the part file");
        assertEquals("\"v2\"", request.ifRange());
        assertEquals(big - (2 << 20), bodyBytes.get(), "only the rest came");
        assertArrayEquals(v2, Files.readAllBytes(file));
        assertEquals("\"v2\"", savedETag(file));
        assertTrue(run.err().contains("resuming at 2.00 MiB") || run.err().contains("resuming at 2"), run.err());
        assertEquals(List.of("big.bin"), Runs.files(out));
    }

    @Test
    void theManifestRecordsTheValidatorsAndStandsInForAFileWithoutItsETag() throws Exception {
        resources.put("/m.bin", new Resource(bytes(3, 10_000), "W/\"m1\"", LAST_MODIFIED));
        Path manifest = tmp.resolve("m.ndjson");
        assertEquals(0, run("-N", "--manifest", manifest.toString(), url("/m.bin")).status());
        ObjectMapper json = new ObjectMapper();
        JsonNode line = json.readTree(Files.readAllLines(manifest).getFirst());
        assertEquals("completed", line.get("outcome").asText());
        assertEquals("W/\"m1\"", line.get("etag").asText());
        assertEquals(LAST_MODIFIED, line.get("last_modified").asText());

        // The file loses its attribute (copied by a tool that drops them) and its time: the manifest still knows.
        Path file = out.resolve("m.bin");
        Files.getFileAttributeView(file, UserDefinedFileAttributeView.class).delete(LocalCopy.ETAG);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        Runs second = run("-N", "--manifest", manifest.toString(), "--json", url("/m.bin"));

        assertEquals(0, second.status(), second.toString());
        Asked conditional = askedFor("/m.bin").getLast();
        assertEquals("W/\"m1\"", conditional.ifNoneMatch(), "a weak tag is fine for If-None-Match");
        assertEquals(LAST_MODIFIED, conditional.ifModifiedSince(), "the manifest's Last-Modified, not the file's new time");
        List<String> lines = Files.readAllLines(manifest);
        JsonNode last = json.readTree(lines.get(lines.size() - 2));
        assertEquals("up_to_date", last.get("outcome").asText());
        assertEquals("W/\"m1\"", last.get("etag").asText(), "the next run can ask with it again");
        assertEquals(1, json.readTree(lines.getLast()).get("up_to_date").asInt());
        List<JsonNode> events = new ArrayList<>();
        for (String event : second.out().split("\n")) {
            events.add(json.readTree(event));
        }
        assertEquals("up_to_date", events.get(events.size() - 2).get("type").asText(), second.out());
        assertEquals(10_000, events.get(events.size() - 2).get("bytes").asLong());
        assertEquals(1, events.getLast().get("up_to_date").asInt());
    }

    @Test
    void withoutMinusNAnExistingFileIsSkippedWithoutARequestAsBefore() throws Exception {
        resources.put("/s.txt", new Resource("s".getBytes(), "\"s\"", LAST_MODIFIED));
        assertEquals(0, run(url("/s.txt")).status());
        int requests = asked.size();
        Runs second = run(url("/s.txt"));
        assertEquals(0, second.status(), second.toString());
        assertEquals(requests, asked.size(), "no request");
        assertTrue(second.err().contains("skipped   s.txt: already exists"), second.err());

        Runs plan = run("-N", "--dry-run", url("/s.txt"));
        assertTrue(plan.out().contains("would ask the server whether it changed (-N)"), plan.toString());
        assertEquals(requests, asked.size(), "a dry run asks nothing");
    }

    @Test
    void aNewFileUnderMinusNIsDownloadedAsAnyOther() throws Exception {
        resources.put("/n.txt", new Resource("n".getBytes(), "\"n\"", LAST_MODIFIED));
        Runs run = run("-N", "--json", url("/n.txt"));
        assertEquals(0, run.status(), run.toString());
        assertNull(askedFor("/n.txt").getFirst().ifNoneMatch(), "nothing to compare with");
        assertNotEquals(-1, run.out().indexOf("\"updated\":false"), run.out());
        assertFalse(run.err().contains("up to date"), run.err());
        assertEquals("n", Files.readString(out.resolve("n.txt")));
        assertTrue(Duration.between(Files.getLastModifiedTime(out.resolve("n.txt")).toInstant(), LAST_MODIFIED_AT).isZero());
    }

    @Test
    void aPartFileOfAnotherVersionGoesWhenTheServerSaysTheFileIsCurrent() throws Exception {
        resources.put("/p.bin", new Resource(bytes(1, 5000), "\"p1\"", LAST_MODIFIED));
        assertEquals(0, run("-N", url("/p.bin")).status());
        Files.write(out.resolve("p.bin.part"), bytes(9, 3000)); // left by a run stopped while fetching a version since withdrawn

        Runs run = run("-N", url("/p.bin"));
        assertEquals(0, run.status(), run.toString());
        assertTrue(run.err().contains("up to date p.bin"), run.err());
        assertArrayEquals(bytes(1, 5000), Files.readAllBytes(out.resolve("p.bin")));
        assertEquals(List.of("p.bin"), Runs.files(out), "the stale part file is gone");
    }

    @Test
    void overwriteSaysWhatItReplaced() throws Exception {
        resources.put("/o.txt", new Resource("o".getBytes(), "\"o\"", LAST_MODIFIED));
        assertEquals(0, run(url("/o.txt")).status());
        Runs again = run("--overwrite", url("/o.txt"));
        assertEquals(0, again.status(), again.toString());
        assertTrue(again.err().contains("(updated: it replaced the older file)"), again.err());
        assertTrue(again.err().contains("(0 new, 1 updated, 0 up to date, 0 failed"), again.err());
    }
}
