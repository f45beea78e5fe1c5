package dl;


import java.io.PrintStream;

/**
 * One line per event worth a line, no escape codes, no carriage returns: for logs, pipes and CI. Long runs
 * also get an aggregate line every {@value #AGGREGATE_SECONDS} seconds. {@code --quiet} keeps only failures
 * and the summary; {@code --verbose} adds a progress line per download at most once a second.
 */
final class PlainView implements View {

    enum Level { QUIET, NORMAL, VERBOSE }

    static final int AGGREGATE_SECONDS = 10;
    private final PrintStream out;
    private final Level level;
    private final java.util.Map<Integer, Long> lastProgressLine = new java.util.HashMap<>();
    private long lastAggregate = System.nanoTime();

    PlainView(PrintStream out, Level level) {
        this.out = out;
        this.level = level;
    }

    @Override
    public void show(Event event, Tally tally) {
        boolean stopped = event instanceof Event.Failed f && f.kind() == Failure.INTERRUPTED;
        if (level == Level.QUIET && !(event instanceof Event.Failed) || stopped && level != Level.VERBOSE) {
            // A Ctrl-C stops every unfinished download at once: the summary counts them in one line.
            return;
        }
        if (event instanceof Event.Completed || event instanceof Event.Failed || event instanceof Event.Skipped) {
            lastProgressLine.remove(event.job().id()); // kept for downloads in flight only
        }
        String count = String.format("[%" + digits(tally.total()) + "d/%d]", tally.ended(), tally.total());
        switch (event) {
            case Event.Started s -> out.printf("%s started   %s (%s%s)%n", count, name(s.file()),
                    s.length() < 0 ? "length unknown" : Format.bytes(s.length()),
                    s.kept() > 0 ? "; resuming at " + Format.bytes(s.kept())
                            : s.restarted() ? "; the server would not continue the part file: starting again from zero" : "");
            case Event.Segmented s -> {
                if (level == Level.VERBOSE) {
                    out.printf("%s segments  %s: %d connections, %s%n", count, Terminal.safe(s.job().name()), s.connections(),
                            String.join(", ", s.segments().stream().map(r -> r.from() + "-" + (r.to() - 1)).toList()));
                }
            }
            case Event.Progress p -> {
                long now = System.nanoTime();
                Long last = lastProgressLine.get(p.job().id());
                if (level == Level.VERBOSE && (last == null || now - last >= 1_000_000_000L)) {
                    lastProgressLine.put(p.job().id(), now);
                    out.printf("%s progress  %s %s%n", count, Terminal.safe(p.job().name()), Format.bytes(p.bytes()));
                }
            }
            case Event.Waiting w -> {
                if (level == Level.VERBOSE) {
                    out.printf("%s waiting   %s: %s%n", count, Terminal.safe(w.job().name()), w.why());
                }
            }
            case Event.Retrying r -> out.printf("%s retrying  %s: %s; attempt %d again in %s%n", count,
                    Terminal.safe(r.job().name()), Terminal.safe(r.reason()), r.attempt() + 1, Format.seconds(r.delay()));
            case Event.Completed c -> out.printf("%s done      %s %s in %s%s%n", count, name(c.file()),
                    Format.bytes(c.bytes()), Format.seconds(c.elapsed()), c.updated() ? " (updated: it replaced the older file)" : "");
            case Event.UpToDate u -> out.printf("%s up to date %s: the server has not changed it%n", count, name(u.file()));
            case Event.Failed f -> out.printf(stopped ? "%s stopped   %s: %s%n" : "%s FAILED    %s: %s%n", count, Terminal.safe(f.job().url().toString()), Terminal.safe(f.reason()));
            case Event.Skipped s -> out.printf("%s skipped   %s: %s%n", count, name(s.file()), Terminal.safe(s.why()));
        }
    }

    @Override
    public void tick(Tally tally) {
        long now = System.nanoTime();
        if (level != Level.QUIET && now - lastAggregate >= AGGREGATE_SECONDS * 1_000_000_000L) {
            lastAggregate = now;
            out.printf("[%" + digits(tally.total()) + "d/%d] so far: %s, %d in flight, %d failed, %s%n", tally.ended(), tally.total(),
                    Format.bytes(tally.bytes()), tally.active().size(), tally.failed(), Format.rate(tally.bytes(), tally.elapsed()));
        }
    }

    @Override
    public void finish(Tally tally, Summary summary) {
        // --quiet: the count, not the figures about threads and memory (those are for people watching a run).
        summary.lines().stream().filter(line -> level != Level.QUIET || !line.startsWith("Threads: ") && !line.startsWith("Memory: "))
                .forEach(out::println);
        if (!tally.failures().isEmpty()) {
            out.println("Failed:");
            for (Event.Failed f : tally.failures()) {
                out.println(Terminal.safe("  " + f.job().url() + " -> " + f.job().name() + ": " + f.reason()));
            }
            if (tally.failed() > tally.failures().size()) {
                out.println("  ... and " + (tally.failed() - tally.failures().size()) + " more (a --manifest records every one)");
            }
        }
    }

    private static String name(java.nio.file.Path file) {
        return Terminal.safe(file.getFileName().toString());
    }

    private static int digits(int n) {
        return Integer.toString(n).length();
    }
}
