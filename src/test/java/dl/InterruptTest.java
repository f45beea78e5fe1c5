package dl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cancelling a run keeps what was fetched; the next run with the same list finishes only the rest. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterruptTest {

    private static final byte[] BIG = DemoServer.content(3, 3 << 20);

    @TempDir
    Path dir;

    private static void awaitSize(Path file, long size) throws InterruptedException {
        while (PartFile.size(file) < size) {
            Thread.sleep(10);
        }
    }

    /** Resuming across runs keeps the validator in an extended attribute; some file systems (tmpfs of old kernels) lack them. */
    private void assumeExtendedAttributes() throws Exception {
        Path probe = Files.writeString(dir.resolve("xattr-probe"), "x");
        var view = Files.getFileAttributeView(probe, java.nio.file.attribute.UserDefinedFileAttributeView.class);
        boolean supported;
        try {
            view.write("probe", java.nio.ByteBuffer.wrap(new byte[] {1}));
            supported = true;
        } catch (UnsupportedOperationException | java.io.IOException e) {
            supported = false;
        }
        Files.delete(probe);
        org.junit.jupiter.api.Assumptions.assumeTrue(supported, "the file system of " + dir + " has no extended attributes: resuming across runs cannot be tested here");
    }

    @Test
    void anInterruptedRunKeepsItsPartFileAndTheNextRunResumesByteExact() throws Exception {
        assumeExtendedAttributes();
        try (HoldingServer server = new HoldingServer(BIG, 1 << 20, Duration.ofSeconds(30))) {
            Path out = dir.resolve("out");
            Path list = Runs.list(dir, server.url("/big.bin"));
            AtomicReference<Runs> first = new AtomicReference<>();
            // This thread plays the main thread: Ctrl-C interrupts it, and it owns the scope.
            Thread owner = Thread.ofPlatform().start(() -> first.set(Runs.of("--verbose", "-o", out.toString(), list.toString())));
            awaitSize(out.resolve("big.bin.part"), 1 << 20);
            owner.interrupt();
            owner.join();

            Runs interrupted = first.get();
            assertEquals(130, interrupted.status(), interrupted.toString());
            assertTrue(interrupted.err().contains("interrupted; 1048576 bytes kept in big.bin.part for the next run"), interrupted.err());
            assertTrue(interrupted.err().contains("Interrupted: 0 done, 0 skipped, 1 left"), interrupted.err());
            // What arrived before Ctrl-C counts, though no file was finished (the summary said 0 B).
            assertTrue(interrupted.err().contains("): 1.0 MiB in "), interrupted.err());
            assertEquals(List.of("big.bin.part"), Runs.files(out));

            Runs resumed = Runs.of("-o", out.toString(), list.toString());
            assertEquals(0, resumed.status(), resumed.toString());
            assertEquals(List.of("null", "bytes=1048576-"), server.ranges);
            // Resuming is said, and the kept megabyte is not received again (it was counted, and silent).
            assertTrue(resumed.err().contains("started   big.bin (3.0 MiB; resuming at 1.0 MiB)"), resumed.err());
            assertTrue(resumed.err().contains("): 2.0 MiB in "), resumed.err());
            assertArrayEquals(BIG, Files.readAllBytes(out.resolve("big.bin")));
            assertEquals(List.of("big.bin"), Runs.files(out));
        }
    }

    @Test
    void aRerunAgainstAServerThatIgnoresRangesSaysItStartsAgain() throws Exception {
        assumeExtendedAttributes();
        try (HoldingServer server = new HoldingServer(BIG, 1 << 20, Duration.ofSeconds(30))) {
            Path out = dir.resolve("out");
            Path list = Runs.list(dir, server.url("/big.bin"));
            Thread owner = Thread.ofPlatform().start(() -> Runs.of("-o", out.toString(), list.toString()));
            awaitSize(out.resolve("big.bin.part"), 1 << 20);
            owner.interrupt();
            owner.join();
            server.ignoreRanges = true;
            Runs again = Runs.of("-o", out.toString(), list.toString());
            assertEquals(0, again.status(), again.toString());
            assertTrue(again.err().contains("started   big.bin (3.0 MiB; the server would not continue the part file: starting again from zero)"),
                    again.err());
            assertArrayEquals(BIG, Files.readAllBytes(out.resolve("big.bin")));
        }
    }

    /** An interrupt does not wake a platform thread blocked on a socket; the run must stop all the same. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Threads.class)
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void anInterruptStopsDownloadsWaitingForAnAnswerInBothThreadModes(Threads mode) throws Exception {
        AtomicReference<Runs> run = new AtomicReference<>();
        // 300 downloads answered after 60 s, 40 per host: most wait for their answer, the rest for a connection.
        Thread owner = Thread.ofPlatform().start(() -> run.set(Runs.of("--demo", "--demo-files", "300", "--demo-delay", "60",
                "--per-host", "40", "--threads", mode.name(), "-o", dir.resolve("out").toString())));
        Thread.sleep(1500);
        owner.interrupt();
        owner.join();
        assertEquals(130, run.get().status(), run.get().toString());
        assertTrue(run.get().err().contains("Interrupted: 0 done, 0 skipped, 300 left"), run.get().err());
    }

    /** A view that plays Ctrl-C: it interrupts the main thread once every download has ended. */
    private static final class CtrlCAtTheEnd implements View {
        @Override
        public void show(Event event, Tally tally) {
            if (tally.ended() == tally.total()) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void finish(Tally tally, Summary summary) {}
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Threads.class)
    void ctrlCAfterEveryDownloadEndedStillEndsAsInterruptedNotAsAnError(Threads mode) throws Exception {
        try (DemoServer server = DemoServer.start(100, Duration.ZERO)) {
            List<Job> jobs = Plan.names(server.urls(5).stream().map(u -> new UrlList.Entry(0, u, null, null, List.of())).toList());
            Tally tally = Download.download(jobs, TestSettings.in(dir, mode), new CtrlCAtTheEnd());
            assertTrue(tally.interrupted());
            assertEquals(5, tally.completed());
            assertEquals(130, ExitStatus.of(tally, false));
        }
    }

    @Test
    void ctrlCWhilePlanningForksNothingAndEndsAsInterrupted() throws Exception {
        try (DemoServer server = DemoServer.start(100, Duration.ZERO)) {
            List<Job> jobs = Plan.names(server.urls(5).stream().map(u -> new UrlList.Entry(0, u, null, null, List.of())).toList());
            Thread.currentThread().interrupt();
            Tally tally = Download.download(jobs, TestSettings.in(dir, Threads.VIRTUAL), new CtrlCAtTheEnd());
            assertFalse(Thread.currentThread().isInterrupted(), "the interrupt is consumed");
            assertTrue(tally.interrupted());
            assertEquals(0, tally.forked());
        }
    }

    /** timeout(1) and a closing terminal signal the process and its group: two SIGTERMs within a millisecond. */
    @Test
    void aBurstOfSignalsCountsAsOneAndStillEndsWithASummary() throws Exception {
        String log = stopARealProcess(2);
        assertTrue(log.contains("Interrupted: 0 done"), log);
    }

    private Process start(Path out, Path list, String... args) throws java.io.IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "--enable-preview", "-cp", System.getProperty("java.class.path"), "dl.Download"));
        command.addAll(List.of(args));
        command.addAll(List.of("-o", out.toString(), list.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
    }

    private static void signal(Process process, String signal) throws Exception {
        if (signal.equals("TERM")) {
            process.destroy();
        } else {
            kill(process, signal);
        }
    }

    /** Only the signal: Process.destroy also closes the pipe to the process's standard input. */
    private static void kill(Process process, String signal) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid())).inheritIO().start().waitFor());
    }

    /** Issue #22, 8: a closed terminal (SIGHUP) ended the run at once with 129, no summary, no manifest summary line. */
    @Test
    void sighupStopsARealProcessAsCtrlCDoesWithItsSummaries() throws Exception {
        Path manifest = dir.resolve("m.ndjson");
        String log = stopARealProcess(1, "HUP", "--manifest", manifest.toString());
        assertTrue(log.contains("Interrupted: 0 done, 0 skipped, 1 left"), log);
        List<String> lines = Files.readAllLines(manifest);
        assertTrue(lines.getLast().startsWith("{\"type\":\"summary\""), lines.toString());
        assertEquals(List.of("signal.bin.part"), Runs.files(dir.resolve("out")));
    }

    /** Issue #22, 8: SIGTERM waited for the writer of the list to close the pipe (13 s in the report). */
    @Test
    void sigtermStopsARunStillReadingItsListFromAPipe() throws Exception {
        String jvm = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(jvm, "--enable-preview", "-cp", System.getProperty("java.class.path"),
                "dl.Download", "-o", dir.resolve("out").toString(), "-")
                .redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        try (var writer = process.getOutputStream()) {
            writer.write("http://127.0.0.1:9/first.bin\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            writer.flush(); // and the pipe stays open: the list is still coming
            awaitReadingStandardInput(process);
            long signalled = System.nanoTime();
            kill(process, "TERM");
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the process ends after SIGTERM while it reads the list");
            long millis = (System.nanoTime() - signalled) / 1_000_000;
            String log = Files.readString(dir.resolve("log.txt"));
            assertEquals(130, process.exitValue(), log);
            assertTrue(millis < 5000, "stopped after " + millis + " ms");
            assertEquals(List.of("Download.java: interrupted while reading the list from standard input; nothing was downloaded"),
                    log.lines().toList());
        } finally {
            process.destroyForcibly();
        }
    }

    /** Until one of the process's threads waits in read(2) on its standard input (x86-64 and arm64 numbers). */
    private static void awaitReadingStandardInput(Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
        while (System.nanoTime() < deadline) {
            try (var all = Files.list(tasks)) {
                boolean reading = all.anyMatch(task -> {
                    try {
                        String call = Files.readString(task.resolve("syscall"));
                        return call.startsWith("0 0x0 ") || call.startsWith("63 0x0 ");
                    } catch (java.io.IOException gone) {
                        return false;
                    }
                });
                if (reading) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the process never read its standard input");
    }

    @Test
    void sigtermStopsARealProcessWhichKeepsItsPartFile() throws Exception {
        String log = stopARealProcess(1);
        assertTrue(log.contains("Interrupted: 0 done"), log);
        assertTrue(!log.contains("Exception"), log);
        assertEquals(List.of("signal.bin.part"), Runs.files(dir.resolve("out")));
    }

    /** Runs Download.java in its own JVM, sends it {@code signals} SIGTERMs at once mid-download; returns its output. */
    private String stopARealProcess(int signals) throws Exception {
        return stopARealProcess(signals, "TERM");
    }

    private String stopARealProcess(int signals, String signal, String... args) throws Exception {
        try (HoldingServer server = new HoldingServer(BIG, 10_000, Duration.ofSeconds(30))) {
            Path out = dir.resolve("out");
            Process process = start(out, Runs.list(dir, server.url("/signal.bin")), args);
            try {
                awaitSize(out.resolve("signal.bin.part"), 10_000);
                for (int i = 0; i < signals; i++) {
                    signal(process, signal);
                }
                assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the process ends after SIGTERM");
                String log = Files.readString(dir.resolve("log.txt"));
                assertEquals(130, process.exitValue(), log);
                return log;
            } finally {
                process.destroyForcibly();
            }
        }
    }

    /**
     * Issue: SIGTERM did not stop a run of a million URLs within 5 s while it was still forking, because every URL
     * had its thread and the scope waited for all of them. Now at most Download.WINDOW are forked at once.
     */
    @Test
    void sigtermWhileALongListIsForkedStopsWithAtMostTheWindowForked() throws Exception {
        try (var server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
            List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        held.add(server.accept()); // and never answer: every download waits
                        asked.countDown();
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            List<String> urls = new java.util.ArrayList<>();
            for (int i = 0; i < 100_000; i++) {
                urls.add("http://127.0.0.1:" + server.getLocalPort() + "/f" + i + ".bin");
            }
            Path list = dir.resolve("long.txt");
            Files.write(list, urls);
            Process process = start(dir.resolve("out"), list);
            try {
                assertTrue(asked.await(60, TimeUnit.SECONDS), "the run asked the server");
                Thread.sleep(2000); // forking goes on: before the window, tens of thousands were forked by now
                process.destroy();
                assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the process ends after SIGTERM while it forks");
                String log = Files.readString(dir.resolve("log.txt"));
                assertEquals(130, process.exitValue(), log);
                assertTrue(log.contains("Interrupted: 0 done, 0 skipped, 100000 left"), log);
                var forked = java.util.regex.Pattern.compile("\\((\\d+) forked").matcher(log);
                assertTrue(forked.find(), log);
                assertTrue(Integer.parseInt(forked.group(1)) <= Download.WINDOW, log);
            } finally {
                process.destroyForcibly();
                held.forEach(socket -> { try { socket.close(); } catch (java.io.IOException ignored) { } });
            }
        }
    }
}
