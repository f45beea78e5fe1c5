package dl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** --shard and --manifest: N workers share one list and one folder, and every URL is fetched exactly once. */
class ShardsTest {

    static final int URLS = 2000;

    @TempDir Path tmp;
    CountingServer server;
    List<URI> urls;
    Path list;
    Path out;

    @BeforeEach
    void serve() throws IOException {
        server = new CountingServer();
        urls = server.urls(URLS);
        list = Runs.list(tmp, urls.stream().map(URI::toString).toArray(String[]::new));
        out = tmp.resolve("out");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aUrlsShardIsFixed() {
        // Golden values, computed outside Java: printf %s URL | sha256sum, first 16 hex digits, modulo 10.
        // A change here moves URLs between shards, so it must be a visible break.
        assertEquals(2, Shard.of(URI.create("https://example.com/a.jpg"), 10));
        assertEquals(9, Shard.of(URI.create("https://example.com/b.jpg"), 10));
        assertEquals(1, Shard.of(URI.create("http://127.0.0.1:8080/data/000001.bin"), 10));
        assertEquals(0, Shard.of(URI.create("https://xn--bcher-kva.example/Bücher?q=1"), 10));
        assertEquals(9, Shard.of(URI.create("https://example.org/"), 10));
    }

    @Test
    void aBadShardIsOneLine() {
        for (String bad : List.of("3", "10/10", "-1/4", "a/b", "1/0")) {
            Runs run = Runs.of("--shard", bad, list.toString());
            assertEquals(ExitStatus.USAGE, run.status(), run.toString());
            assertTrue(run.err().startsWith("Download.java: ") && run.err().contains("--shard"), run.toString());
        }
        // Without {shard}, the name is the user's to give per shard (m-$INDEX.ndjson, as Slurm and AWS Batch do): accepted (#19).
        Runs noPlaceholder = Runs.of("--dry-run", "--shard", "1/4", "--manifest", tmp.resolve("m.ndjson").toString(),
                "-o", tmp.resolve("out").toString(), list.toString());
        assertEquals(0, noPlaceholder.status(), noPlaceholder.toString());
    }

    @Test
    void onlyFailedFindsTheShardsOwnManifest() {
        String manifest = tmp.resolve("m-{shard}.ndjson").toString();
        assertEquals(0, Runs.of("-q", "--shard", "1/2", "--manifest", manifest, "-o", out.toString(), list.toString()).status());
        Runs nothingLeft = Runs.of("--dry-run", "--shard", "1/2", "--only-failed", manifest, "-o", out.toString(), list.toString());
        assertEquals(0, nothingLeft.status(), nothingLeft.toString());
        assertTrue(nothingLeft.err().startsWith("Dry run: 0 downloads planned"), nothingLeft.toString());
        Runs allOfShard0 = Runs.of("--dry-run", "--shard", "0/2", "--only-failed", manifest, "-o", out.toString(), list.toString());
        assertEquals(ExitStatus.USAGE, allOfShard0.status(), "shard 0 wrote no manifest: " + allOfShard0);
        // A name without {shard} is taken as it is (#19): this one was never written.
        Runs noPlaceholder = Runs.of("--shard", "1/2", "--only-failed", tmp.resolve("m.ndjson").toString(), list.toString());
        assertEquals(ExitStatus.USAGE, noPlaceholder.status());
        assertTrue(noPlaceholder.err().contains("m.ndjson: no such manifest"), noPlaceholder.toString());
    }

    @Test
    void theListsProblemsAreToldOnceByShardZero() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(list).subList(0, 20));
        lines.add("ftp://example.com/not-http");
        Path withProblem = Files.write(tmp.resolve("with-problem.txt"), lines);
        for (int i = 0; i < 3; i++) {
            Runs run = Runs.of("-q", "--shard", i + "/3", "-o", out.toString(), withProblem.toString());
            assertEquals(i == 0 ? ExitStatus.SOME_FAILED : ExitStatus.OK, run.status(), run.toString());
            assertEquals(i == 0, run.err().contains("with-problem.txt:21: unsupported scheme"), run.toString());
        }
        assertEquals(20, Runs.files(out).size(), "every shard downloaded its URLs");
    }

    @Test
    void aDryRunShowsOnlyItsShardWithTheNamesOfTheWholePlan() throws IOException, InterruptedException {
        Map<URI, String> plan = plan();
        Set<URI> seen = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            Runs run = Runs.of("--dry-run", "--shard", i + "/3", "-o", out.toString(), list.toString());
            assertEquals(0, run.status(), run.toString());
            for (String line : run.out().lines().filter(l -> l.contains(" -> ")).toList()) {
                URI url = URI.create(line.substring(0, line.indexOf(" -> ")));
                assertEquals(i, Shard.of(url, 3));
                assertTrue(line.endsWith(out.resolve(plan.get(url)).toString()), line);
                assertTrue(seen.add(url), "in two shards: " + url);
            }
        }
        assertEquals(URLS, seen.size());

        // The same from standard input.
        Runs stdin = Runs.withInput(Files.readString(list), "--dry-run", "--shard", "2/3", "-o", out.toString(), "-");
        assertEquals(urls.stream().filter(url -> Shard.of(url, 3) == 2).count(), stdin.out().lines().filter(l -> l.contains(" -> ")).count());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 7})
    void shardsAtOnceFetchEveryUrlOnceIntoOneFolder(int shards) throws Exception {
        List<Runs> runs = allShards(shards);
        runs.forEach(run -> assertEquals(0, run.status(), run.toString()));

        Map<URI, String> plan = plan();
        for (URI url : urls) {
            assertEquals(1, server.requests(url), url.toString());
            assertArrayEquals(CountingServer.body(url.getPath()), Files.readAllBytes(out.resolve(plan.get(url))), url.toString());
        }
        assertEquals(Set.copyOf(plan.values()), Set.copyOf(Runs.files(out)), "exactly the planned names, no numbered extras, no .part");

        Map<URI, Integer> recorded = new HashMap<>();
        for (Earlier entry : manifestEntries(shards)) {
            recorded.merge(URI.create(entry.url()), 1, Integer::sum);
            assertEquals(Outcome.COMPLETED, entry.outcome());
            assertEquals(plan.get(URI.create(entry.url())), entry.file());
        }
        assertEquals(URLS, recorded.size());
        assertTrue(recorded.values().stream().allMatch(n -> n == 1), "every URL in exactly one manifest, once");

        // A rerun of every shard asks the server nothing: the manifests say what is done and the files are there.
        int before = server.requests();
        allShards(shards).forEach(run -> assertEquals(0, run.status(), run.toString()));
        assertEquals(before, server.requests());
    }

    @Test
    void aKilledShardRerunFetchesOnlyTheRest() throws Exception {
        server.delayMillis = 20;
        Path manifest = tmp.resolve("m-00001-of-00002.ndjson");
        Process shard = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-preview", "-cp", System.getProperty("java.class.path"), "dl.Download",
                "-q", "--max-connections", "8", "--shard", "1/2", "--manifest", tmp.resolve("m-{shard}.ndjson").toString(),
                "-o", out.toString(), list.toString())
                .redirectOutput(tmp.resolve("stdout").toFile()).redirectError(tmp.resolve("stderr").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (lines(manifest) < 100) {
                assertTrue(shard.isAlive() && System.nanoTime() < deadline, "the shard did not get far enough: " + Files.readString(tmp.resolve("stderr")));
                Thread.sleep(20);
            }
        } finally {
            shard.destroyForcibly(); // SIGKILL: no finally, no summary line, maybe a torn last line
            shard.waitFor();
        }
        List<URI> mine = urls.stream().filter(url -> Shard.of(url, 2) == 1).toList();
        Set<URI> doneBefore = new HashSet<>();
        Manifest.read(manifest).forEach((url, entry) -> {
            if (entry.done()) {
                doneBefore.add(url);
            }
        });
        assertTrue(doneBefore.size() >= 100 && doneBefore.size() < mine.size(), doneBefore.size() + " of " + mine.size());
        Map<URI, Integer> requestsBefore = new HashMap<>();
        mine.forEach(url -> requestsBefore.put(url, server.requests(url)));

        server.delayMillis = 0;
        Runs rerun = Runs.of("-q", "--shard", "1/2", "--manifest", tmp.resolve("m-{shard}.ndjson").toString(), "-o", out.toString(), list.toString());
        assertEquals(0, rerun.status(), rerun.toString());

        Map<URI, String> plan = plan();
        for (URI url : mine) {
            int again = server.requests(url) - requestsBefore.get(url);
            if (doneBefore.contains(url)) {
                assertEquals(0, again, "recorded as done, asked again: " + url);
            } else {
                assertTrue(again <= 1, url + " asked " + again + " times");
            }
            assertArrayEquals(CountingServer.body(url.getPath()), Files.readAllBytes(out.resolve(plan.get(url))), url.toString());
        }
        assertEquals(mine.stream().map(plan::get).sorted().toList(), Runs.files(out), "the shard's files and nothing else");
        assertTrue(urls.stream().filter(url -> Shard.of(url, 2) == 0).allMatch(url -> server.requests(url) == 0), "the other shard's URLs untouched");
    }

    /**
     * With {shard} in -o, each shard has a folder of its own and names its own URLs as a list of them alone would be
     * named: 300 URLs that all want a.txt give a.txt, a.1.txt, ... in each folder. Two spellings of one URL (%2f and
     * %2F) fall in one shard, so the list's duplicate is still fetched once, and a shard with no URL of its own ends well.
     */
    @Test
    void shardsInFoldersOfTheirOwnNameTheirOwnUrls() throws Exception {
        String base = urls.getFirst().resolve("/d/").toString();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            lines.add(base + "n/" + i + "/a.txt");
        }
        lines.add(base + "c%2fd.txt");
        lines.add(base + "c%2Fd.txt");
        Path named = Files.write(tmp.resolve("named.txt"), lines);
        // The duplicate line is a problem of the list, told by shard 0 (exit 1) when the URL is shard 0's own.
        int duplicateTeller = Shard.of(URI.create(base + "c%2fd.txt"), 3) == 0 ? 0 : -1;
        for (int i = 0; i < 3; i++) {
            Runs run = Runs.of("-q", "--shard", i + "/3", "-o", tmp.resolve("own/{shard}").toString(), named.toString());
            assertEquals(i == duplicateTeller ? ExitStatus.SOME_FAILED : ExitStatus.OK, run.status(), run.toString());
        }
        Set<String> fetched = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            int index = i;
            List<UrlList.Entry> mine;
            try (var in = Files.newInputStream(named)) {
                mine = UrlList.parse(in, "named").entries().stream().filter(e -> Shard.of(e.url(), 3) == index).toList();
            }
            Path folder = tmp.resolve("own").resolve(new Shard(i, 3).label());
            List<String> expected = Plan.names(mine).stream().map(Job::name).sorted().toList();
            assertEquals(expected, Runs.files(folder), "shard " + i + " named its own URLs as a list of them alone");
            assertTrue(expected.contains("a.txt") && expected.contains("a.1.txt"), expected.toString());
            for (UrlList.Entry entry : mine) {
                assertTrue(fetched.add(entry.url().getPath()), "fetched twice: " + entry.url());
            }
        }
        assertEquals(1, server.requests(URI.create(base + "c%2fd.txt")), "two spellings of one URL, fetched once");
        assertEquals(Shard.of(URI.create(base + "c%2fd.txt"), 3), Shard.of(URI.create(base + "c%2Fd.txt"), 3));
        assertEquals(Shard.of(URI.create("https://example.com/a.jpg"), 10), Shard.of(URI.create("HTTPS://Example.COM/a.jpg"), 10));

        Path one = Files.write(tmp.resolve("one.txt"), List.of(base + "only.txt"));
        int mine = Shard.of(URI.create(base + "only.txt"), 3);
        Runs empty = Runs.of("-q", "--shard", (mine + 1) % 3 + "/3", "-o", tmp.resolve("one/{shard}").toString(), one.toString());
        assertEquals(0, empty.status(), "a shard with no URL of its own: " + empty);
    }

    /** Every shard of N at once, each in its own thread of this JVM, into one folder. */
    private List<Runs> allShards(int shards) throws Exception {
        try (var pool = Executors.newFixedThreadPool(shards)) {
            List<Future<Runs>> running = new ArrayList<>();
            for (int i = 0; i < shards; i++) {
                String shard = i + "/" + shards;
                running.add(pool.submit((Callable<Runs>) () -> Runs.of("-q", "--shard", shard,
                        "--manifest", tmp.resolve("m-{shard}.ndjson").toString(), "-o", out.toString(), list.toString())));
            }
            List<Runs> runs = new ArrayList<>();
            for (Future<Runs> run : running) {
                runs.add(run.get(2, TimeUnit.MINUTES));
            }
            return runs;
        }
    }

    /** The URL lines of every shard's manifest. */
    private List<Earlier> manifestEntries(int shards) throws IOException {
        List<Earlier> entries = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            Path file = tmp.resolve("m-" + new Shard(i, shards).label() + ".ndjson");
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                in.lines().map(Json::earlier).filter(e -> e != null).forEach(entries::add);
            }
        }
        return entries;
    }

    /** URL to file name, as one process planning the whole list names them. */
    private Map<URI, String> plan() throws InterruptedException {
        try (var in = Files.newInputStream(list)) {
            Map<URI, String> names = new HashMap<>();
            Plan.names(UrlList.parse(in, "list").entries()).forEach(job -> names.put(job.url(), job.name()));
            return names;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        }
    }
}
