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
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Names a server chooses (Content-Disposition) never take a name the list planned, nor a file already there. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerNamesTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    @TempDir
    Path dir;

    private Path out() {
        return dir.resolve("out");
    }

    @Test
    void aServerChosenNameNeverTakesANameTheListPlannedAndARerunSkipsThemAll() throws Exception {
        // The list's own setup.exe and setup.1.exe answer late, so that the server-named download is done first:
        // before, it took setup.exe and pushed the list's bytes to setup.1.exe and setup.2.exe.
        server.stubFor(get("/a/setup.exe").willReturn(aResponse().withFixedDelay(700).withBody("the list's a/setup.exe")));
        server.stubFor(get("/b/setup.exe").willReturn(aResponse().withFixedDelay(700).withBody("the list's b/setup.exe")));
        server.stubFor(get("/download/?id=7").willReturn(aResponse()
                .withHeader("Content-Disposition", "attachment; filename=\"setup.exe\"").withBody("the server's setup.exe")));
        Files.createDirectories(out());
        Files.writeString(out().resolve("setup.2.exe"), "a file already there");
        Path list = Runs.list(dir, server.baseUrl() + "/a/setup.exe", server.baseUrl() + "/download/?id=7", server.baseUrl() + "/b/setup.exe");

        Runs first = Runs.of(Runs.fast("-o", out().toString(), list.toString()));

        assertEquals(0, first.status(), first.toString());
        assertEquals(List.of("setup.1.exe", "setup.2.exe", "setup.3.exe", "setup.exe"), Runs.files(out()), first.err());
        assertEquals("the list's a/setup.exe", Files.readString(out().resolve("setup.exe")), "the planned name is the list's");
        assertEquals("the list's b/setup.exe", Files.readString(out().resolve("setup.1.exe")), "so is its numbered form");
        assertEquals("a file already there", Files.readString(out().resolve("setup.2.exe")));
        assertEquals("the server's setup.exe", Files.readString(out().resolve("setup.3.exe")), "the server's name: the next free one");

        // Run again: all three are skipped, no copy is made, and the two with names of their own are not even asked for.
        server.resetRequests();
        Runs again = Runs.of(Runs.fast("-o", out().toString(), list.toString()));
        assertEquals(0, again.status(), again.toString());
        assertTrue(again.err().contains("skipped   setup.exe: already exists"), again.err());
        assertTrue(again.err().contains("skipped   setup.1.exe: already exists"), again.err());
        assertTrue(again.err().contains("skipped   setup.3.exe: already downloaded from this URL"), again.err());
        assertEquals(List.of("setup.1.exe", "setup.2.exe", "setup.3.exe", "setup.exe"), Runs.files(out()));
        server.verify(0, getRequestedFor(urlEqualTo("/a/setup.exe")));
        server.verify(0, getRequestedFor(urlEqualTo("/b/setup.exe")));
    }

    @Test
    void withContentDispositionAServerNameStillLeavesThePlannedNameToItsUrl() throws Exception {
        // --content-disposition: the server names even a URL that has a name of its own (download?id=8 would be "download").
        server.stubFor(get("/c/report.pdf").willReturn(aResponse().withFixedDelay(700).withBody("the list's report.pdf")));
        server.stubFor(get("/download?id=8").willReturn(aResponse()
                .withHeader("Content-Disposition", "attachment; filename=\"report.pdf\"").withBody("the server's report.pdf")));
        Path list = Runs.list(dir, server.baseUrl() + "/download?id=8", server.baseUrl() + "/c/report.pdf");

        Runs first = Runs.of(Runs.fast("--content-disposition", "-o", out().toString(), list.toString()));

        assertEquals(0, first.status(), first.toString());
        assertEquals(List.of("report.1.pdf", "report.pdf"), Runs.files(out()), first.err());
        assertEquals("the list's report.pdf", Files.readString(out().resolve("report.pdf")));
        assertEquals("the server's report.pdf", Files.readString(out().resolve("report.1.pdf")));

        Runs again = Runs.of(Runs.fast("--content-disposition", "-o", out().toString(), list.toString()));
        assertEquals(0, again.status(), again.toString());
        assertEquals(2, again.err().lines().filter(l -> l.contains("] skipped   ")).count(), again.err());
        assertEquals(List.of("report.1.pdf", "report.pdf"), Runs.files(out()));
    }
}
