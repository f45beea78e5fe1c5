package dl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lists longer than the fork window (Download.WINDOW; the child JVMs here get a window of 40): the list is read twice
 * and never held, and still every URL gets the name the whole list gives it, every URL is fetched once by N shards in
 * one folder, a rerun with the manifest fetches only what is missing, and descriptors follow connections.
 */
class LongListTest {

    /** Downloads forked ahead of those ended in the child JVMs: far fewer than their lists. */
    static final List<String> SMALL_WINDOW = List.of("-Ddl.window=40");

    @TempDir Path tmp;

    /** The names planned as before the streaming plan: a set of every name's case-folded key and of its part file's. */
    static List<String> namesOfAHashSet(List<String> wanted) {
        Set<String> taken = new HashSet<>();
        List<String> names = new ArrayList<>();
        for (String w : wanted) {
            String name = w;
            for (int n = 1; taken.contains(TakenNames.key(name)) || taken.contains(TakenNames.key(name + FileNames.PART)); n++) {
                name = FileNames.numbered(w, n);
            }
            taken.add(TakenNames.key(name));
            taken.add(TakenNames.key(name + FileNames.PART));
            names.add(name);
        }
        return names;
    }

    /** Names that collide in every way a plan must number: case, numbered forms that are names too, Greek sigma, length. */
    static List<String> collidingUrls(String base, int count) {
        String[] names = {"a.txt", "A.TXT", "a.1.txt", "a.2.txt", "README", "README.1", "ΑΣ", "aσ", "aΣ.txt", "index.html",
                "", "%C3%A9t%C3%A9.txt", "x".repeat(199), "y".repeat(195) + ".txt", "z..txt", "v1.2.3.tar.gz"};
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            urls.add(base + "/d/" + i + "/" + names[i % names.length]);
        }
        return urls;
    }

    @Test
    void aListLongerThanTheWindowIsNamedAsAHashSetOfEveryNameNamesIt() throws IOException {
        List<String> urls = collidingUrls("http://127.0.0.1:9", 25_000);
        Path list = Runs.list(tmp, urls.toArray(String[]::new));
        Path out = tmp.resolve("out");
        Runs run = Runs.of("--dry-run", "-o", out.toString(), list.toString());
        assertEquals(0, run.status(), run.err());
        List<String> planned = run.out().lines().map(line -> line.substring(line.lastIndexOf('/') + 1)).toList();
        List<String> wanted = urls.stream().map(u -> FileNames.fromUrl(URI.create(u))).toList();
        assertEquals(namesOfAHashSet(wanted), planned);
    }

    @Test
    void aDryRunOf300000UrlsFitsIn64MiBOfHeap() throws Exception {
        // Before the streaming plan, a list of 300,000 URLs held about 540 MiB: 64 MiB of heap ran out.
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 300_000; i++) {
            lines.add("https://host" + (i % 1000) + ".example/data/" + i / 1000 + "/file-" + i + ".bin");
        }
        Path list = tmp.resolve("long.txt");
        Files.write(list, lines);
        Runs run = Runs.inItsOwnJvm(Duration.ofMinutes(2), "--dry-run", "-o", tmp.resolve("out").toString(), list.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.err().contains("Dry run: 300000 downloads planned"), run.err());
        assertEquals(300_000, run.out().lines().count());
    }

    @Test
    void threeShardsOfAListLongerThanTheirWindowFetchEveryUrlOnceUnderItsName() throws Exception {
        try (CountingServer server = new CountingServer()) {
            List<URI> urls = server.urls(600);
            Path list = Runs.list(tmp, urls.stream().map(URI::toString).toArray(String[]::new));
            Path out = tmp.resolve("out");
            List<Future<Runs>> shards = new ArrayList<>();
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 3; i++) {
                    String shard = i + "/3";
                    shards.add(pool.submit(() -> Runs.inItsOwnJvm(Duration.ofMinutes(2), List.of(), SMALL_WINDOW, "-q", "--shard", shard,
                            "--manifest", tmp.resolve("m-{shard}.ndjson").toString(), "-o", out.toString(), list.toString())));
                }
            }
            for (Future<Runs> shard : shards) {
                assertEquals(0, shard.get().status(), shard.get().toString());
            }
            for (URI url : urls) {
                assertEquals(1, server.requests(url), url.toString());
            }
            List<String> names = namesOfAHashSet(urls.stream().map(FileNames::fromUrl).toList());
            assertEquals(names.stream().sorted().toList(), Runs.files(out));
            for (int i = 0; i < urls.size(); i++) {
                assertEquals(CountingServer.body(urls.get(i).getPath()).length, Files.size(out.resolve(names.get(i))), names.get(i));
            }
        }
    }

    /** Names are planned by the first reading: a list written to before the second is not fetched by names it no longer has. */
    @Test
    void aListWrittenToBetweenItsReadingsIsNotReadAgain() throws Exception {
        Path list = Runs.list(tmp, "http://127.0.0.1:9/a.txt", "http://127.0.0.1:9/b.txt");
        Options same = new Options();
        Cli.parser(same).parseArgs(list.toString());
        ListPlan unchanged = ListPlan.read(same, java.io.InputStream.nullInputStream());
        List<String> names = new ArrayList<>();
        unchanged.jobs(e -> e).forEachRemaining(job -> names.add(job.name()));
        assertEquals(List.of("a.txt", "b.txt"), names);
        assertEquals(null, unchanged.failure());

        Options o = new Options();
        Cli.parser(o).parseArgs(list.toString());
        ListPlan plan = ListPlan.read(o, java.io.InputStream.nullInputStream());
        // Someone puts a.txt under a.txt's name again while the run plans: the plan's names are not those of the file.
        Files.write(list, List.of("http://127.0.0.1:9/x/a.txt", "http://127.0.0.1:9/a.txt", "http://127.0.0.1:9/b.txt"));
        var jobs = plan.jobs(e -> e);
        assertTrue(!jobs.hasNext(), "a job from the changed list");
        assertTrue(plan.failure() != null && plan.failure().contains(list + " changed while this run was reading it"), plan.failure());
    }

    /** A pipe (as {@code <(cmd)} or {@code /dev/stdin} give) cannot be read twice: its bytes are kept, as stdin's are. */
    @Test
    void aListFromAPipeIsFetchedWhole() throws Exception {
        Path fifo = tmp.resolve("list.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        try (CountingServer server = new CountingServer(); var writer = Executors.newVirtualThreadPerTaskExecutor()) {
            List<URI> urls = server.urls(50);
            Future<?> written = writer.submit(() -> {
                Files.write(fifo, urls.stream().map(URI::toString).toList()); // blocks until the run opens it
                return null;
            });
            Path out = tmp.resolve("out");
            Runs run = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> Runs.of("-q", "-o", out.toString(), fifo.toString()));
            written.get();
            assertEquals(0, run.status(), run.toString());
            assertEquals(50, server.requests(), run.toString());
            assertEquals(50, Runs.files(out).size());
        }
    }

    /** SIGTERM or Ctrl-C while a long manifest is read is a stop (130), not a bad manifest (2, which fails a k8s Job). */
    @Test
    void anInterruptWhileTheManifestIsReadIsAStop() throws IOException {
        Path list = Runs.list(tmp, "http://127.0.0.1:9/a.txt");
        Path manifest = Files.write(tmp.resolve("m.ndjson"), List.of(
                "{\"type\":\"url\",\"url\":\"http://127.0.0.1:9/a.txt\",\"file\":null,\"outcome\":\"failed\",\"bytes\":null}"));
        Thread.currentThread().interrupt(); // as the signal handler does
        Runs run;
        try {
            run = Runs.of("-q", "--only-failed", manifest.toString(), "-o", tmp.resolve("out").toString(), list.toString());
        } finally {
            Thread.interrupted();
        }
        assertEquals(ExitStatus.INTERRUPTED, run.status(), run.toString());
        assertTrue(run.err().contains("interrupted while reading the manifest " + manifest), run.toString());
    }

    /**
     * A NUL byte near the top of a list (a damaged line, told as one) does not end a second reading that passes over
     * other shards' lines before its first own URL, past the first 64 KiB that tell a list from a binary file.
     */
    @Test
    void aShardsSecondReadingPassesOverADamagedLineNearTheTop() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("http://127.0.0.1:9/a\u0000b");
        List<String> mine = new ArrayList<>();
        for (int i = 0; lines.size() < 6000; i++) {
            String url = "http://127.0.0.1:9/d/" + i + "/file.bin";
            boolean own = Shard.of(URI.create(url), 4) == 1;
            if (i < 4000 && own) {
                continue; // the first 4,000 (over 100 KiB) are other shards'
            }
            lines.add(url);
            if (own) {
                mine.add(url);
            }
        }
        Path list = Runs.list(tmp, lines.toArray(String[]::new));
        for (String folder : List.of("out", "out/{shard}")) {
            Runs run = Runs.of("--dry-run", "--shard", "1/4", "-o", tmp.resolve(folder).toString(), list.toString());
            assertEquals(0, run.status(), run.toString());
            List<String> planned = run.out().lines().filter(l -> l.contains(" -> ")).map(l -> l.substring(0, l.indexOf(" -> "))).toList();
            assertEquals(mine, planned, folder);
        }
    }

    @Test
    void aRerunOfAListLongerThanItsWindowFetchesWhatTheManifestLacks() throws Exception {
        try (CountingServer server = new CountingServer()) {
            List<URI> urls = server.urls(600);
            Path list = Runs.list(tmp, urls.stream().map(URI::toString).toArray(String[]::new));
            Path out = tmp.resolve("out");
            Path manifest = tmp.resolve("m.ndjson");
            String[] args = {"-q", "--manifest", manifest.toString(), "-o", out.toString(), list.toString()};
            Runs first = Runs.inItsOwnJvm(Duration.ofMinutes(2), List.of(), SMALL_WINDOW, args);
            assertEquals(0, first.status(), first.toString());
            assertEquals(600, server.requests());
            List<String> names = namesOfAHashSet(urls.stream().map(FileNames::fromUrl).toList());
            for (int i = 0; i < urls.size(); i += 12) {
                Files.delete(out.resolve(names.get(i))); // 50 files gone since
            }
            Runs second = Runs.inItsOwnJvm(Duration.ofMinutes(2), List.of(), SMALL_WINDOW, args);
            assertEquals(0, second.status(), second.toString());
            for (int i = 0; i < urls.size(); i++) {
                assertEquals(i % 12 == 0 ? 2 : 1, server.requests(urls.get(i)), urls.get(i).toString());
            }
            // A manifest that says 30 of them failed last: --only-failed fetches those 30, and no other.
            List<String> failed = new ArrayList<>();
            for (int i = 5; i < urls.size(); i += 20) {
                failed.add("{\"type\":\"url\",\"url\":\"" + urls.get(i) + "\",\"file\":null,\"outcome\":\"failed\",\"bytes\":null}");
            }
            Files.write(manifest, failed, java.nio.file.StandardOpenOption.APPEND);
            Runs third = Runs.inItsOwnJvm(Duration.ofMinutes(2), List.of(), SMALL_WINDOW, "-q", "--overwrite", "--only-failed",
                    manifest.toString(), "-o", out.toString(), list.toString());
            assertEquals(0, third.status(), third.toString());
            assertTrue(third.err().contains("Downloaded 30 of 30 files"), third.err());
            for (int i = 0; i < urls.size(); i++) {
                int expected = (i % 12 == 0 ? 2 : 1) + (i % 20 == 5 ? 1 : 0);
                assertEquals(expected, server.requests(urls.get(i)), urls.get(i).toString());
            }
        }
    }

    @Test
    void aRunOfMoreFilesThanItMayOpenDescriptorsSucceeds() throws Exception {
        // Part files are opened once a download holds a connection and has its answer: with 1,000 downloads forked at
        // once and a limit of 128 descriptors (the JVM, its jars and the server's connections included), none fails.
        Path prlimit = Path.of("/usr/bin/prlimit");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(prlimit), "needs prlimit (util-linux)");
        try (CountingServer server = new CountingServer()) {
            server.delayMillis = 2;
            List<URI> urls = server.urls(1000);
            Path list = Runs.list(tmp, urls.stream().map(URI::toString).toArray(String[]::new));
            Path out = tmp.resolve("out");
            Runs run = Runs.inItsOwnJvm(Duration.ofMinutes(2), List.of(prlimit.toString(), "--nofile=128:128", "--"), List.of(),
                    "-q", "-o", out.toString(), list.toString());
            assertEquals(0, run.status(), run.toString());
            assertEquals(1000, Runs.files(out).size());
        }
    }
}
