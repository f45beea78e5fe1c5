package dl;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Errors that will not go away are reported at once, in words, and not retried; mistakes in options are named. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NotRetriedTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().dynamicHttpsPort().bindAddress("127.0.0.1")).build();

    @TempDir
    Path dir;

    private Runs fetch(List<String> lines, String... args) throws Exception {
        Path list = Runs.list(dir, lines.toArray(String[]::new));
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("-o", dir.resolve("out").toString(), list.toString()));
        // Real waits (1 s doubling): a retry would show in the time and in the output.
        return Runs.of(all.toArray(String[]::new));
    }

    @Test
    void aHostThatDoesNotResolveFailsEveryDownloadOfItAtOnce() throws Exception {
        List<String> urls = java.util.stream.IntStream.rangeClosed(1, 5).mapToObj(i -> "http://no-such-host.invalid/f" + i + ".zip").toList();
        Runs run = fetch(urls);
        assertEquals(1, run.status(), run.toString());
        assertFalse(run.err().contains("retrying"), run.err());
        assertEquals(5, run.err().lines().filter(l -> l.contains("FAILED") && l.contains("cannot resolve the host name no-such-host.invalid")).count(), run.err());
    }

    @Test
    void anUntrustedCertificateIsOneClearLineWithoutRetries() throws Exception {
        server.stubFor(get("/secure.bin").willReturn(aResponse().withBody("x")));
        String https = "https://127.0.0.1:" + server.getRuntimeInfo().getHttpsPort() + "/secure.bin";
        Runs run = fetch(List.of(https));
        assertEquals(1, run.status(), run.toString());
        assertFalse(run.err().contains("retrying") || run.err().contains("PKIX") || run.err().contains("sun.security"), run.err());
        assertTrue(run.err().contains("TLS: the server's certificate is not signed by an authority this JDK trusts"), run.err());
    }

    @Test
    void tlsToAPlainHttpPortIsNamedAsSuch() throws Exception {
        String wrong = "https://127.0.0.1:" + server.getPort() + "/plain.bin";
        Runs run = fetch(List.of(wrong));
        assertEquals(1, run.status(), run.toString());
        assertFalse(run.err().contains("retrying"), run.err());
        assertTrue(run.err().contains("does not answer in TLS (a plain http port? try http://)"), run.err());
    }

    @Test
    void aPartFileLeftAsASecondNameOfThePublishedFileIsRemovedOnTheRerun() throws Exception {
        // A run killed between publishing's link and unlink leaves NAME and NAME.part as one file (ShardsTest saw it).
        Path file = Files.writeString(Files.createDirectories(dir.resolve("out")).resolve("kept.txt"), "complete");
        Files.createLink(dir.resolve("out/kept.txt.part"), file);
        Files.writeString(dir.resolve("out/other.txt"), "complete");
        Files.writeString(dir.resolve("out/other.txt.part"), "another run's"); // not the same file: left alone
        Runs run = fetch(List.of(server.baseUrl() + "/kept.txt", server.baseUrl() + "/other.txt"));
        assertEquals(0, run.status(), run.toString());
        assertEquals(List.of("kept.txt", "other.txt", "other.txt.part"), Runs.files(dir.resolve("out")));
        assertEquals("complete", Files.readString(file));
    }

    @Test
    void theDryRunSaysWhatTheRunDoesWhenAFolderIsInTheWay() throws Exception {
        Files.createDirectories(dir.resolve("out/data.csv"));
        Runs plan = fetch(List.of(server.baseUrl() + "/data.csv"), "--dry-run");
        assertTrue(plan.out().contains("(a folder is in the way: would fail)"), plan.out());
    }

    @Test
    void aFolderNamedLikeTheFileIsInTheWayNotAlreadyThere() throws Exception {
        server.stubFor(get("/data.csv").willReturn(aResponse().withBody("x")));
        Files.createDirectories(dir.resolve("out/data.csv"));
        Runs run = fetch(List.of(server.baseUrl() + "/data.csv"));
        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains("a folder is in the way: " + dir.resolve("out/data.csv")), run.err());
    }

    @Test
    void contradictoryOrEmptyOptionsAreUsageErrors() throws Exception {
        Path list = Runs.list(dir, server.baseUrl() + "/x");
        Runs zero = Runs.of("--max-size", "0", list.toString());
        assertEquals(2, zero.status(), zero.toString());
        assertTrue(zero.err().contains("--max-size must be more than 0 bytes"), zero.err());
        Runs both = Runs.of("--quiet", "--verbose", list.toString());
        assertEquals(2, both.status(), both.toString());
        assertTrue(both.err().contains("are mutually exclusive") && both.err().contains("--quiet") && both.err().contains("--verbose"), both.err());
        Runs proxies = Runs.of("--proxy", "http://p:1", "--no-proxy", list.toString());
        assertEquals(2, proxies.status(), proxies.toString());
        Runs trust = Runs.of("--insecure", "--ca-cert", "x.pem", list.toString());
        assertEquals(2, trust.status(), trust.toString());
        assertTrue(trust.err().contains("are mutually exclusive"), trust.err());
        Path file = Files.writeString(dir.resolve("afile"), "x");
        Runs notAFolder = Runs.of("-o", file.toString(), list.toString());
        assertEquals(2, notAFolder.status(), notAFolder.toString());
        assertTrue(notAFolder.err().contains(file + " is a file, not a folder"), notAFolder.err());
    }

    @Test
    void aCompareReportFolderThatCannotBeMadeIsRefusedBeforeMeasuring() throws Exception {
        Path file = Files.writeString(dir.resolve("afile"), "x");
        long start = System.nanoTime();
        Runs run = Runs.of("--compare", "--demo", "--sweep", "5", "--report", file.resolve("sub").toString());
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains("cannot create the output folder"), run.err());
        assertFalse(run.out().contains("Comparing"), "no child JVM was started: " + run.out());
    }
}
