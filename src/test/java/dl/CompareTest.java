package dl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --compare and --sweep, end to end: real child JVMs against the demo server in this one. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CompareTest {

    @TempDir
    Path dir;

    @Test
    void compareRunsEachModeInItsOwnJvmAndPrintsTheTable() {
        Runs run = Runs.of("--compare", "--demo", "--demo-files", "30", "--demo-size", "2K", "--demo-delay", "0.05");
        assertEquals(0, run.status(), run.toString());
        String out = run.out();
        assertTrue(out.contains("Comparing thread modes on 30 demo files of 2.0 KiB"), out);
        assertTrue(out.matches("(?s).*downloads ok / failed\\s+30 / 0\\s+30 / 0.*"), out);
        assertTrue(out.matches("(?s).*peak download threads alive\\s+30\\s+30\\s+1\\.0x.*"), out);
        // The platform child really ran one platform thread per download.
        String threads = out.lines().filter(l -> l.contains("peak platform threads")).findFirst().orElseThrow();
        long platform = Long.parseLong(threads.trim().split("\\s+")[4]);
        assertTrue(platform >= 30, threads);
    }

    @Test
    void compareAlsoRunsAListOfUrls() throws Exception {
        try (DemoServer server = DemoServer.start(500, Duration.ZERO)) {
            Path list = Runs.list(dir, server.url(1).toString(), server.url(2).toString(), "not a url");
            Runs run = Runs.of("--compare", list.toString());
            assertEquals(0, run.status(), run.toString());
            assertTrue(run.out().contains("Comparing thread modes on 2 URLs of " + list), run.out());
            assertTrue(run.out().matches("(?s).*downloads ok / failed\\s+2 / 0\\s+2 / 0.*"), run.out());
            assertEquals(List.of("urls.txt"), Runs.files(dir), "the children download into folders of their own");
        }
    }

    @Test
    void aSweepWritesAChartAndItsData() throws Exception {
        // With --compare, -o names the report's folder.
        Runs run = Runs.of("--compare", "--demo", "--sweep", "5,15", "--demo-size", "1K", "--demo-delay", "0.02",
                "-o", dir.toString());
        assertEquals(0, run.status(), run.toString());
        JsonNode data = new ObjectMapper().readTree(dir.resolve("sweep.json").toFile());
        assertEquals(4, data.get("runs").size());
        for (JsonNode r : data.get("runs")) {
            assertEquals(r.get("downloads").asInt(), r.get("completed").asInt(), r.toString());
            assertTrue(r.get("peak_rss_bytes").asLong() > 0, r.toString());
            assertTrue(r.get("held_rss_bytes").asLong() > 0 && r.get("held_live").asInt() > 0, r.toString());
        }
        String svg = Files.readString(dir.resolve("sweep.svg"));
        assertTrue(svg.startsWith("<svg") && svg.contains("resident memory with all downloads forked") && svg.contains("<polyline"), svg);
        assertEquals(8, svg.split("<circle").length - 1, "two panels, four points each");
    }

    @Test
    void aModeThatCannotRunIsReportedWithItsErrorNotACrash() {
        List<Measured> results = List.of(
                new Measured("virtual", 100_000, Map.ofEntries(Map.entry("completed", (Object) 100000L), Map.entry("failed", (Object) 0L), Map.entry("wall_ms", (Object) 2000L), Map.entry("peak_rss_bytes", (Object) 300000000L), Map.entry("baseline_rss_bytes", (Object) 60000000L), Map.entry("peak_live", (Object) 100000L), Map.entry("cpu_ms", (Object) 5000L), Map.entry("peak_platform_threads", (Object) 30L), Map.entry("peak_in_flight", (Object) 900L), Map.entry("held_rss_bytes", (Object) 300000000L), Map.entry("held_live", (Object) 100000L)), null, Duration.ofSeconds(3)),
                new Measured("platform", 100_000, null,
                        "exit 1: internal error: java.lang.OutOfMemoryError: unable to create native thread", Duration.ofSeconds(20)));
        String table = String.join("\n", Compare.table(results));
        assertTrue(table.contains("platform could not run 100000 downloads: exit 1: internal error: java.lang.OutOfMemoryError: unable to create native thread"), table);
        assertTrue(table.matches("(?s).*memory held per live download\\s+2\\.3 KiB\\s+-.*"), table);
        String svg = Chart.svg(results, "test machine");
        assertTrue(svg.contains("unable to create native thread"), svg);
    }

    @Test
    void theChildrenGetEveryOptionOfTheList() throws Exception {
        try (var received = new HoldingServer(new byte[10], 10, Duration.ZERO)) {
            Path list = Runs.list(dir, received.url("/a.bin"), "  header=X-Compare: forwarded", "  out=renamed.bin");
            Runs run = Runs.of("--compare", list.toString());
            assertEquals(0, run.status(), run.toString());
            assertEquals(List.of("forwarded", "forwarded"), received.headers("X-Compare"), "both children sent the list's header");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aHungChildIsStoppedAtItsTimeLimit() throws Exception {
        try (var silent = new HoldingServer(new byte[100], 0, Duration.ofSeconds(40))) {
            Path list = Runs.list(dir, silent.url("/hang.bin"));
            var out = new java.io.ByteArrayOutputStream();
            Compare compare = new Compare(List.of(), new Streams(new java.io.PrintStream(out), new java.io.PrintStream(out), false), Duration.ofSeconds(3));
            long start = System.nanoTime();
            Measured result = compare.child("virtual", list, 1);
            assertTrue(!result.ran() && result.error().contains("did not finish within 3.00 s"), String.valueOf(result));
            assertTrue(System.nanoTime() - start < 30_000_000_000L, "stopped at its limit, not when the server let go");
        }
    }

    @Test
    void theChildrenGetEveryOptionAsTypedNetrcIncluded() throws Exception {
        // Forwarding was a hand-kept list of options, and --netrc-file was not on it: both children got 401.
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 50);
        String expected = "Basic " + java.util.Base64.getEncoder().encodeToString("ann:pw1".getBytes());
        server.createContext("/", exchange -> {
            boolean allowed = expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "ok".getBytes();
            exchange.sendResponseHeaders(allowed ? 200 : 401, body.length);
            try (exchange; var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            Path netrc = Files.writeString(dir.resolve("netrc"), "machine 127.0.0.1 login ann password pw1\n");
            Path list = Runs.list(dir, base + "/a.txt", base + "/b.txt");
            Runs run = Runs.of("--compare", "--netrc-file", netrc.toString(), list.toString());
            assertEquals(0, run.status(), run.toString());
            assertTrue(run.out().matches("(?s).*downloads ok / failed\\s+2 / 0\\s+2 / 0.*"), run.out());
        } finally {
            server.stop(0);
        }
    }
}
