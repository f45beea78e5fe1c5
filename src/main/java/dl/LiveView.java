package dl;


import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The terminal view: one aggregate line and a bar for each of the most active downloads, redrawn in place
 * at most ten times a second. Failures and retries are printed above it and scroll; the summary replaces it.
 * What is drawn is {@link #frame}, a function of the tally alone, so it can be tested at a fixed width.
 */
final class LiveView implements View {

    static final int BARS = 8;
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final String CLEAR_LINE = "\033[2K";
    private static final String CLEAR_BELOW = "\033[J";
    /** Shown at the end all the same: an earlier version hid it, and a terminal may still have it hidden. */
    private static final String SHOW_CURSOR = "\033[?25h";

    private final PrintStream out;
    private final int width;
    private final boolean colour;
    /** (time, bytes) samples of the last few seconds, for a speed that follows changes. */
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();
    private int drawnLines;
    private long lastDraw;

    LiveView(PrintStream out, int width, boolean colour) {
        this.out = out;
        this.width = width;
        this.colour = colour;
    }

    @Override
    public void show(Event event, Tally tally) {
        switch (event) {
            case Event.Started s -> { }
            case Event.Segmented s -> { }
            case Event.Progress p -> { }
            case Event.Waiting w -> { }
            case Event.Completed c -> { }
            case Event.UpToDate u -> { } // a mirror's rerun has thousands: the summary counts them
            case Event.Retrying r -> above(tally, paint("retry", YELLOW) + " " + Terminal.safe(r.job().name() + ": " + r.reason())
                    + "; attempt " + (r.attempt() + 1) + " in " + Format.seconds(r.delay()));
            case Event.Failed f when f.kind() == Failure.INTERRUPTED -> { }
            case Event.Failed f -> above(tally, paint("FAILED", RED) + " " + Terminal.safe(f.job().url() + ": " + f.reason()));
            case Event.Skipped s -> above(tally, "skipped " + Terminal.safe(s.file().getFileName() + ": " + s.why()));
        }
    }

    @Override
    public void tick(Tally tally) {
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS) {
            draw(tally, now);
        }
    }

    @Override
    public void finish(Tally tally, Summary summary) {
        StringBuilder screen = new StringBuilder(erase());
        summary.lines().forEach(line -> screen.append(line).append('\n'));
        for (Event.Failed f : tally.failures()) {
            screen.append("  ").append(paint("failed", RED)).append(' ').append(Terminal.safe(f.job().url() + ": " + f.reason())).append('\n');
        }
        if (tally.failed() > tally.failures().size()) {
            screen.append("  ... and ").append(tally.failed() - tally.failures().size()).append(" more (a --manifest records every one)\n");
        }
        out.print(screen.append(SHOW_CURSOR));
        out.flush();
    }

    /** Prints a line that stays, above the live area. */
    private void above(Tally tally, String line) {
        out.print(erase() + line + "\n");
        draw(tally, System.nanoTime());
    }

    private void draw(Tally tally, long now) {
        samples.addLast(new long[] {now, tally.bytes()});
        while (samples.size() > 2 && now - samples.peekFirst()[0] > 3_000_000_000L) {
            samples.removeFirst();
        }
        long[] first = samples.peekFirst();
        double speed = now - first[0] < 200_000_000L ? 0 : (tally.bytes() - first[1]) * 1e9 / (now - first[0]);
        List<String> lines = frame(tally, width, speed, now);
        // The cursor is never hidden: a run that ends in a crash or a second Ctrl-C could not show it again.
        StringBuilder screen = new StringBuilder(erase());
        for (String line : lines) {
            screen.append(CLEAR_LINE).append(colour ? colourise(line) : line).append('\n');
        }
        out.print(screen);
        out.flush();
        drawnLines = lines.size();
        lastDraw = now;
    }

    /** Moves back to the top of the live area and clears it. */
    private String erase() {
        String up = drawnLines == 0 ? "" : "\033[" + drawnLines + "F";
        drawnLines = 0;
        return up + CLEAR_BELOW;
    }

    /**
     * The live area: an aggregate line, then one bar per download, the fastest first. Every line is at most
     * {@code width - 1} characters, so the terminal never wraps it.
     */
    static List<String> frame(Tally t, int width, double bytesPerSecond, long nowNanos) {
        List<String> lines = new ArrayList<>();
        String eta = "";
        if (t.ended() > 0 && t.ended() < t.total()) {
            long etaSeconds = t.elapsed().toSeconds() * (t.total() - t.ended()) / t.ended();
            eta = "  ETA " + clock(etaSeconds);
        }
        String failed = t.failed() > 0 ? "  " + t.failed() + " failed" : "";
        lines.add(fit(String.format(Locale.ROOT, "%d/%d files%s  %s  %s/s%s  %s threads: %d live",
                t.ended(), t.total(), failed, Format.bytes(t.bytes()), Format.bytes((long) bytesPerSecond), eta,
                t.threads().name().toLowerCase(Locale.ROOT), t.live()), width));
        List<Tally.Active> fastest = t.active().stream()
                .sorted(Comparator.comparingDouble((Tally.Active a) -> a.speed(nowNanos)).reversed())
                .limit(BARS).toList();
        for (Tally.Active a : fastest) {
            lines.add(bar(a, width, nowNanos, t.waiting().containsKey(a.job().id())));
        }
        int hidden = t.active().size() - fastest.size();
        if (hidden > 0) {
            lines.add(fit("  ... and " + hidden + " more in flight", width));
        }
        if (!t.waiting().isEmpty()) {
            // Waiting is not stalling: a download held back by --per-host, --wait or Retry-After says so.
            lines.add(fit("  " + t.waiting().size() + " waiting: " + t.waiting().values().iterator().next(), width));
        }
        return lines;
    }

    /**
     * {@code name [=====     ]  42%  1.2 MiB/s}; without a length, the bytes instead of bar and percent; a download
     * that waits before its next request shows "waiting" instead of its speed.
     */
    static String bar(Tally.Active a, int width, long nowNanos, boolean waiting) {
        String speed = waiting ? "waiting" : Format.bytes((long) a.speed(nowNanos)) + "/s";
        int usable = width - 1;
        if (a.length() <= 0) {
            String tail = "  " + Format.bytes(a.bytes()) + "  " + speed;
            return fit("  " + name(a, Math.max(8, usable - tail.length() - 2)).stripTrailing() + tail, width);
        }
        int percent = (int) Math.min(100, a.bytes() * 100 / a.length());
        String tail = String.format(Locale.ROOT, " %3d%%  %10s", percent, speed);
        int nameWidth = Math.min(30, Math.max(8, usable / 3));
        int barWidth = usable - 2 - nameWidth - 3 - tail.length();
        if (barWidth < 5) {
            return fit("  " + name(a, usable - tail.length() - 2).stripTrailing() + tail, width);
        }
        int filled = barWidth * percent / 100;
        return fit("  " + name(a, nameWidth) + " [" + "=".repeat(filled) + " ".repeat(barWidth - filled) + "]" + tail, width);
    }

    /** The name, cut to {@code max} columns (a wide character takes two) and padded to them. */
    private static String name(Tally.Active a, int max) {
        String name = Terminal.safe(a.file().getFileName().toString());
        if (Terminal.columns(name) > max) {
            name = Terminal.cut(name, Math.max(1, max - 1)) + "~";
        }
        return name + " ".repeat(Math.max(0, max - Terminal.columns(name)));
    }

    /** At most {@code width - 1} columns, so the terminal never wraps the line. */
    static String fit(String line, int width) {
        return Terminal.columns(line) < width ? line : Terminal.cut(line, Math.max(0, width - 2)) + "~";
    }

    private static String clock(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds / 60 % 60)
                : seconds >= 60 ? String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60) : seconds + "s";
    }

    private static final String RED = "31";
    private static final String YELLOW = "33";
    private static final String GREEN = "32";

    private String paint(String text, String code) {
        return colour ? "\033[" + code + "m" + text + "\033[0m" : text;
    }

    private String colourise(String line) {
        return line.replaceFirst("\\[(=+)", "[\033[" + GREEN + "m$1\033[0m")
                .replaceFirst("(\\d+ failed)", "\033[" + RED + "m$1\033[0m");
    }
}
