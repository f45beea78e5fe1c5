package dl;

import java.nio.charset.Charset;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the response headers a resumable, polite download needs: Content-Range, Retry-After, Content-Disposition. */
final class ResponseHeaders {

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(?:(\\d+)-(\\d+)|\\*)/(\\d+|\\*)", Pattern.CASE_INSENSITIVE);

    /** First byte of a 206 answer, or -1 when its Content-Range is missing or unreadable. */
    static long rangeStart(String contentRange) {
        Matcher m = contentRange(contentRange);
        return m != null && m.group(1) != null ? decimal(m.group(1)) : -1;
    }

    /** Full length of the resource from Content-Range ({@code bytes a-b/TOTAL} or {@code bytes *}{@code /TOTAL}), or -1. */
    static long rangeTotal(String contentRange) {
        Matcher m = contentRange(contentRange);
        return m != null && !m.group(3).equals("*") ? decimal(m.group(3)) : -1;
    }

    /** A Content-Range whose every number fits in a long; a start of 10^20 is as unreadable as none. */
    private static Matcher contentRange(String value) {
        Matcher m = CONTENT_RANGE.matcher(value == null ? "" : value.strip());
        if (!m.matches()) {
            return null;
        }
        for (int group = 1; group <= 3; group++) {
            String number = m.group(group);
            if (number != null && !number.equals("*") && decimal(number) < 0) {
                return null;
            }
        }
        return m;
    }

    /**
     * A number a server sent: decimal digits only (no sign, no spaces), at most Long.MAX_VALUE; -1 for anything
     * else. Every number from a server is read through here, so none can throw.
     */
    static long decimal(String text) {
        if (text.isEmpty() || text.length() > 19) {
            return text.length() > 19 && text.chars().allMatch(c -> c == '0') ? 0 : -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
            if (value < 0) {
                return -1;
            }
        }
        return value;
    }

    /** Retry-After as a wait from {@code now}: delta-seconds or an HTTP-date; null when absent or unreadable. */
    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            long seconds = decimal(v);
            return seconds < 0 ? Duration.ofDays(1) : Duration.ofSeconds(seconds);
        }
        Instant at = Validators.httpDate(v, now); // any of the three formats of RFC 9110
        if (at == null) {
            return null;
        }
        Duration wait = Duration.between(now, at);
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    /**
     * The file name a Content-Disposition header offers, or null. {@code filename*} (RFC 6266 with RFC 5987's
     * {@code charset'lang'percent-encoded}) wins over {@code filename}. The result is not yet safe: callers sanitize.
     */
    static String filename(String header) {
        if (header == null) {
            return null;
        }
        String plain = null;
        String extended = null;
        for (String param : splitParams(header)) {
            int eq = param.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = param.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = param.substring(eq + 1).strip();
            if (key.equals("filename*")) {
                extended = decodeExtended(value);
            } else if (key.equals("filename")) {
                plain = unquote(value);
            }
        }
        String name = extended != null ? extended : plain;
        return name == null || name.isBlank() ? null : name;
    }

    /** Splits on semicolons that are not inside a quoted string. */
    private static java.util.List<String> splitParams(String header) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted && i + 1 < header.length()) {
                current.append(c).append(header.charAt(++i));
                continue;
            } else if (c == ';' && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        parts.add(current.toString());
        return parts;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
        }
        return value;
    }

    private static String decodeExtended(String value) {
        int first = value.indexOf('\'');
        int second = first < 0 ? -1 : value.indexOf('\'', first + 1);
        if (second < 0) {
            return null;
        }
        Charset charset;
        try {
            charset = Charset.forName(value.substring(0, first).strip());
        } catch (IllegalArgumentException unknown) {
            return null;
        }
        return UrlText.percentDecode(value.substring(second + 1), charset);
    }

    private ResponseHeaders() {}
}
