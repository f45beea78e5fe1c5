package dl;

import java.time.Duration;
import java.util.Locale;

/** Numbers and errors for people: sizes in KiB/MiB/GiB, durations in s, rates per second, exception messages. */
final class Format {

    /** An exception's message, or its cause's, or at least its kind: never "null". */
    static String message(Throwable e) {
        String text = e.getMessage();
        if (text == null || text.isBlank()) {
            text = e.getCause() != null && e.getCause() != e ? message(e.getCause()) : e.getClass().getSimpleName();
        }
        return text;
    }

    /** At most 80 characters of a long text (a URL, a line of the list), for a message. */
    static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    /**
     * An option or header line for a message: its key or name up to the first {@code =}, {@code :} or space, the
     * rest as {@code ***}. Whatever its shape, the rest may be a token ({@code headr=Authorization: Bearer ...}).
     */
    static String keyOnly(String text) {
        int end = 0;
        while (end < text.length() && "=:".indexOf(text.charAt(end)) < 0 && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        return end == text.length() ? shorten(text) : shorten(text.substring(0, end + 1)) + "***";
    }

    static String bytes(long n) {
        if (n < 0) {
            return "?";
        }
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
    }

    static String rate(long bytes, Duration d) {
        double s = d.toNanos() / 1e9;
        return s <= 0 ? "?" : bytes((long) (bytes / s)) + "/s";
    }

    private Format() {}
}
