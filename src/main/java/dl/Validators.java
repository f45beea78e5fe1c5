package dl;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a server says about the version of a resource, its {@code ETag} and its {@code Last-Modified}, read
 * strictly (RFC 9110 8.8): the tool sends them back in {@code If-None-Match} and {@code If-Modified-Since}, and
 * keeps them on published files and in manifests, so text that is not a validator is dropped here, once, rather
 * than sent on or saved. Pure functions of the text and a clock, tested without a server.
 *
 * @param etag         the entity tag, or null when the server sent none (or one that is not an entity tag)
 * @param lastModified the modification time, or null when absent, unreadable, or absurd (see {@link #lastModified})
 */
record Validators(ETag etag, Instant lastModified) {

    static final Validators NONE = new Validators(null, null);

    /** Longer than any tag a server needs (hashes, inode-size-time triples); a longer one is dropped, not sent back. */
    static final int MAX_ETAG = 512;

    /** A Last-Modified later than this past the clock is a server's clock or a lie: not a time to give a file. */
    static final Duration FUTURE_SLACK = Duration.ofDays(1);

    /** Before this, a time is garbage or a placeholder (0, -1), not when a file was made. */
    static final Instant EARLIEST = Instant.EPOCH;

    /** The validators of an answer's headers ({@code null} where a header is absent), read at {@code now}. */
    static Validators of(String etag, String lastModified, Instant now) {
        return etag == null && lastModified == null ? NONE : new Validators(ETag.parse(etag), lastModified(lastModified, now));
    }

    boolean none() {
        return etag == null && lastModified == null;
    }

    /**
     * An entity tag, as sent: {@code "xyzzy"} or, weak, {@code W/"xyzzy"}. Weak tags are fine for If-None-Match
     * (weak comparison), never for If-Range: {@link Http.Response#validator} keeps that rule.
     */
    record ETag(String value) {

        boolean weak() {
            return value.startsWith("W/");
        }

        /**
         * The entity tag of a header or saved attribute, or null: {@code [W/]"etagc*"} with etagc any visible
         * ASCII but {@code "}, at most {@link #MAX_ETAG} characters. No space, no control character, and none of
         * RFC 9110's obsolete bytes above 0x7f (which would change in being saved as UTF-8): what is read back from
         * a file's attribute goes into a request header.
         */
        static ETag parse(String text) {
            if (text == null) {
                return null;
            }
            String v = text.strip();
            if (v.length() > MAX_ETAG) {
                return null;
            }
            int open = v.startsWith("W/") ? 2 : 0;
            if (v.length() < open + 2 || v.charAt(open) != '"' || v.charAt(v.length() - 1) != '"') {
                return null;
            }
            for (int i = open + 1; i < v.length() - 1; i++) {
                char c = v.charAt(i);
                boolean etagc = c == 0x21 || c >= 0x23 && c <= 0x7e;
                if (!etagc) {
                    return null;
                }
            }
            return new ETag(v);
        }
    }

    /**
     * A Last-Modified worth believing, or null: an HTTP-date ({@link #httpDate}) no earlier than 1970 and no
     * later than a day past {@code now}. A hostile or broken server's far-future or garbage date is ignored, so it
     * can neither crash a download nor date a file to the year 9999 (which would make every later
     * If-Modified-Since answer "not modified").
     */
    static Instant lastModified(String header, Instant now) {
        Instant at = httpDate(header, now);
        return at == null || at.isBefore(EARLIEST) || at.isAfter(now.plus(FUTURE_SLACK)) ? null : at;
    }

    private static final List<String> MONTHS = List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");
    private static final List<String> DAYS = List.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun");
    private static final List<String> LONG_DAYS = List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");


    /** The grammars, compiled on the first date read: a run whose servers send none never pays for them. */
    private static final class Grammar {
        /**
         * {@code Sun, 06 Nov 1994 08:49:37 GMT}: what every server should send, and what we send. A one-digit day
         * ({@code 6 Nov}) is read too: the JDK's RFC 1123 formatter, and so some servers, write it.
         */
        static final Pattern IMF_FIXDATE = Pattern.compile("([A-Za-z]{3}), (\\d{1,2}) ([A-Za-z]{3}) (\\d{4}) (\\d{2}):(\\d{2}):(\\d{2}) GMT");
        /** {@code Sunday, 06-Nov-94 08:49:37 GMT}: obsolete, with a two-digit year. */
        static final Pattern RFC_850 = Pattern.compile("([A-Za-z]{6,9}), (\\d{1,2})-([A-Za-z]{3})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2}) GMT");
        /** {@code Sun Nov  6 08:49:37 1994}: C's asctime(), obsolete. */
        static final Pattern ASCTIME = Pattern.compile("([A-Za-z]{3}) ([A-Za-z]{3}) ([ \\d]\\d) (\\d{2}):(\\d{2}):(\\d{2}) (\\d{4})");
    }

    /**
     * An HTTP-date in any of RFC 9110's three formats (5.6.7: recipients must accept all three), or null. Names of
     * days and months are matched case-sensitively, as the grammar spells them; the day of the week is checked
     * to be a day's name, not that it is the right one (servers get it wrong, the date is what counts). A leap
     * second (:60) counts as :59. {@code now} decides the century of RFC 850's two-digit year: one more than 50
     * years ahead is the most recent past year with those digits.
     */
    static Instant httpDate(String text, Instant now) {
        if (text == null || text.length() > 64) {
            return null;
        }
        String v = text.strip();
        Matcher m;
        if ((m = Grammar.IMF_FIXDATE.matcher(v)).matches() && DAYS.contains(m.group(1))) {
            return at(Integer.parseInt(m.group(4)), m.group(3), m.group(2), m.group(5), m.group(6), m.group(7));
        }
        if ((m = Grammar.RFC_850.matcher(v)).matches() && LONG_DAYS.contains(m.group(1))) {
            int thisYear = LocalDateTime.ofInstant(now, ZoneOffset.UTC).getYear();
            int year = thisYear / 100 * 100 + Integer.parseInt(m.group(4));
            while (year > thisYear + 50) {
                year -= 100;
            }
            while (year <= thisYear - 50) {
                year += 100;
            }
            return at(year, m.group(3), m.group(2), m.group(5), m.group(6), m.group(7));
        }
        if ((m = Grammar.ASCTIME.matcher(v)).matches() && DAYS.contains(m.group(1))) {
            return at(Integer.parseInt(m.group(7)), m.group(2), m.group(3).strip(), m.group(4), m.group(5), m.group(6));
        }
        return null;
    }

    private static Instant at(int year, String month, String day, String hour, String minute, String second) {
        int mon = MONTHS.indexOf(month) + 1;
        int h = Integer.parseInt(hour), min = Integer.parseInt(minute), s = Integer.parseInt(second);
        if (mon == 0 || h > 23 || min > 59 || s > 60) {
            return null;
        }
        try {
            return LocalDate.of(year, mon, Integer.parseInt(day)).atTime(h, min, Math.min(s, 59)).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException noSuchDay) {
            return null; // 31 Feb, 00 Jan
        }
    }

    /**
     * {@code at} as an IMF-fixdate, the one format an HTTP-date is sent in; to the second, rounded down. Written by
     * hand: a DateTimeFormatter with day and month names costs 80-180 ms of CPU the first time in a fresh JVM
     * of the tool's options (its locale data), on a download's thread, while {@link HostWindow} judges the
     * first answers.
     */
    static String httpDate(Instant at) {
        LocalDateTime t = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
        return DAYS.get(t.getDayOfWeek().ordinal()) + ", " + two(t.getDayOfMonth()) + " " + MONTHS.get(t.getMonthValue() - 1) + " "
                + t.getYear() + " " + two(t.getHour()) + ":" + two(t.getMinute()) + ":" + two(t.getSecond()) + " GMT";
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }
}
