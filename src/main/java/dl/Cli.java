package dl;

import picocli.CommandLine;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.channels.Channels;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * From the command line to an exit status: reads the options and the list, plans the jobs, hands them to
 * the {@link Batch} the entry file handed in, and prints what happened. Usage and input errors are one line with a hint.
 */
public final class Cli {

    static final int MAX_PROBLEMS_SHOWN = ListPlan.KEPT_PROBLEMS;
    /** In the name of a manifest or of the output folder, the shard's label ({@code 00003-of-00010}). */
    private static final String SHARD = "{shard}";
    /** How an interrupt while a manifest is read says so. */
    private static final String READING_MANIFEST = "reading the manifest ";

    /**
     * The download loop, handed in by the entry file: the command decides what to download and how to show it, and
     * the entry file, which stands above it, does the downloading; so this file never reaches back up into it.
     */
    @FunctionalInterface
    public interface Batch {
        /** {@code total}: how many jobs {@code jobs} gives, known before the first (the view counts against it). */
        Tally download(Iterator<Job> jobs, int total, Settings settings, Cookies cookies, View view);
    }

    public static int run(Batch batch, String[] args, PrintStream out, PrintStream err) {
        // Standard input through a channel, not System.in: Ctrl-C and SIGTERM interrupt the main thread, and only
        // a channel's read gives up for that. A list piped in may come slowly, or never end.
        return run(batch, args, Channels.newInputStream(new FileInputStream(FileDescriptor.in).getChannel()), out, err, System.getenv());
    }

    /**
     * picocli runs the command: it parses, answers --version ({@link Usage} answers --help), then runs {@link #command}; a bad
     * option or value and a {@link UsageError} become one line and status 2, anything else an internal error (70).
     * {@code env} is the process environment: where the configuration file is ({@link Config#where}).
     */
    public static int run(Batch batch, String[] args, InputStream stdin, PrintStream out, PrintStream err, Map<String, String> env) {
        Streams io = Streams.standard(out, err);
        Options options = new Options();
        CommandLine command = parser(options).setOut(new PrintWriter(io.data(), true)).setErr(new PrintWriter(io.messages(), true));
        Config config;
        try {
            Path file = Config.where(args, env);
            config = file == null ? Config.NONE : Config.read(file, command.getCommandSpec(), env);
        } catch (UsageError bad) {
            io.messages().println("Download.java: " + Terminal.safe(bad.getMessage()));
            return ExitStatus.USAGE;
        }
        options.config = config;
        command.setExecutionStrategy(parsed -> {
            if (options.help != null) {
                // The terminal's width (picocli asks it), but no wider than reads well.
                int width = Math.min(command.getCommandSpec().usageMessage().width(), Usage.WIDEST);
                io.data().print(Usage.text(command, options.help.equalsIgnoreCase("all"), width));
                return ExitStatus.OK;
            }
            Integer help = CommandLine.executeHelpRequest(parsed);
            if (help != null) {
                return help;
            }
            try {
                return command(batch, options, command, stdin, io);
            } catch (InterruptedException stopped) {
                boolean fromStdin = options.inputFiles.contains("-") || options.arguments.contains("-");
                String message = String.valueOf(stopped.getMessage());
                String when = Plan.PLANNING.equals(message) ? "planning the names of the list's downloads"
                        : message.startsWith(READING_MANIFEST) ? message
                        : "reading the list from " + (fromStdin ? "standard input" : "its file");
                io.messages().println("Download.java: interrupted while " + Terminal.safe(when) + "; nothing was downloaded");
                return ExitStatus.INTERRUPTED;
            } catch (UsageError | RuntimeException | Error failure) {
                throw new CommandLine.ExecutionException(command, "", failure);
            }
        });
        command.setParameterExceptionHandler((bad, arguments) -> {
            io.messages().println("Download.java: " + Terminal.safe(config.blame(bad.getMessage(),
                    bad.getArgSpec() instanceof CommandLine.Model.OptionSpec option ? option : null, args, command.getCommandSpec())));
            String hint = Habits.hint(bad);
            if (hint != null) {
                io.messages().println(Terminal.safe(hint));
            }
            io.messages().println("Try --help for the options and examples.");
            return ExitStatus.USAGE;
        });
        command.setExecutionExceptionHandler((wrapped, cmd, parsed) -> {
            Throwable failure = wrapped instanceof CommandLine.ExecutionException && wrapped.getCause() != null ? wrapped.getCause() : wrapped;
            if (failure instanceof UsageError usage) {
                io.messages().println("Download.java: " + Terminal.safe(config.blame(usage.getMessage(), null, args, command.getCommandSpec())));
                return ExitStatus.USAGE;
            }
            io.messages().println("Download.java: internal error: " + Terminal.safe(String.valueOf(failure)) + (options.debug ? "" : " (--debug shows where)"));
            if (options.debug) {
                failure.printStackTrace(io.messages());
            }
            return ExitStatus.INTERNAL;
        });
        return command.execute(config.arguments(args, command.getCommandSpec()).toArray(String[]::new));
    }

    /** picocli's reading of the command line into {@code options}: "platform" as well as "PLATFORM", the last -o wins. */
    static CommandLine parser(Options options) {
        return new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true).setOverwrittenOptionsAllowed(true);
    }

    /** The command itself, once picocli has read the options. */
    private static int command(Batch batch, Options options, CommandLine command, InputStream stdin, Streams io)
            throws UsageError, InterruptedException {
        if (options.completion != null) {
            // picocli writes a bash script; zsh runs it through bashcompinit.
            String script = picocli.AutoComplete.bash("download", command);
            io.data().print(options.completion.equals("zsh") ? "autoload -U +X bashcompinit && bashcompinit\n" + script : script);
            return ExitStatus.OK;
        }
        validate(options);
        if (options.shown.verbose && options.config.file() != null) {
            io.messages().println("Config: " + options.config.file());
        }
        if (options.compare) {
            return Compare.run(options, stdin, io);
        }
        return options.demo ? demo(batch, options, io) : list(batch, options, stdin, io);
    }

    private static int list(Batch batch, Options options, InputStream stdin, Streams io) throws UsageError, InterruptedException {
        Inputs.check(options);
        if (!Inputs.any(options) && options.onlyFailed != null) {
            throw new UsageError("--only-failed " + options.onlyFailed + " also needs the list the manifest was written for: "
                    + "the URLs, their options and their names come from it");
        }
        if (!Inputs.any(options)) {
            throw new UsageError("give URLs, or a file with one URL per line (or - for standard input), or --demo to try it offline. Try --help.");
        }
        Recorded onlyFailed = recorded(options.onlyFailed, "--only-failed", options.shard, true);
        try (onlyFailed) {
            Shard shard = options.shard != null ? options.shard : new Shard(0, 1);
            Predicate<URI> inShard = url -> shard.count() == 1 || Shard.of(url, shard.count()) == shard.index();
            Predicate<URI> notDone = url -> onlyFailed == Recorded.NONE || !(onlyFailed.get(url) instanceof Earlier e && e.done());
            // This run's URLs: its shard's, without those an earlier run did (--only-failed). In a folder shared by the
            // shards, every name is planned all the same, so that a URL's name does not depend on which shard fetches
            // it; a shard in a folder of its own ({shard} in -o) plans its own alone, and the list costs it its share.
            boolean ownFolder = shard.count() > 1 && options.output != null && options.output.toString().contains(SHARD);
            ListPlan plan = ownFolder ? ListPlan.read(options, stdin, inShard, shard.count(), notDone)
                    : ListPlan.read(options, stdin, inShard.and(notDone));
            if (plan.size() == 0 && plan.passedOver() == 0) {
                report(plan.problems(), plan.problemCount(), plan.label(), io.messages());
                throw new UsageError(plan.problemCount() == 0
                        ? "no URLs in " + plan.label() + ": write one http(s) URL per line"
                        : "no usable URL in " + plan.label() + " (see the lines above)");
            }
            // Every shard reads the whole list, so the list's problems are told once, by shard 0, and count for its exit
            // status alone: N copies of them, and N shards retried for a line no retry can mend, would help nobody.
            boolean tells = options.shard == null || options.shard.index() == 0;
            int rejected = tells ? plan.problemCount() : 0;
            report(tells ? plan.problems() : List.of(), rejected, plan.label(), io.messages());
            Path given = options.output == null ? Path.of("") : Path.of(options.output.toString().replace(SHARD, shard.label()));
            // A dry run plans into the folder without making it: it changes nothing on disk.
            Path dir = options.dryRun ? given.toAbsolutePath().normalize() : OutputFolder.make(given);
            Netrc netrc = netrc(options);
            int status = execute(batch, plan.jobs(netrc == null ? e -> e : netrc::apply), plan.kept(), plan.anyHttps(), options, dir, io, rejected);
            if (plan.failure() != null) {
                io.messages().println("Download.java: " + Terminal.safe(plan.failure()) + "; the URLs after it were not fetched");
                return Math.max(status, ExitStatus.SOME_FAILED);
            }
            return status;
        } catch (IOException e) {
            throw new UsageError("cannot read the manifest " + options.onlyFailed + ": " + Format.message(e));
        }
    }

    /** The .netrc credentials of the run, with --netrc or --netrc-file; else null. */
    private static Netrc netrc(Options options) throws UsageError {
        if (!options.netrc && options.netrcFile == null) {
            return null;
        }
        Path file = options.netrcFile != null ? options.netrcFile : Path.of(System.getProperty("user.home"), ".netrc");
        try {
            return Netrc.read(file);
        } catch (NoSuchFileException e) {
            throw new UsageError("cannot read " + file + " for --netrc: no such file");
        } catch (IOException e) {
            throw new UsageError("cannot read " + file + " for --netrc: " + Format.message(e));
        }
    }

    /** The proxies of the run; checked by validate(), so a bad one is a usage error before anything starts. */
    private static Proxies proxies(Options o) {
        return Proxies.of(o.network.proxy, o.network.noProxy, System.getenv());
    }

    /** The TLS trust of the run: the JDK's, plus --ca-cert's certificates, or none at all with --insecure. */
    private static Tls.Trust trust(Options options, PrintStream err) throws UsageError {
        try {
            if (options.trust.insecure) {
                err.println("Download.java: warning: --insecure: TLS certificates are not checked; anyone on the path can read and change these downloads.");
                return Tls.anyone();
            }
            return options.trust.caCert == null ? Tls.Trust.JDK : Tls.adding(options.trust.caCert);
        } catch (NoSuchFileException e) {
            throw new UsageError("--ca-cert " + options.trust.caCert + ": no such file");
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new UsageError("--ca-cert " + options.trust.caCert + ": not a PEM certificate file (" + Format.message(e) + ")");
        }
    }

    private static String tlsEngine(Tls.Trust trust) {
        try {
            return Tls.engine(trust).name();
        } catch (java.security.GeneralSecurityException e) {
            return "none (" + Format.message(e) + ")";
        }
    }

    /** Enough problems to fix the list with, not a flood: after a few dozen, only how many more there are. */
    private static void report(List<UrlList.Problem> problems, int count, String list, PrintStream err) {
        problems.stream().limit(MAX_PROBLEMS_SHOWN).forEach(problem -> err.println(Terminal.safe(Inputs.shown(problem))));
        if (count > MAX_PROBLEMS_SHOWN) {
            err.println(Terminal.safe(list) + ": " + (count - MAX_PROBLEMS_SHOWN) + " more problems not shown ("
                    + count + " in all)");
        }
    }

    /** Prints the plan (--dry-run) or runs it; returns the exit status. {@code total}: how many jobs {@code planned} gives. */
    private static int execute(Batch batch, Iterator<Job> planned, int total, boolean https, Options options, Path dir, Streams io,
                               int rejectedLines)
            throws UsageError, InterruptedException {
        boolean badLines = rejectedLines > 0;
        Settings settings = settings(options, dir, trust(options, io.messages()));
        Cookies cookies = cookies(options, io.messages());
        Path manifest = manifestPath(options.manifest, "--manifest", options.shard);
        Recorded recorded = recorded(options.manifest, "--manifest", options.shard, false);
        try (recorded) {
            // What the manifest recorded of each URL is looked up as its job's turn comes: a manifest of millions is not held.
            Iterator<Job> jobs = recorded == Recorded.NONE ? planned : map(planned, job -> job.withEarlier(recorded.get(job.url())));
            if (options.dryRun) {
                printPlan(jobs, settings, io);
                return badLines ? ExitStatus.SOME_FAILED : ExitStatus.OK;
            }
            // --compare's children add a reading of what the waiting downloads hold; a plain run meets none of it.
            View view = options.measureHeld ? new HeldMemory(io.view(options), io.data()) : io.view(options);
            Manifest recorder = null;
            if (manifest != null) {
                try {
                    view = recorder = Manifest.open(manifest, view, options.shard, io.messages());
                } catch (IOException e) {
                    throw new UsageError("cannot write the manifest " + manifest + ": " + Format.message(e));
                }
            }
            if (options.shown.verbose && https) {
                io.messages().println("TLS engine: " + tlsEngine(settings.trust()));
            }
            Tally tally = run(batch, jobs, total, settings, cookies, view, rejectedLines);
            boolean cookiesSaved = saveCookies(cookies, options.saveCookies, io.messages());
            // A manifest or cookie file that could not be written is a failure of the run, though no file is lost.
            return ExitStatus.of(tally, badLines || recorder != null && !recorder.complete() || !cookiesSaved);
        } catch (IOException e) {
            throw new UsageError("cannot read the manifest " + manifest + ": " + Format.message(e));
        }
    }

    /** The jobs as they come, each changed by {@code change}. */
    private static Iterator<Job> map(Iterator<Job> jobs, java.util.function.UnaryOperator<Job> change) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return jobs.hasNext();
            }

            @Override
            public Job next() {
                return change.apply(jobs.next());
            }
        };
    }

    /**
     * The run's cookie jar, with --load-cookies' cookies. A missing file is an error, unless it is the one
     * --save-cookies writes: {@code --load-cookies c.txt --save-cookies c.txt} starts with an empty jar the first time.
     */
    private static Cookies cookies(Options options, PrintStream err) throws UsageError {
        Cookies jar = new Cookies();
        Path file = options.loadCookies;
        if (file == null) {
            return jar;
        }
        try {
            List<Cookies.Problem> problems = jar.load(file);
            problems.stream().limit(MAX_PROBLEMS_SHOWN).forEach(p -> err.println(Terminal.safe(file + ":" + p.line() + ": " + p.reason())));
            if (jar.isEmpty() && !problems.isEmpty()) {
                throw new UsageError("--load-cookies " + file + ": no cookie in it (a cookies.txt line is 7 fields separated by tabs)");
            }
        } catch (NoSuchFileException e) {
            if (options.saveCookies == null || !options.saveCookies.toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize())) {
                throw new UsageError("--load-cookies " + file + ": no such file");
            }
        } catch (IOException e) {
            throw new UsageError("--load-cookies " + file + ": " + Cookies.trouble(e));
        }
        return jar;
    }

    /** --save-cookies, once every download has ended: false when the file could not be written (said on err). */
    private static boolean saveCookies(Cookies cookies, Path file, PrintStream err) {
        if (file == null) {
            return true;
        }
        try {
            cookies.save(file);
            return true;
        } catch (IOException e) {
            err.println(Terminal.safe("Download.java: cannot write the cookies to " + file + ": " + Format.message(e)));
            return false;
        }
    }

    /** A manifest's file: {shard} in its name becomes the shard's label. */
    private static Path manifestPath(String name, String option, Shard shard) throws UsageError {
        if (name == null) {
            return null;
        }
        // Without {shard}, each shard must be given a name of its own (m-$INDEX.ndjson, as Slurm or AWS Batch give it);
        // two shards writing one manifest at once are refused by its lock.
        return Path.of(name.replace(SHARD, (shard != null ? shard : new Shard(0, 1)).label())).toAbsolutePath();
    }

    /** What the manifest named by an option recorded ({@link Recorded#NONE} without the option); {@code mustExist} for --only-failed. */
    private static Recorded recorded(String name, String option, Shard shard, boolean mustExist) throws UsageError, InterruptedException {
        Path file = manifestPath(name, option, shard);
        if (file == null) {
            return Recorded.NONE;
        }
        if (mustExist && Files.notExists(file)) {
            throw new UsageError(option + " " + file + ": no such manifest (write one with --manifest)");
        }
        // A folder, a device or a pipe would hang or flood the reading (/dev/zero is one endless line).
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new UsageError(option + " " + file + " is not a regular file (a folder, device or pipe); give a manifest file");
        }
        try {
            return Recorded.of(file);
        } catch (java.io.InterruptedIOException e) {
            Thread.interrupted(); // Ctrl-C or SIGTERM while a long manifest is read: a stop, not a bad manifest
            throw new InterruptedException(READING_MANIFEST + file);
        } catch (IOException e) {
            throw new UsageError("cannot read the manifest " + file + ": " + Format.message(e));
        }
    }

    private static int demo(Batch batch, Options options, Streams io) throws UsageError, InterruptedException {
        if (Inputs.any(options)) {
            throw new UsageError("--demo downloads from its own server and takes no list (got '" + Inputs.label(options) + "')");
        }
        if (options.demoFiles < 1 || options.demoSize > Integer.MAX_VALUE - 8) {
            throw new UsageError("--demo-files must be at least 1 and --demo-size below 2G");
        }
        Path dir = options.output != null ? OutputFolder.make(options.output) : temporaryDir();
        try (DemoServer server = DemoServer.start((int) options.demoSize, options.demoDelay)) {
            io.messages().printf("Demo: %d files of %s from %s, each answered after %s, into %s%n", options.demoFiles,
                    Format.bytes(options.demoSize), server.url(1).resolve("/"), Format.seconds(options.demoDelay), dir);
            List<UrlList.Entry> entries = new ArrayList<>(options.demoFiles);
            for (var url : server.urls(options.demoFiles)) {
                entries.add(new UrlList.Entry(0, url, null, null, List.of()));
            }
            List<Job> jobs = Plan.names(entries);
            if (options.shard != null) {
                jobs = options.shard.select(jobs);
            }
            return execute(batch, jobs.iterator(), jobs.size(), false, options, dir, io, 0);
        } catch (IOException e) {
            throw new UsageError("cannot start the demo server on 127.0.0.1: " + Format.message(e));
        } finally {
            if (options.output == null) {
                TemporaryFolders.delete(dir);
            }
        }
    }

    private static Tally run(Batch batch, Iterator<Job> jobs, int total, Settings settings, Cookies cookies, View view, int rejectedLines) {
        ProcessUsage.resetPeaks();
        long baseline = ProcessUsage.rss();
        OldGeneration.watch();
        Tally tally = batch.download(jobs, total, settings, cookies, view);
        view.finish(tally, Summary.of(tally, ProcessUsage.now(), baseline, rejectedLines));
        return tally;
    }

    /** --dry-run: what would be fetched and where, without a single request; the plan alone is data. */
    private static void printPlan(Iterator<Job> jobs, Settings settings, Streams io) {
        int planned = 0;
        while (jobs.hasNext()) {
            Job job = jobs.next();
            planned++;
            StringBuilder line = new StringBuilder(job.url().toString()).append(" -> ").append(settings.dir().resolve(job.name()));
            List<String> notes = new ArrayList<>();
            if (job.checksum() != null) {
                notes.add(job.checksum().algorithm() + " " + job.checksum().hex());
            }
            job.headers().forEach(h -> notes.add("header " + Headers.name(h)));
            switch (Existing.of(job, settings)) {
                case Existing.FolderInTheWay _ -> notes.add("a folder is in the way: would fail");
                case Existing.IfChanged _ -> notes.add("exists: would ask the server whether it changed (-N)");
                case Existing.DoneEarlier _ -> notes.add("done in an earlier run: would be skipped");
                case Existing.AlreadyThere _ -> notes.add("exists: would be skipped");
                case Existing.Nothing _ -> { }
            }
            if (!notes.isEmpty()) {
                line.append("  (").append(String.join("; ", notes)).append(')');
            }
            io.data().println(Terminal.safe(line.toString()));
        }
        io.messages().println("Dry run: " + planned + " downloads planned into " + settings.dir() + "; nothing was fetched.");
    }

    private static Path temporaryDir() throws UsageError {
        try {
            return Files.createTempDirectory("download-demo-");
        } catch (IOException e) {
            throw new UsageError("cannot create a temporary folder for the demo: " + Format.message(e) + ". Give one with -o.");
        }
    }


    /** Option values picocli cannot judge alone; checked before the list is read or a folder is made. */
    private static void validate(Options o) throws UsageError {
        if (o.maxConnections < 1 || o.perHost != null && o.perHost < 1) {
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
        String agent = Headers.trouble("User-Agent: " + o.userAgent);
        if (agent != null) {
            throw new UsageError("--user-agent: " + agent);
        }
        if (o.sweep != null && !(o.compare && o.demo)) {
            throw new UsageError("--sweep goes with --compare --demo: it varies the number of demo files");
        }
        if (o.sweep != null && o.sweep.stream().anyMatch(n -> n == null || n < 1)) {
            throw new UsageError("--sweep takes numbers of downloads of at least 1, like 100,1000,10000");
        }
        if (o.compare && (o.threads != Threads.VIRTUAL || o.shown.json || o.dryRun)) {
            throw new UsageError("--compare runs both thread modes into temporary folders and prints a table; drop --threads, --json and --dry-run");
        }
        if (o.compare && (o.shard != null || o.manifest != null || o.onlyFailed != null)) {
            throw new UsageError("--compare measures both thread modes on the whole job; drop --shard, --manifest and --only-failed");
        }
        if (o.compare && o.saveCookies != null) {
            throw new UsageError("--compare runs the job twice, in two JVMs: drop --save-cookies (--load-cookies goes to both)");
        }
        if (o.saveCookies != null) {
            Path parent = o.saveCookies.toAbsolutePath().getParent();
            if (Files.isDirectory(o.saveCookies)) {
                throw new UsageError("--save-cookies " + o.saveCookies + " is a folder; give a file");
            }
            if (parent == null || !Files.isDirectory(parent)) {
                throw new UsageError("--save-cookies " + o.saveCookies + ": its folder " + parent + " does not exist");
            }
        }
        if (o.compare && o.output != null && o.reportGiven()) {
            throw new UsageError("with --compare, -o names the folder for the report, as --report does: give one of them");
        }
        try {
            proxies(o);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        if (o.randomWait && o.wait.isZero()) {
            throw new UsageError("--random-wait varies the pause of --wait: give --wait SECONDS too");
        }
        if (o.maxSize == 0 && o.maxSizeGiven) {
            throw new UsageError("--max-size must be more than 0 bytes (leave it out for no limit)");
        }
        if (o.minSplitSize < 64 << 10) {
            throw new UsageError("--min-split-size must be at least 64K: a smaller segment costs a request and saves nothing");
        }
    }

    static Settings settings(Options o, Path dir, Tls.Trust trust) {
        return new Settings(dir, o.threads, o.maxConnections, o.perHost(), o.retries, o.retryDelay, o.maxRetryWait,
                o.connectTimeout, o.stallTimeout, o.maxSize, o.overwrite, o.contentDisposition, o.locationTrusted, o.headers, o.userAgent,
                trust, o.wait, o.randomWait, o.limitRate, proxies(o), o.manifest != null, o.timestamping, !o.noRemoteTime,
                o.segments, o.minSplitSize);
    }

    private Cli() {}
}
