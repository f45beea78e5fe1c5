package dl;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
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

/** The configuration file (issue #21, item 4): defaults for long options, the command line winning. */
class ConfigTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    @TempDir
    Path dir;

    /** A user's XDG_CONFIG_HOME holding this download/config; the environment to run with. */
    private Map<String, String> xdg(String... lines) throws Exception {
        Path config = dir.resolve("xdg").resolve("download");
        Files.createDirectories(config);
        Files.write(config.resolve("config"), List.of(lines));
        return Map.of("XDG_CONFIG_HOME", dir.resolve("xdg").toString(), "HOME", dir.resolve("nohome").toString());
    }

    private Path configFile() {
        return dir.resolve("xdg").resolve("download").resolve("config");
    }

    private Path out() throws Exception {
        return Files.createDirectories(dir.resolve("out"));
    }

    private String url(String name) {
        server.stubFor(get(urlMatching("/f/.*")).willReturn(aResponse().withBody("ok")));
        return server.baseUrl() + "/f/" + name;
    }

    @Test
    void theUsersFileGivesDefaultsToEveryRun() throws Exception {
        Map<String, String> env = xdg("# my defaults", "", "header = X-From: config", "  user-agent = mine/1.0  ", "retries=2");
        Runs run = Runs.withEnvironment(env, "", "-o", out().toString(), url("a.bin"));
        assertEquals(0, run.status(), run.toString());
        server.verify(getRequestedFor(urlEqualTo("/f/a.bin")).withHeader("X-From", equalTo("config")).withHeader("User-Agent", equalTo("mine/1.0")));
    }

    @Test
    void withoutXdgConfigHomeTheFileIsUnderHome() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".config/download"));
        Files.writeString(home.resolve(".config/download/config"), "header = X-From: home\n");
        Runs run = Runs.withEnvironment(Map.of("HOME", home.toString()), "", "-o", out().toString(), url("a.bin"));
        assertEquals(0, run.status(), run.toString());
        server.verify(getRequestedFor(urlEqualTo("/f/a.bin")).withHeader("X-From", equalTo("home")));
    }

    @Test
    void noTestReadsTheRealUsersFile() throws Exception {
        // Runs.of passes an empty environment: no XDG_CONFIG_HOME, no HOME, so no file at all.
        Runs run = Runs.of("-v", "-o", out().toString(), url("a.bin"));
        assertEquals(0, run.status(), run.toString());
        assertFalse(run.err().contains("Config:"), run.err());
    }

    @Test
    void typedOptionsWin() throws Exception {
        Map<String, String> env = xdg("user-agent = from-config", "header = X-From: config", "quiet");
        Runs run = Runs.withEnvironment(env, "", "-A", "typed/2", "-H", "X-Other: typed", "--json", "-o", out().toString(), url("a.bin"));
        assertEquals(0, run.status(), run.toString());
        server.verify(getRequestedFor(urlEqualTo("/f/a.bin")).withHeader("User-Agent", equalTo("typed/2"))
                .withHeader("X-Other", equalTo("typed")).withHeader("X-From", absent()));
        // quiet from the file and --json typed are one exclusive group: the typed one wins, no "mutually exclusive".
        assertTrue(run.out().lines().allMatch(line -> line.startsWith("{")), run.out());
    }

    @Test
    void aTypedOptionWinsOverTheFilesOtherNameForTheSameThing() throws Exception {
        // --tries and --retries set one thing: the file's tries = 4 must not undo a typed --retries 0.
        server.stubFor(get(urlEqualTo("/busy.bin")).willReturn(aResponse().withStatus(503)));
        Map<String, String> env = xdg("tries = 4");
        Runs run = Runs.withEnvironment(env, "", Runs.fast("--retries", "0", "-o", out().toString(), server.baseUrl() + "/busy.bin"));
        assertEquals(1, run.status(), run.toString());
        server.verify(1, getRequestedFor(urlEqualTo("/busy.bin")));
    }

    @Test
    void aFlagIsItsNameOrTrue() throws Exception {
        Path out = out();
        Files.writeString(out.resolve("a.bin"), "old");
        Files.writeString(out.resolve("b.bin"), "old");
        Runs run = Runs.withEnvironment(xdg("overwrite"), "", "-o", out.toString(), url("a.bin"));
        assertEquals(0, run.status(), run.toString());
        assertEquals("ok", Files.readString(out.resolve("a.bin")));
        run = Runs.withEnvironment(xdg("overwrite = true"), "", "-o", out.toString(), url("b.bin"));
        assertEquals(0, run.status(), run.toString());
        assertEquals("ok", Files.readString(out.resolve("b.bin")));
        Files.writeString(out.resolve("b.bin"), "old");
        run = Runs.withEnvironment(xdg("overwrite = false"), "", "-o", out.toString(), url("b.bin"));
        assertEquals(0, run.status(), run.toString());
        assertEquals("old", Files.readString(out.resolve("b.bin")), "false is off");
    }

    @Test
    void configNamesAnotherFileAndNoConfigNone() throws Exception {
        Map<String, String> env = xdg("header = X-From: user");
        Path other = Files.writeString(dir.resolve("other.conf"), "header = X-From: other\n");
        assertEquals(0, Runs.withEnvironment(env, "", "--config", other.toString(), "-o", out().toString(), url("a.bin")).status());
        server.verify(getRequestedFor(urlEqualTo("/f/a.bin")).withHeader("X-From", equalTo("other")));
        assertEquals(0, Runs.withEnvironment(env, "", "--no-config", "-o", out().toString(), url("b.bin")).status());
        server.verify(getRequestedFor(urlEqualTo("/f/b.bin")).withHeader("X-From", absent()));
        Runs missing = Runs.withEnvironment(env, "", "--config", dir.resolve("nope.conf").toString(), url("c.bin"));
        assertEquals(2, missing.status(), missing.toString());
        assertTrue(missing.err().contains("--config " + dir.resolve("nope.conf") + ": no such file"), missing.err());
        server.verify(0, getRequestedFor(urlEqualTo("/f/c.bin")));
    }

    @Test
    void verboseNamesTheFileRead() throws Exception {
        Runs run = Runs.withEnvironment(xdg("retries = 1"), "", "-v", "-o", out().toString(), url("a.bin"));
        assertEquals(0, run.status(), run.toString());
        assertTrue(run.err().contains("Config: " + configFile()), run.err());
    }

    @Test
    void aBadLineIsOneErrorNamingTheFileAndLine() throws Exception {
        String file = configFile().toString();
        assertBad(xdg("# ok", "retires = 3"), file + ":2: unknown option 'retires'");
        assertBad(xdg("", "", "retries = many"), file + ":3: Invalid value for option '--retries': 'many' is not an int");
        assertBad(xdg("max-connections = 0"), file + ":1: --max-connections and --per-host must be at least 1");
        assertBad(xdg("tries = 0"), file + ":1: --tries 0: give 1 or more tries");
        assertBad(xdg("retries"), file + ":1: 'retries' needs a value: retries = VALUE");
        assertBad(xdg("overwrite = sometimes"), file + ":1: 'overwrite' is a flag");
        assertBad(xdg("quiet", "verbose"), file + ":2: 'verbose' and 'quiet' (line 1) cannot both be set");
        assertBad(xdg("-q"), file + ":1: not 'option = value'");
        assertBad(xdg("config = x"), file + ":1: 'config' is no default of a download");
        assertBad(xdg("measure-held"), file + ":1: unknown option 'measure-held'");
    }

    private void assertBad(Map<String, String> env, String expected) throws Exception {
        Runs run = Runs.withEnvironment(env, "", "-o", out().toString(), url("never.bin"));
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().startsWith("Download.java: " + expected), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
        server.verify(0, getRequestedFor(urlEqualTo("/f/never.bin")));
    }

    @Test
    void aTypedOptionsBadValueIsNotBlamedOnTheFile() throws Exception {
        Runs run = Runs.withEnvironment(xdg("retries = 2"), "", "--retries", "many", url("never.bin"));
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().startsWith("Download.java: Invalid value for option '--retries'"), run.err());
    }

    @Test
    void aDeviceIsRefusedAtOnce() {
        Runs run = Runs.withEnvironment(Map.of(), "", "--config", "/dev/zero", "http://127.0.0.1:9/x");
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains("/dev/zero is not a regular file"), run.err());
    }

    @Test
    void compareChildrenSeeTheSameConfiguration() throws Exception {
        // The children run in JVMs of their own, with this process's environment, not the test's: the file's settings
        // go to them as typed options, with --no-config.
        try (var received = new HoldingServer(new byte[10], 10, Duration.ZERO)) {
            Path list = Runs.list(dir, received.url("/a.bin"));
            Runs run = Runs.withEnvironment(xdg("header = X-Config: forwarded"), "", "--compare", list.toString());
            assertEquals(0, run.status(), run.toString());
            assertEquals(List.of("forwarded", "forwarded"), received.headers("X-Config"), "both children sent the file's header");
        }
    }
}
