package dl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipe in local mode (local[2]) against a server on 127.0.0.1: Download.java runs through the repository's
 * ./jbang, and the manifest Spark writes must match the files on disk, byte for byte.
 */
class SparkDownloadTest {

    static final Path REPO = Path.of("../..").toAbsolutePath().normalize();
    static final int URLS = 500;

    @TempDir Path tmp;

    @Test
    void theSameShardsAsDownloadJava() {
        // The golden values of the main project's ShardsTest: the two must never drift apart.
        assertEquals(2, SparkDownload.shard("https://example.com/a.jpg", 10));
        assertEquals(9, SparkDownload.shard("https://example.com/b.jpg", 10));
        assertEquals(1, SparkDownload.shard("http://127.0.0.1:8080/data/000001.bin", 10));
        assertEquals(9, SparkDownload.shard("https://example.org/", 10));
    }

    @Test
    void aListRunsInLocalModeAndItsManifestMatchesTheDisk() throws Exception {
        Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            byte[] body = ("the bytes of " + path + "\n").repeat(1 + path.length() % 7).getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(path.endsWith("/missing") ? 404 : 200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < URLS; i++) {
            urls.add("http://127.0.0.1:" + server.getAddress().getPort() + "/f/" + i + (i == 7 ? "/missing" : "/data-" + i + ".txt"));
        }
        Path list = Files.write(tmp.resolve("urls.txt"), urls);
        Path out = tmp.resolve("out");
        List<String> command = List.of(REPO.resolve("jbang").toString(), REPO.resolve("Download.java").toString(), "--retries", "0");

        // jbang builds a script once per machine; partitions starting at once would all build it, into one cache.
        Process build = new ProcessBuilder(REPO.resolve("jbang").toString(), "build", REPO.resolve("Download.java").toString())
                .inheritIO().start();
        assertEquals(0, build.waitFor());

        try (SparkSession spark = SparkSession.builder().master("local[2]").appName("download-test")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate()) {
            List<Row> rows = SparkDownload.run(spark, list.toString(), out, 3, command).collectAsList();
            assertEquals(URLS, rows.size());
            int completed = 0;
            for (Row row : rows) {
                if (row.getAs("outcome").equals("completed")) {
                    completed++;
                    Path file = Path.of(row.<String>getAs("file"));
                    assertEquals(Files.size(file), (long) row.<Long>getAs("bytes"), file.toString());
                    assertEquals(sha256(file), row.getAs("sha256"), file.toString());
                } else {
                    assertEquals("failed", row.getAs("outcome"));
                    assertEquals(urls.get(7), row.getAs("url"));
                }
            }
            assertEquals(URLS - 1, completed);
            assertEquals(URLS, requests.size(), "every URL asked for");
            requests.values().forEach(n -> assertEquals(1, n.get()));

            // A rerun of the job asks only what failed: the partitions' own manifests skip the rest.
            List<Row> again = SparkDownload.run(spark, list.toString(), out, 3, command).collectAsList();
            assertEquals(URLS, again.size());
            assertEquals(URLS - 1, again.stream().filter(r -> r.getAs("outcome").equals("skipped")).count());
            assertEquals(2, requests.get("/f/7/missing").get());
            assertEquals(URLS, requests.values().stream().mapToInt(AtomicInteger::get).sum() - 1);
        } finally {
            server.stop(0);
        }
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
