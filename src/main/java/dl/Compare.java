package dl;


import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code --compare}: the same job once per thread mode, each in a fresh child JVM so that their memory cannot
 * mix, then a side-by-side table. {@code --sweep} repeats it over demo sizes and writes the figures as JSON and
 * as an SVG chart. The demo server runs here in the parent, so a child's figures are the client's alone.
 */
final class Compare {

    /** The program's entry class, by name: a child is a fresh JVM of this same program. */
    private static final String ENTRY = "dl.Download";

    static final Duration CHILD_LIMIT = Duration.ofMinutes(15);

    private final List<String> forwarded;
    private final Streams io;
    private final Duration limit;

    Compare(List<String> forwarded, Streams io) {
        this(forwarded, io, CHILD_LIMIT);
    }

    /** {@code limit}: how long one child may run before it is stopped and reported as not finished. */
    Compare(List<String> forwarded, Streams io, Duration limit) {
        this.forwarded = forwarded;
        this.io = io;
        this.limit = limit;
    }

    /**
     * --compare: the job once per thread mode, each in a child JVM; the table, and with --sweep a chart. The table
     * is the report asked for (data); how the children fare while it is made is a message.
     */
    static int run(Options options, InputStream stdin, Streams io) throws UsageError {
        // The report's folder is checked before the sweep, not after minutes of measuring.
        Path reportDir = options.sweep != null ? OutputFolder.make(options.output != null ? options.output : options.report) : null;
        Compare compare = new Compare(forwarded(options), io);
        List<Measured> results = new ArrayList<>();
        Path list = null;
        try {
            list = Files.createTempFile("download-compare-", ".txt");
            if (!options.demo) {
                if (!Inputs.any(options)) {
                    throw new UsageError("--compare needs URLs or a list of them, or --demo");
                }
                ListPlan plan = ListPlan.read(options, stdin); // a few URLs: held here at once, duplicates left out
                List<UrlList.Entry> entries = new ArrayList<>();
                plan.entries().forEachRemaining(entries::add);
                if (entries.isEmpty()) {
                    throw new UsageError("no usable URL in " + plan.label());
                }
                // The children get every URL with its options (out=, checksum=, header=), as the user wrote them.
                Files.write(list, entries.stream().flatMap(e -> e.lines().stream()).toList());
                results.addAll(compare.once(list, entries.size(), entries.size() + " URLs of " + plan.label()));
            } else {
                try (DemoServer server = DemoServer.start((int) options.demoSize, options.demoDelay)) {
                    for (int n : options.sweep == null ? List.of(options.demoFiles) : options.sweep) {
                        Files.write(list, server.urls(n).stream().map(Object::toString).toList());
                        results.addAll(compare.once(list, n, String.format("%d demo files of %s, each answered after %s",
                                n, Format.bytes(options.demoSize), Format.seconds(options.demoDelay))));
                    }
                }
            }
            if (options.sweep != null) {
                Path dir = reportDir;
                Files.writeString(dir.resolve("sweep.json"), sweepJson(results, machine()));
                Files.writeString(dir.resolve("sweep.svg"), Chart.svg(results, machine()));
                io.messages().println("Wrote " + dir.resolve("sweep.svg") + " and " + dir.resolve("sweep.json"));
            }
        } catch (IOException e) {
            throw new UsageError("cannot write the comparison's files: " + Format.message(e));
        } catch (InterruptedException e) {
            io.messages().println("Interrupted.");
            return ExitStatus.INTERRUPTED;
        } finally {
            TemporaryFolders.delete(list);
        }
        return results.stream().allMatch(r -> r.ran() && r.number(Json.FAILED) == 0) ? ExitStatus.OK : ExitStatus.SOME_FAILED;
    }

    /** The options a --compare child needs to do the same job. */
    private static List<String> forwarded(Options o) {
        // The comparison's own default (many connections, as for the demo), which a child would not know.
        // The settings of the configuration file are among the options matched: the children get them as typed, and
        // read no file of their own, whose environment may be another (a test's) or the file changed meanwhile.
        List<String> args = new ArrayList<>(List.of("--no-config", "--per-host", String.valueOf(o.perHost())));
        for (picocli.CommandLine.Model.OptionSpec option : o.spec.commandLine().getParseResult().matchedOptions()) {
            if (option.names().length == 0 || java.util.Arrays.stream(option.names()).anyMatch(OWN::contains)) {
                continue;
            }
            String name = option.longestName();
            if (option.arity().max() == 0) {
                args.add(name);
            } else {
                option.originalStringValues().forEach(value -> args.addAll(List.of(name, value)));
            }
        }
        return args;
    }

    /**
     * The options that make this run a comparison, or that each child gets from it (its folder, its thread mode,
     * its output as JSON, its list, its connections per host), or that would have two children share one file. Every other option the user typed goes
     * to both children as typed: a hand-kept list of what to forward once lost --netrc on the way.
     */
    private static final java.util.Set<String> OWN = java.util.Set.of("--compare", "--sweep", "--report", "--measure-held",
            "--demo", "--demo-files", "--demo-size", "--demo-delay", "--threads", "-o", "--output", "-q", "--quiet", "-v",
            "--verbose", "--json", "-n", "--dry-run", "--completion", "--manifest", "--only-failed", "--shard", "--per-host",
            "--input-file", "--config", "--no-config");

    /** Runs the list once per mode and prints the table. */
    List<Measured> once(Path list, int downloads, String what) throws InterruptedException {
        io.data().println("Comparing thread modes on " + what + ", each in its own JVM:");
        List<Measured> results = new ArrayList<>();
        for (String mode : Measured.MODES) {
            Measured r = child(mode, list, downloads);
            results.add(r);
            io.messages().println("  " + mode + ": " + (r.ran() ? "done in " + Format.seconds(r.process()) : "could not run: " + r.error()));
        }
        table(results).forEach(io.data()::println);
        return results;
    }

    /** Runs one child JVM: this same program, with --json, into a folder of its own that is removed after. */
    Measured child(String mode, Path list, int downloads) throws InterruptedException {
        Path dir = null;
        Path errors = null;
        Path output = null;
        Process process = null;
        long began = System.nanoTime();
        try {
            dir = Files.createTempDirectory("download-compare-");
            errors = Files.createTempFile("download-compare-", ".err");
            output = Files.createTempFile("download-compare-", ".ndjson");
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-preview"));
            // The child runs with this JVM's tuning (the script's RUNTIME_OPTIONS), so it measures what users run.
            ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(arg -> arg.startsWith("-X") && !arg.startsWith("-Xlog") || arg.startsWith("--enable-native-access"))
                    .forEach(command::add);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), ENTRY,
                    "--json", "--measure-held", "--threads", mode, "-o", dir.toString()));
            command.addAll(forwarded);
            command.add(list.toString());
            // Its output goes to a file, not a pipe read here: reading a pipe until it closes would wait for a hung
            // child for ever, and the time limit would never apply.
            process = new ProcessBuilder(command).redirectError(errors.toFile()).redirectOutput(output.toFile()).start();
            boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            if (!ended) {
                return new Measured(mode, downloads, null, "did not finish within " + Format.seconds(limit) + "; stopped", took);
            }
            Map<String, Object> summary = summaryWithHeld(lastLines(output));
            if (summary == null || !Json.SUMMARY.equals(summary.get(Json.TYPE))) {
                return new Measured(mode, downloads, null, lastError(errors, process.exitValue()), took);
            }
            return new Measured(mode, downloads, summary, null, took);
        } catch (IOException e) {
            return new Measured(mode, downloads, null, "cannot start a child JVM: " + Format.message(e), Duration.ZERO);
        } finally {
            if (process != null) {
                process.destroyForcibly();
            }
            TemporaryFolders.delete(dir);
            TemporaryFolders.delete(errors);
            TemporaryFolders.delete(output);
        }
    }

    /**
     * The child's summary (its last line) with the fields of the {@code held} line just before it, or null when
     * the child did not get as far as a summary.
     */
    private static Map<String, Object> summaryWithHeld(List<String> lines) {
        if (lines.isEmpty()) {
            return null;
        }
        Map<String, Object> summary = Json.fields(lines.getLast());
        if (summary != null && lines.size() > 1) {
            Map<String, Object> held = Json.fields(lines.get(lines.size() - 2));
            if (held != null && Json.HELD.equals(held.get(Json.TYPE))) {
                held.remove(Json.TYPE);
                summary.putAll(held);
            }
        }
        return summary;
    }

    /** The last lines of a file that may be large (a child's events), read from its end. */
    private static List<String> lastLines(Path file) throws IOException {
        try (var in = Files.newByteChannel(file)) {
            long size = in.size();
            int tail = (int) Math.min(size, 64 << 10);
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(tail);
            in.position(size - tail);
            while (bytes.hasRemaining() && in.read(bytes) >= 0) {
                // read the tail
            }
            String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8).strip();
            List<String> lines = text.isEmpty() ? List.of() : text.lines().toList();
            return lines.size() <= 2 ? lines : lines.subList(lines.size() - 2, lines.size());
        }
    }

    /** The child's own words on why it stopped: its last line of standard error. */
    private static String lastError(Path errors, int status) throws IOException {
        List<String> lines = Files.readAllLines(errors).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String why = lines.isEmpty() ? "no output" : lines.getLast().replaceFirst("^Download\\.java: ", "");
        return "exit " + status + ": " + why;
    }

    /** The side-by-side table, with platform's figure as a multiple of virtual's where both ran. */
    static List<String> table(List<Measured> results) {
        Measured v = results.get(0);
        Measured p = results.get(1);
        List<String> rows = new ArrayList<>();
        String format = "  %-34s %16s %16s %10s";
        rows.add(String.format(Locale.ROOT, format, "", "virtual", "platform", "platform/virtual"));
        row(rows, format, "wall time (downloads)", v, p, r -> r.number(Json.WALL_MS), ms -> Format.seconds(Duration.ofMillis(ms)));
        row(rows, format, "wall time (whole JVM)", v, p, r -> r.process().toMillis(), ms -> Format.seconds(Duration.ofMillis(ms)));
        row(rows, format, "CPU time", v, p, r -> r.number(Json.CPU_MS), ms -> Format.seconds(Duration.ofMillis(ms)));
        row(rows, format, "peak resident memory", v, p, r -> r.number(Json.PEAK_RSS), Format::bytes);
        row(rows, format, "resident after GC, all forked", v, p, r -> r.number(Json.HELD_RSS), Format::bytes);
        row(rows, format, "download threads alive then", v, p, r -> r.number(Json.HELD_LIVE), String::valueOf);
        row(rows, format, "peak platform threads", v, p, r -> r.number(Json.PEAK_PLATFORM), String::valueOf);
        row(rows, format, "peak download threads alive", v, p, r -> r.number(Json.PEAK_LIVE), String::valueOf);
        row(rows, format, "peak receiving or saving", v, p, r -> r.number(Json.PEAK_IN_FLIGHT), String::valueOf);
        rows.add(String.format(Locale.ROOT, format, "downloads ok / failed", okFailed(v), okFailed(p), ""));
        row(rows, format, "memory held per live download", v, p, Measured::heldPerLive, Format::bytes);
        for (Measured r : results) {
            if (!r.ran()) {
                rows.add("  " + r.mode() + " could not run " + r.downloads() + " downloads: " + r.error());
            }
        }
        return rows;
    }

    private static String okFailed(Measured r) {
        return r.ran() ? r.number(Json.COMPLETED) + " / " + r.number(Json.FAILED) : "-";
    }

    private static void row(List<String> rows, String format, String label, Measured v, Measured p,
                            java.util.function.ToLongFunction<Measured> figure, java.util.function.LongFunction<String> show) {
        long a = v.ran() ? figure.applyAsLong(v) : -1;
        long b = p.ran() ? figure.applyAsLong(p) : -1;
        String ratio = a > 0 && b >= 0 ? String.format(Locale.ROOT, "%.1fx", (double) b / a) : "";
        rows.add(String.format(Locale.ROOT, format, label, a < 0 ? "-" : show.apply(a), b < 0 ? "-" : show.apply(b), ratio));
    }

    /** --sweep's figures, for anyone who wants to plot them differently. */
    private static String sweepJson(List<Measured> results, String machine) {
        var text = new java.io.StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(text).useDefaultPrettyPrinter()) {
            g.writeStartObject();
            g.writeStringField("date", LocalDate.now().toString());
            g.writeStringField("machine", machine);
            g.writeArrayFieldStart("runs");
            for (Measured r : results) {
                g.writeStartObject();
                g.writeStringField("threads", r.mode());
                g.writeNumberField("downloads", r.downloads());
                if (r.ran()) {
                    for (String field : Json.SWEPT) {
                        g.writeNumberField(field, r.number(field));
                    }
                    g.writeNumberField("process_ms", r.process().toMillis());
                    g.writeNumberField("held_rss_per_live_download_bytes", r.heldPerLive());
                } else {
                    g.writeStringField("error", r.error());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("writing JSON to a string", e);
        }
        return text.toString();
    }

    /** "2 cores, 23 GiB, Linux, JDK 25.0.3": what the figures were measured on. */
    static String machine() {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return Runtime.getRuntime().availableProcessors() + " cores, " + Format.bytes(os.getTotalMemorySize()) + ", "
                + System.getProperty("os.name") + ", JDK " + Runtime.version();
    }
}
