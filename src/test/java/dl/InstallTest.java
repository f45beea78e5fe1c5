package dl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's install: {@code ./install} into a prefix of the test's own, run from a folder outside the repository
 * with a PATH that has no jbang; then the installed {@code download} from elsewhere against a server on 127.0.0.1,
 * an upgrade over it, a JDK that moved, and the uninstall. Each install builds with Maven and trains the AOT cache,
 * so the first test takes a minute or two.
 */
class InstallTest {
    static final Path REPO = Path.of("").toAbsolutePath();
    static final byte[] BODY = "through the installed command\n".getBytes(StandardCharsets.US_ASCII);

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
    void installsACommandThatNeedsNeitherJbangNorTheRepositoryThenUpgradesAndUninstalls() throws Exception {
        Path prefix = tmp.resolve("prefix");
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Map<String, String> noJbang = Map.of("PATH", pathWithoutJbang());

        var install = run(elsewhere, with(noJbang, "PREFIX", prefix.toString()), REPO.resolve("install").toString());
        assertEquals(0, install.status(), install.toString());
        Path command = prefix.resolve("bin/download");
        Path share = prefix.resolve("share/download-java");
        assertTrue(Files.isExecutable(command), install.toString());
        List<String> versions = Runs.files(share);
        assertEquals(1, versions.size(), versions.toString());
        Path home = share.resolve(versions.get(0));
        assertTrue(Files.size(home.resolve("download.aot")) > 0, install.toString());
        String launcher = Files.readString(command);
        assertFalse(launcher.contains(REPO.toString()), "the command must not need the repository:\n" + launcher);
        assertTrue(launcher.lines().filter(line -> !line.startsWith("#")).noneMatch(line -> line.contains("jbang")), launcher);

        // A download, from a folder outside the repository, with no jbang anywhere on PATH.
        Path out = tmp.resolve("out");
        Path list = Runs.list(elsewhere, "http://127.0.0.1:" + server.getAddress().getPort() + "/note.txt");
        var download = run(elsewhere, noJbang, command.toString(), "-q", "-o", out.toString(), list.toString());
        assertEquals(0, download.status(), download.toString());
        assertArrayEquals(BODY, Files.readAllBytes(out.resolve("note.txt")));

        var version = run(elsewhere, noJbang, command.toString(), "--version");
        assertEquals(0, version.status(), version.toString());
        assertTrue(version.out().startsWith("Download.java "), version.toString());
        assertEquals("", version.err(), "nothing but the tool's own output");

        // The AOT cache is used: the tool's classes come from it, not from the jar.
        var loads = run(elsewhere, with(noJbang, "JAVA_TOOL_OPTIONS", "-Xlog:class+load=info"), command.toString(),
                "--version");
        assertEquals(0, loads.status(), loads.toString());
        assertTrue(loads.out().contains(" dl.Cli source: shared objects file"), loads.out());

        // An upgrade over it (--prefix this time): the command still works, one installation is left, and the one
        // before waits aside for the next install, without its cache.
        var again = run(elsewhere, noJbang, REPO.resolve("install").toString(), "--prefix", prefix.toString());
        assertEquals(0, again.status(), again.toString());
        try (Stream<Path> all = Files.list(share)) {
            var names = all.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(2, names.size(), names.toString());
            assertTrue(names.get(0).startsWith(".previous-" + versions.get(0) + "-"), names.toString());
            assertEquals(versions.get(0), names.get(1));
            assertFalse(Files.exists(share.resolve(names.get(0)).resolve("download.aot")), names.toString());
        }
        version = run(elsewhere, noJbang, command.toString(), "--version");
        assertEquals(0, version.status(), version.toString());
        assertEquals("", version.err());

        // The JDK found at install time has moved: the command looks for one again, as ./jbang does.
        String moved = Files.readString(command).replaceFirst("(?m)^jdk='[^']*'$", "jdk='" + tmp.resolve("gone") + "'");
        assertNotEquals(Files.readString(command), moved);
        Files.writeString(command, moved);
        version = run(elsewhere, noJbang, command.toString(), "--version");
        assertEquals(0, version.status(), version.toString());
        assertTrue(version.out().startsWith("Download.java "), version.toString());

        var uninstall = run(elsewhere, noJbang, REPO.resolve("install").toString(), "--uninstall", "--prefix",
                prefix.toString());
        assertEquals(0, uninstall.status(), uninstall.toString());
        assertFalse(Files.exists(command));
        assertFalse(Files.exists(share));
    }

    @Test
    void leavesADownloadCommandItDidNotWriteAlone() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("prefix/bin"));
        Path other = Files.writeString(bin.resolve("download"), "#!/bin/sh\necho another tool\n");
        var install = run(tmp, Map.of(), REPO.resolve("install").toString(), "--prefix", tmp.resolve("prefix").toString());
        assertEquals(1, install.status(), install.toString());
        assertTrue(install.err().contains("not written by ./install"), install.toString());
        var uninstall = run(tmp, Map.of(), REPO.resolve("install").toString(), "--uninstall", "--bindir", bin.toString());
        assertEquals(1, uninstall.status(), uninstall.toString());
        assertEquals("#!/bin/sh\necho another tool\n", Files.readString(other));
    }

    /** This PATH without the folders that hold a jbang, so that nothing can fall back on one. */
    static String pathWithoutJbang() {
        return Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty() && !Files.exists(Path.of(dir, "jbang")))
                .collect(Collectors.joining(File.pathSeparator));
    }

    static Map<String, String> with(Map<String, String> env, String name, String value) {
        var all = new HashMap<>(env);
        all.put(name, value);
        return all;
    }

    Runs run(Path dir, Map<String, String> env, String... command) throws Exception {
        var builder = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile())
                .redirectOutput(tmp.resolve("stdout").toFile())
                .redirectError(tmp.resolve("stderr").toFile());
        builder.environment().remove("PREFIX");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                throw new AssertionError("did not end within 10 minutes: " + List.of(command));
            }
        } finally {
            process.destroyForcibly();
        }
        return new Runs(process.exitValue(), Files.readString(tmp.resolve("stdout")),
                Files.readString(tmp.resolve("stderr")));
    }
}
