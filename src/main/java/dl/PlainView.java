package dl;

import dl.Download.Event;

import java.io.PrintStream;

/** One line per event worth a line, no escape codes, no carriage returns: for logs, pipes and CI. */
final class PlainView implements View {

    private final PrintStream out;

    PlainView(PrintStream out) {
        this.out = out;
    }

    @Override
    public void show(Event event, Tally tally) {
        String count = String.format("[%" + digits(tally.total) + "d/%d]", tally.ended(), tally.total);
        switch (event) {
            case Event.Started s -> out.printf("%s started   %s (%s)%n", count, s.file().getFileName(),
                    s.length() < 0 ? "length unknown" : Format.bytes(s.length()));
            case Event.Progress p -> { }
            case Event.Retrying r -> out.printf("%s retrying  %s: %s; attempt %d again in %s%n", count,
                    r.job().name(), r.reason(), r.attempt() + 1, Format.seconds(r.delay()));
            case Event.Completed c -> out.printf("%s done      %s %s in %s%n", count, c.file().getFileName(),
                    Format.bytes(c.bytes()), Format.seconds(c.elapsed()));
            case Event.Failed f -> out.printf("%s FAILED    %s: %s%n", count, f.job().url(), f.reason());
            case Event.Skipped s -> out.printf("%s skipped   %s: %s%n", count, s.file().getFileName(), s.why());
        }
    }

    @Override
    public void finish(Tally tally, Summary summary) {
        summary.lines().forEach(out::println);
        if (!tally.failures.isEmpty()) {
            out.println("Failed:");
            for (Event.Failed f : tally.failures) {
                out.println("  " + f.job().url() + " -> " + f.job().name() + ": " + f.reason());
            }
        }
    }

    private static int digits(int n) {
        return Integer.toString(n).length();
    }
}
