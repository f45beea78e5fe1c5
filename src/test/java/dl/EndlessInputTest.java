package dl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #22, 7: devices and endless files given where a file is read (the list, --netrc-file, --ca-cert) end
 * at once with a one-line usage error, not with an exhausted heap (exit 70) or never. Each run has a JVM of
 * its own with a 64 MiB heap, so that a failure stays in it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EndlessInputTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static void assertOneLineUsageError(Runs run, String... words) {
        assertEquals(2, run.status(), run.toString());
        List<String> lines = run.err().lines().toList();
        assertEquals(1, lines.size(), run.toString());
        for (String word : words) {
            assertTrue(lines.getFirst().contains(word), "'" + word + "' in: " + run);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dev/zero", "/dev/urandom"})
    void aDeviceAsTheListIsNotATextFile(String device) throws Exception {
        Runs run = Runs.inItsOwnJvm(LIMIT, "--dry-run", "-o", dir.toString(), device);
        assertOneLineUsageError(run, "Download.java: " + device + " is not a text file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dev/zero", "/dev/urandom"})
    void aDeviceAsTheNetrcFileIsRefused(String device) throws Exception {
        Path list = Runs.list(dir, "http://127.0.0.1:9/a.bin");
        Runs run = Runs.inItsOwnJvm(LIMIT, "--dry-run", "--netrc-file", device, "-o", dir.toString(), list.toString());
        assertOneLineUsageError(run, device, "--netrc", "1 MiB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dev/zero", "/dev/urandom"})
    void aDeviceAsTheCaCertIsRefused(String device) throws Exception {
        Path list = Runs.list(dir, "http://127.0.0.1:9/a.bin");
        Runs run = Runs.inItsOwnJvm(LIMIT, "--dry-run", "--ca-cert", device, "-o", dir.toString(), list.toString());
        assertOneLineUsageError(run, "--ca-cert " + device, "4 MiB");
    }

    /** Below the bounds, garbage is still told apart from a certificate file or a .netrc, in one line. */
    @Test
    void garbageFilesBelowTheBoundsAreOneLineErrorsToo() throws Exception {
        byte[] garbage = new byte[3 << 20];
        new java.util.Random(7).nextBytes(garbage);
        Path random = Files.write(dir.resolve("random.pem"), garbage);
        Path zeros = Files.write(dir.resolve("zeros.pem"), new byte[1 << 20]);
        Path list = Runs.list(dir, "http://127.0.0.1:9/a.bin");
        for (Path pem : List.of(random, zeros)) {
            assertOneLineUsageError(Runs.of("--dry-run", "--ca-cert", pem.toString(), "-o", dir.toString(), list.toString()),
                    "--ca-cert " + pem + ": not a PEM certificate file");
        }
        Path netrc = Files.write(dir.resolve("netrc"), new byte[] {'m', (byte) 0xff, (byte) 0xfe, '\n'});
        assertOneLineUsageError(Runs.of("--dry-run", "--netrc-file", netrc.toString(), "-o", dir.toString(), list.toString()),
                "cannot read " + netrc + " for --netrc", "not a text file");
    }

    /** A list may be huge and its lines long; only NUL bytes before any URL make it "not a text file". */
    @Test
    void aLongLineOfTextIsSkippedWhateverItsLengthAndTheListGoesOn() throws Exception {
        Path list = dir.resolve("long.txt");
        try (var out = Files.newBufferedWriter(list)) {
            out.write("http://127.0.0.1:9/first.bin\n");
            out.write("http://127.0.0.1:9/" + "x".repeat(3 << 20) + "\n");
            out.write("http://127.0.0.1:9/after.bin\n");
        }
        Runs run = Runs.inItsOwnJvm(LIMIT, "--dry-run", "-o", dir.toString(), list.toString());
        assertEquals(1, run.status(), run.toString());
        assertEquals(List.of(list + ":2: line is " + (19 + (3 << 20)) + " characters long, more than 8192; skipped"), run.reports());
        assertTrue(run.out().contains("first.bin") && run.out().contains("after.bin"), run.out());
    }

    /** A manifest that is no manifest at all (one endless line) is read without holding the line. */
    @Test
    void aManifestWithAHugeLineIsReadWithoutHoldingIt() throws Exception {
        Path manifest = dir.resolve("m.ndjson");
        try (var out = Files.newBufferedWriter(manifest)) {
            out.write("{\"type\":\"url\",\"url\":\"http://127.0.0.1:9/" + "x".repeat(100 << 20) + "\"}\n");
        }
        Path list = Runs.list(dir, "http://127.0.0.1:9/a.bin");
        Runs run = Runs.inItsOwnJvm(LIMIT, "--dry-run", "--manifest", manifest.toString(), "-o", dir.toString(), list.toString());
        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().contains("a.bin"), run.out());
    }
}
