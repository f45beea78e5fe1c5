package dl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jbang conventions the README promises, run through the real {@code ./jbang} wrapper with a jbang home of
 * the test's own: the catalog's alias, and {@code jbang app install}. The first run fetches jbang through Maven
 * (once per checkout) and builds the script, so these tests take seconds, not milliseconds.
 */
class JbangTest {
    static final Path REPO = Path.of("").toAbsolutePath();
    static final byte[] BODY = "through the alias\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir Path tmp;
    HttpServer server;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/note.txt", exchange -> {
            exchange.sendResponseHeaders(200, BODY.length);
            try (var out = exchange.getResponseBody()) {
                out.write(BODY);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void theCatalogAliasRunsTheScript() throws Exception {
        Path out = tmp.resolve("out");
        Path list = Runs.list(tmp, "http://127.0.0.1:" + server.getAddress().getPort() + "/note.txt");
        var run = run(REPO, Map.of(), REPO.resolve("jbang").toString(), "download", "-q", "-o", out.toString(),
                list.toString());
        assertEquals(0, run.status(), run.toString());
        assertArrayEquals(BODY, Files.readAllBytes(out.resolve("note.txt")));
    }

    @Test
    void appInstallMakesACommand() throws Exception {
        var install = run(REPO, Map.of("PATH", InstallTest.pathWithoutJbang()), REPO.resolve("jbang").toString(), "app",
                "install", "--name", "download", "Download.java");
        assertEquals(0, install.status(), install.toString());
        // Without a jbang on PATH, ./jbang says that the command it made cannot run yet, and what to use instead.
        assertTrue(install.err().contains("./install makes a `download` command that needs no jbang"), install.toString());
        Path command = tmp.resolve("jbang-home/bin/download");
        assertTrue(Files.isExecutable(command), install.toString());

        // The installed command calls `jbang` from PATH: here that is a link to the wrapper.
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path link = Files.createSymbolicLink(bin.resolve("jbang"), REPO.resolve("jbang"));
        Runs version;
        try {
            version = run(tmp, Map.of("PATH", bin + ":" + System.getenv("PATH")), command.toString(), "--version");
        } finally {
            Files.delete(link); // JUnit would warn about a link out of its folder
        }
        assertEquals(0, version.status(), version.toString());
        assertTrue(version.out().startsWith("Download.java "), version.toString());
    }

    Runs run(Path dir, Map<String, String> env, String... command) throws Exception {
        var builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(tmp.resolve("stdout").toFile())
                .redirectError(tmp.resolve("stderr").toFile());
        builder.environment().put("JBANG_DIR", tmp.resolve("jbang-home").toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                throw new AssertionError("./jbang did not end within 5 minutes: " + List.of(command));
            }
        } finally {
            process.destroyForcibly();
        }
        return new Runs(process.exitValue(), Files.readString(tmp.resolve("stdout")),
                Files.readString(tmp.resolve("stderr")));
    }
}
