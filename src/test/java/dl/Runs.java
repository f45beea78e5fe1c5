package dl;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Runs the real command line in this JVM and keeps what it printed. */
record Runs(int status, String out, String err) {

    static Runs of(String... args) {
        return withInput("", args);
    }

    static Runs withInput(String stdin, String... args) {
        return withEnvironment(java.util.Map.of(), stdin, args);
    }

    /**
     * With this process environment: {@code XDG_CONFIG_HOME} and {@code HOME} say where the configuration file is.
     * The other runs get an empty one, so that no test reads the real user's configuration.
     */
    static Runs withEnvironment(java.util.Map<String, String> env, String stdin, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = Cli.run(Download::download, args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Runs(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Runs the command line in a JVM of its own with a small heap, for input that could exhaust or block one.
     * After {@code limit} it is killed, and the status is -1.
     */
    static Runs inItsOwnJvm(java.time.Duration limit, String... args) throws IOException, InterruptedException {
        return inItsOwnJvm(limit, List.of(), List.of(), args);
    }

    /**
     * The same, the JVM started after {@code before} (a command that starts it, like {@code prlimit --nofile=N --})
     * and given {@code jvmOptions} too ({@code -Ddl.window=N}).
     */
    static Runs inItsOwnJvm(java.time.Duration limit, List<String> before, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        String jvm = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(before);
        command.addAll(List.of(jvm, "--enable-preview", "-Xmx64m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dl.Download"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("runs-out-", ".txt");
        Path err = Files.createTempFile("runs-err-", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            // Not the real user's configuration file: a folder that has none.
            builder.environment().put("XDG_CONFIG_HOME", out.getParent().resolve("runs-no-config").toString());
            Process process = builder.start();
            boolean ended = process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor();
            }
            return new Runs(ended ? process.exitValue() : -1, Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** What the view says of a run on standard error: its [n/m] lines, the summary, the failure list, the plan's count. */
    private static final java.util.regex.Pattern VIEW = java.util.regex.Pattern.compile(
            "\\[ *\\d+/\\d+] .*|Downloaded \\d+ of .*|Threads: .*|Memory: .*|Interrupted: .*|Failed:|  \\S.* -> .*"
                    + "|\\d+ lines? of the list could not be used.*|Dry run: .*|TLS engine: .*|Demo: .*");

    /** Standard error without the view's lines: the reports about the command, its list and its files. */
    List<String> reports() {
        return reports(err);
    }

    static List<String> reports(String err) {
        return err.lines().filter(line -> !VIEW.matcher(line).matches()).toList();
    }

    /** Arguments that keep retries fast in tests. */
    static String[] fast(String... args) {
        List<String> all = new ArrayList<>(List.of("--retry-delay", "0.01", "--max-retry-wait", "0.5"));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    static Path list(Path dir, String... lines) throws IOException {
        Path list = dir.resolve("urls.txt");
        Files.write(list, List.of(lines));
        return list;
    }

    /** Names in a folder, sorted. */
    static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Override
    public String toString() {
        return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
