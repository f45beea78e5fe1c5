package dl;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as people coming from wget, curl and aria2c type it (issue #19). */
class CommandLineTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    @TempDir
    Path dir;

    private void files() {
        server.stubFor(get(urlMatching("/f/.*")).willReturn(aResponse().withBody("ok")));
    }

    // ---- 1. URLs as arguments

    @Test
    void urlArgumentsDownloadWithoutAList() throws Exception {
        files();
        Runs run = Runs.of("-o", dir.toString(), server.baseUrl() + "/f/a.bin", server.baseUrl() + "/f/b.bin");
        assertEquals(0, run.status(), run.toString());
        assertEquals(List.of("a.bin", "b.bin"), Runs.files(dir));
    }

    @Test
    void urlArgumentsListsAndInputFilesMix() throws Exception {
        files();
        Path list = Runs.list(dir, server.baseUrl() + "/f/1.bin", server.baseUrl() + "/f/dup.bin");
        Path other = Files.writeString(dir.resolve("more.txt"), server.baseUrl() + "/f/3.bin\n");
        Path out = Files.createDirectory(dir.resolve("out"));
        Runs run = Runs.withInput(server.baseUrl() + "/f/4.bin\n", "-o", out.toString(), "-i", other.toString(), list.toString(),
                server.baseUrl() + "/f/dup.bin", server.baseUrl() + "/f/2.bin", "-");
        // The URL given twice is fetched once, and the second is reported like a duplicate line: exit status 1.
        assertEquals(1, run.status(), run.toString());
        assertEquals(List.of("1.bin", "2.bin", "3.bin", "4.bin", "dup.bin"), Runs.files(out));
        assertTrue(run.err().contains("argument 2: duplicate of " + list + ":2"), run.err());
        server.verify(1, getRequestedFor(urlEqualTo("/f/dup.bin")));
    }

    @Test
    void aBadUrlArgumentIsNamedAndItsPasswordMasked() throws Exception {
        files();
        Runs run = Runs.of("-o", dir.toString(), "ftp://user:secret@example.org/x", server.baseUrl() + "/f/a.bin");
        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains("argument 1: unsupported scheme 'ftp' (only http and https): ftp://user:***@example.org/x; skipped"), run.err());
        assertFalse((run.out() + run.err()).contains("secret"), run.toString());
        assertEquals(List.of("a.bin"), Runs.files(dir));

        Runs alone = Runs.of("-o", dir.toString(), "htp://example.org/x");
        assertEquals(2, alone.status(), alone.toString());
        assertTrue(alone.err().contains("argument 1: unsupported scheme 'htp'"), alone.err());
        assertTrue(alone.err().contains("no usable URL in the URL argument"), alone.err());
    }

    @Test
    void credentialsOfAUrlArgumentBecomeItsAuthorization() throws Exception {
        files();
        String url = server.baseUrl().replace("://", "://ann:s%40cret@") + "/f/a.bin";
        Runs run = Runs.of("-v", "-o", dir.toString(), url);
        assertEquals(0, run.status(), run.toString());
        server.verify(getRequestedFor(urlEqualTo("/f/a.bin")).withHeader("Authorization", equalTo("Basic YW5uOnNAY3JldA==")));
        assertFalse((run.out() + run.err()).contains("cret"), run.toString());
    }

    @Test
    void outputDocumentNamesTheOneUrl() throws Exception {
        files();
        Runs run = Runs.of("-o", dir.toString(), "-O", "mine.txt", server.baseUrl() + "/f/a.bin");
        assertEquals(0, run.status(), run.toString());
        assertEquals(List.of("mine.txt"), Runs.files(dir));

        Runs two = Runs.of("-o", dir.toString(), "--output-document", "x.txt", server.baseUrl() + "/f/b.bin", server.baseUrl() + "/f/c.bin");
        assertEquals(2, two.status(), two.toString());
        assertTrue(two.err().contains("-O x.txt names the file of a single URL, but there are 2 URLs"), two.err());

        Runs folder = Runs.of("-o", dir.toString(), "-O", "sub/x.txt", server.baseUrl() + "/f/b.bin");
        assertEquals(2, folder.status(), folder.toString());
        assertTrue(folder.err().contains("give a plain file name"), folder.err());
        assertEquals(List.of("mine.txt"), Runs.files(dir));
    }

    // ---- 2. the peers' spellings

    @Test
    void thePeersFolderOptionsAreOutput() throws Exception {
        files();
        for (String option : List.of("-P", "--directory-prefix", "-d", "--output-dir")) {
            Path folder = dir.resolve(option.replace("-", ""));
            Runs run = Runs.of(option, folder.toString(), server.baseUrl() + "/f/a.bin");
            assertEquals(0, run.status(), option + " " + run);
            assertEquals(List.of("a.bin"), Runs.files(folder), option);
        }
    }

    @Test
    void continueAndNoClobberAreAcceptedAndAreTheBehaviour() throws Exception {
        files();
        Files.writeString(dir.resolve("a.bin"), "mine");
        Runs run = Runs.of("-c", "-nc", "-o", dir.toString(), server.baseUrl() + "/f/a.bin");
        assertEquals(0, run.status(), run.toString());
        assertEquals("mine", Files.readString(dir.resolve("a.bin")));
        assertEquals(0, Runs.of("--continue", "--no-clobber", "-n", "-o", dir.toString(), server.baseUrl() + "/f/a.bin").status());
    }

    @Test
    void triesCountsTheFirstTryAsWgetDoes() throws Exception {
        server.stubFor(get(urlEqualTo("/f/busy.bin")).willReturn(aResponse().withStatus(503)));
        Runs run = Runs.of(Runs.fast("--tries", "3", "-o", dir.toString(), server.baseUrl() + "/f/busy.bin"));
        assertEquals(1, run.status(), run.toString());
        server.verify(3, getRequestedFor(urlEqualTo("/f/busy.bin")));

        server.resetRequests();
        assertEquals(1, Runs.of(Runs.fast("-t", "1", "-o", dir.toString(), server.baseUrl() + "/f/busy.bin")).status());
        server.verify(1, getRequestedFor(urlEqualTo("/f/busy.bin")));

        Runs zero = Runs.of("--tries", "0", server.baseUrl() + "/f/busy.bin");
        assertEquals(2, zero.status(), zero.toString());
        assertTrue(zero.err().contains("--tries N is --retries N-1"), zero.err());
    }

    @Test
    void jIsMaxConnections() throws Exception {
        Runs run = Runs.of("-j", "0", "http://127.0.0.1:1/x");
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains("--max-connections and --per-host must be at least 1"), run.err());
        Runs many = Runs.of("-j", "20000", "http://127.0.0.1:1/x");
        assertTrue(many.err().contains("--max-connections 20000 is more than"), many.err());
    }

    @Test
    void habitsOfOtherToolsGetAHint() {
        Map<String, String> hints = Map.of(
                "-Z", "downloads already run in parallel; -j N",
                "-z", "curl's -z: -N (--timestamping)",
                "--etag-compare", "keeps each file's ETag on the file itself",
                "-s", "give -x N (--max-connection-per-server)",
                "-r", "recursive downloads are not supported",
                "-b", "curl's -b FILE is --load-cookies FILE here");
        hints.forEach((option, words) -> {
            Runs run = Runs.of(option, "http://127.0.0.1:1/x");
            assertEquals(2, run.status(), option + " " + run);
            List<String> lines = run.err().lines().toList();
            assertEquals(3, lines.size(), run.err());
            assertTrue(lines.get(0).contains("Unknown option: '" + option + "'"), run.err());
            assertTrue(lines.get(1).contains(words), run.err());
        });
        Runs proxy = Runs.of("-x", "http://127.0.0.1:3128", "http://127.0.0.1:1/x");
        assertEquals(2, proxy.status(), proxy.toString());
        assertTrue(proxy.err().contains("curl's -x PROXY is --proxy PROXY here"), proxy.err());
        Runs typo = Runs.of("--retires", "3", "http://127.0.0.1:1/x");
        assertTrue(typo.err().contains("Did you mean --retries"), typo.err());
        Runs curl = Runs.of("-O", "http://127.0.0.1:1/x");
        assertEquals(2, curl.status(), curl.toString());
        assertTrue(curl.err().contains("-O takes a file name, as wget's -O does"), curl.err());
    }

    // ---- 3. polite defaults

    private static long summary(Runs run, String field) {
        String last = run.out().lines().reduce((a, b) -> b).orElseThrow();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + field + "\":(\\d+)").matcher(last);
        assertTrue(m.find(), last);
        return Long.parseLong(m.group(1));
    }

    @Test
    void theDemoKeepsItsManyConnections() {
        Runs run = Runs.of("--json", "--demo", "--demo-files", "60", "--demo-size", "1K", "--demo-delay", "0.5");
        assertEquals(0, run.status(), run.toString());
        assertTrue(summary(run, "peak_in_flight") > HostWindow.CEILING, run.out().lines().reduce((a, b) -> b).orElseThrow());
    }

    // ---- 5. small ones

    @Test
    void quietPrintsNoThreadsOrMemoryLines() throws Exception {
        files();
        Runs run = Runs.of("-q", "-o", dir.toString(), server.baseUrl() + "/f/a.bin", "http://127.0.0.1:1/down.bin");
        assertEquals(1, run.status(), run.toString());
        assertFalse(run.err().contains("Threads: ") || run.err().contains("Memory: "), run.err());
        assertTrue(run.err().contains("FAILED") && run.err().contains("Downloaded 1 of 2 files"), run.err());
        Runs normal = Runs.of("-o", dir.resolve("n").toString(), server.baseUrl() + "/f/a.bin");
        assertTrue(normal.err().contains("Threads: ") && normal.err().contains("Memory: "), normal.err());
    }

    @Test
    void aDryRunMakesNoFolder() {
        Path folder = dir.resolve("not/yet");
        Runs run = Runs.of("--dry-run", "-o", folder.toString(), "http://127.0.0.1:1/a.bin");
        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().contains("http://127.0.0.1:1/a.bin -> " + folder.resolve("a.bin")), run.out());
        assertFalse(Files.exists(dir.resolve("not")), "the dry run made " + folder);
    }

    @Test
    void completionOffersTheThreadModesInLowerCase() {
        Runs run = Runs.of("--completion", "bash");
        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().contains("virtual") && run.out().contains("platform"), run.out());
        assertFalse(run.out().contains("VIRTUAL") || run.out().contains("PLATFORM"), run.out());
        assertEquals(0, Runs.of("-n", "--threads", "platform", "-o", dir.toString(), "http://127.0.0.1:1/a").status());
        assertEquals(0, Runs.of("-n", "--threads", "VIRTUAL", "-o", dir.toString(), "http://127.0.0.1:1/a").status());
    }

    @Test
    void aShardMayHaveAManifestNameOfItsOwnWithoutTheShardMark() throws Exception {
        files();
        Path list = Runs.list(dir, server.baseUrl() + "/f/1.bin", server.baseUrl() + "/f/2.bin", server.baseUrl() + "/f/3.bin",
                server.baseUrl() + "/f/4.bin");
        Path out = dir.resolve("out");
        for (int i = 0; i < 2; i++) {
            Runs run = Runs.of("--shard", i + "/2", "--manifest", dir.resolve("m-" + i + ".ndjson").toString(), "-o", out.toString(), list.toString());
            assertEquals(0, run.status(), run.toString());
        }
        assertEquals(List.of("1.bin", "2.bin", "3.bin", "4.bin"), Runs.files(out));
        long lines = Files.readAllLines(dir.resolve("m-0.ndjson")).size() + Files.readAllLines(dir.resolve("m-1.ndjson")).size();
        assertEquals(4 + 2, lines, "a line per URL and a summary line per shard");
    }
}
