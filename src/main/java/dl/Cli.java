package dl;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * From the command line to an exit status: reads the options and the list, plans the jobs, hands them to
 * {@link Download#download}, and prints what happened. Usage and input errors are one line with a hint.
 */
public final class Cli {

    public static final int OK = 0;
    public static final int SOME_FAILED = 1;
    public static final int USAGE = 2;
    public static final int CHECKSUM = 3;
    public static final int INTERRUPTED = 130;

    /** A problem with the command or its input, found before any download: exit status 2. */
    static final class UsageError extends Exception {
        UsageError(String message) {
            super(message, null, false, false);
        }
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.in, out, err);
    }

    public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        Options options = new Options();
        CommandLine command = new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true).setOverwrittenOptionsAllowed(true);
        try {
            command.parseArgs(args);
            if (command.isUsageHelpRequested()) {
                command.usage(out);
                return OK;
            }
            if (command.isVersionHelpRequested()) {
                command.printVersionHelp(out);
                return OK;
            }
            return options.demo ? demo(options, out, err) : list(options, stdin, out, err);
        } catch (CommandLine.ParameterException e) {
            err.println("Download.java: " + e.getMessage());
            err.println("Try --help for the options and examples.");
            return USAGE;
        } catch (UsageError e) {
            err.println("Download.java: " + e.getMessage());
            return USAGE;
        }
    }

    private static int list(Options options, InputStream stdin, PrintStream out, PrintStream err) throws UsageError {
        if (options.list == null) {
            throw new UsageError("give a file with one URL per line (or - for standard input), or --demo to try it offline. Try --help.");
        }
        UrlList.Parsed parsed = read(options.list, stdin);
        parsed.problems().forEach(err::println);
        if (parsed.entries().isEmpty()) {
            throw new UsageError(parsed.problems().isEmpty()
                    ? "no URLs in " + options.list + ": write one http(s) URL per line"
                    : "no usable URL in " + options.list + " (see the lines above)");
        }
        Settings settings = settings(options, outputDir(options.output == null ? Path.of("") : options.output));
        Tally tally = run(FileNames.plan(parsed.entries()), settings, out);
        return exitStatus(tally, !parsed.problems().isEmpty());
    }

    private static int demo(Options options, PrintStream out, PrintStream err) throws UsageError {
        if (options.list != null) {
            throw new UsageError("--demo downloads from its own server and takes no list (got '" + options.list + "')");
        }
        if (options.demoFiles < 1 || options.demoSize > Integer.MAX_VALUE - 8) {
            throw new UsageError("--demo-files must be at least 1 and --demo-size below 2G");
        }
        Path dir = options.output != null ? outputDir(options.output) : temporaryDir();
        try (DemoServer server = DemoServer.start((int) options.demoSize, options.demoDelay)) {
            out.printf("Demo: %d files of %s from %s, each answered after %s, into %s%n", options.demoFiles,
                    Format.bytes(options.demoSize), server.url(1).resolve("/"), Format.seconds(options.demoDelay), dir);
            List<UrlList.Entry> entries = new ArrayList<>(options.demoFiles);
            for (var url : server.urls(options.demoFiles)) {
                entries.add(new UrlList.Entry(0, url, null, null, List.of()));
            }
            Tally tally = run(FileNames.plan(entries), settings(options, dir), out);
            return exitStatus(tally, false);
        } catch (IOException e) {
            throw new UsageError("cannot start the demo server on 127.0.0.1: " + Transfer.message(e));
        } finally {
            if (options.output == null) {
                deleteTree(dir);
            }
        }
    }

    private static Tally run(List<Job> jobs, Settings settings, PrintStream out) {
        Usage.resetPeaks();
        View view = new PlainView(out);
        Tally tally = Download.download(jobs, settings, view);
        view.finish(tally, Summary.of(tally, Usage.now()));
        return tally;
    }

    static int exitStatus(Tally tally, boolean badLines) {
        if (tally.interrupted) {
            return INTERRUPTED;
        }
        if (tally.anyFailure(Download.Failure.CHECKSUM)) {
            return CHECKSUM;
        }
        return tally.failed > 0 || badLines ? SOME_FAILED : OK;
    }

    private static UrlList.Parsed read(String list, InputStream stdin) throws UsageError {
        if (list.equals("-")) {
            try {
                return UrlList.parse(stdin, "<stdin>");
            } catch (IOException e) {
                throw new UsageError("cannot read the list from standard input: " + Transfer.message(e));
            }
        }
        Path file = Path.of(list);
        if (Files.isDirectory(file)) {
            throw new UsageError(list + " is a folder; give a file with one URL per line");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return UrlList.parse(in, list);
        } catch (NoSuchFileException e) {
            throw new UsageError("cannot read " + list + ": no such file. Give a file with one URL per line, or --demo.");
        } catch (IOException e) {
            throw new UsageError("cannot read " + list + ": " + Transfer.message(e));
        }
    }

    private static Path outputDir(Path dir) throws UsageError {
        Path absolute = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new UsageError("cannot create the output folder " + absolute + ": " + Transfer.message(e));
        }
        if (!Files.isWritable(absolute)) {
            throw new UsageError("cannot write into the output folder " + absolute + ": permission denied. Pick another with -o.");
        }
        return absolute;
    }

    private static Path temporaryDir() throws UsageError {
        try {
            return Files.createTempDirectory("download-demo-");
        } catch (IOException e) {
            throw new UsageError("cannot create a temporary folder for the demo: " + Transfer.message(e) + ". Give one with -o.");
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("Download.java: could not remove the demo folder " + dir + ": " + e.getMessage());
        }
    }

    static Settings settings(Options o, Path dir) throws UsageError {
        if (o.maxConnections < 1 || o.perHost < 1) {
            throw new UsageError("--max-connections and --per-host must be at least 1");
        }
        if (o.maxConnections > 10_000) {
            throw new UsageError("--max-connections " + o.maxConnections + " is more than this process can hold open (each connection is a socket and a file; the limit here is 10000)");
        }
        if (o.retries < 0) {
            throw new UsageError("--retries must be 0 or more");
        }
        if (o.connectTimeout.isZero() || o.stallTimeout.isZero()) {
            throw new UsageError("--connect-timeout and --stall-timeout must be more than 0 seconds");
        }
        for (String header : o.headers) {
            String trouble = Headers.trouble(header);
            if (trouble != null) {
                throw new UsageError("--header: " + trouble);
            }
        }
        return new Settings(dir, o.threads, o.maxConnections, o.perHost, o.retries, o.retryDelay, o.maxRetryWait,
                o.connectTimeout, o.stallTimeout, o.maxSize, o.overwrite, o.contentDisposition, o.headers, o.userAgent);
    }

    private Cli() {}
}
