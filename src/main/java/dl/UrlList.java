package dl;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a URL list: one URL a line; blank lines and lines starting with {@code #} are skipped; an indented
 * {@code key=value} line under a URL is an option for it (aria2's format): {@code out=NAME},
 * {@code checksum=sha-256=HEX}, {@code header=Name: value}. A bad line is a {@link Problem} naming its line;
 * the good lines are kept.
 */
public final class UrlList {

    static final int MAX_LINE = 8192;
    /**
     * NUL bytes and no usable URL in this many characters: not a list but a binary file or a device, and the reading
     * stops there. /dev/zero has no line end at all and /dev/urandom a bad line every few hundred bytes, for ever;
     * a text list, however long and whatever its long lines, has no NUL.
     */
    static final int TEXT_PROBE = 1 << 16;
    static final List<String> OPTIONS = List.of("out", "checksum", "header");

    /** One good URL line with its options. {@code out} and {@code checksum} may be null. */
    public record Entry(int line, URI url, String out, Job.Checksum checksum, List<String> headers) {

        /** The entry as list lines again: its URL, then its options indented. */
        List<String> lines() {
            List<String> lines = new ArrayList<>(List.of(url.toString()));
            if (out != null) {
                lines.add("  out=" + out);
            }
            if (checksum != null) {
                lines.add("  checksum=" + checksum.algorithm().toLowerCase(Locale.ROOT) + "=" + checksum.hex());
            }
            headers.forEach(header -> lines.add("  header=" + header));
            return lines;
        }
    }

    /** A line that was not used, and why. Printed as {@code FILE:LINE: reason}, like a compiler does. */
    public record Problem(String source, int line, String reason) {
        @Override
        public String toString() {
            return source + ":" + line + ": " + reason;
        }
    }

    /** {@code binary}: the input held NUL bytes, so it is most likely not a text file at all. */
    public record Parsed(List<Entry> entries, List<Problem> problems, boolean binary) {}

    public static Parsed parse(InputStream in, String source) throws IOException {
        // Binary garbage becomes U+FFFD and then fails as a URL, with its line number, instead of stopping the read.
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (var reader = new InputStreamReader(in, decoder)) {
            return parse(reader, source);
        }
    }

    /**
     * Where a reading sends what it finds, as it finds it: a list of millions is never held. {@link #firstLine} is
     * asked once for each URL line that is a usable URL, in order, before its option lines are read.
     */
    interface Sink {
        /** What {@link #firstLine} says of a URL that is not the reader's to plan: its entry is read and dropped, unsaid. */
        int PASSED_OVER = -1;

        /** 0 when the URL is new to this list (and is now seen), else the line that had it first (or {@link #PASSED_OVER}). */
        int firstLine(URI url, int line);

        void entry(Entry entry);

        void problem(Problem problem);
    }

    static Parsed parse(Reader reader, String source) throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Map<URI, Integer> seen = new HashMap<>();
        boolean binary = read(reader, source, new Sink() {
            @Override
            public int firstLine(URI url, int line) {
                Integer first = seen.putIfAbsent(url, line);
                return first == null ? 0 : first;
            }

            @Override
            public void entry(Entry entry) {
                entries.add(entry);
            }

            @Override
            public void problem(Problem problem) {
                problems.add(problem);
            }
        });
        return new Parsed(entries, problems, binary);
    }

    /** Reads the list into {@code sink}; true when the input held NUL bytes (see {@link Parsed#binary}). */
    static boolean read(Reader reader, String source, Sink sink) throws IOException {
        Reading reading = new Reading(reader, source, sink);
        for (Entry entry; (entry = reading.next()) != null; ) {
            sink.entry(entry);
        }
        return reading.binary();
    }

    /**
     * One reading of a list, an entry at a time: the entries come from {@link #next}, everything else goes to the
     * sink as it is found ({@link Sink#entry} is not called). So a list of millions is read as its downloads are
     * forked, and never held.
     */
    static final class Reading {
        private final String source;
        private final Sink sink;
        private final Lines lines;
        private Builder current;
        private int number;
        private boolean binary;
        private boolean ended;
        private int entries;
        private int lastEntryLine;
        private int lastProblemLine;
        /** The entry this line completed: at most one a line, handed out once the line is read. */
        private Entry ready;

        /** Lines whose URL is not wanted: passed over unread, with the option lines under them. */
        private final java.util.function.IntPredicate unwanted;

        Reading(Reader reader, String source, Sink sink) {
            this(reader, source, sink, line -> false);
        }

        /**
         * {@code unwanted}: URL lines (by number) to pass over without reading the URL, for a reading that knows
         * already which entries it wants (the second reading of a shard's list wants one line in N).
         */
        Reading(Reader reader, String source, Sink sink, java.util.function.IntPredicate unwanted) {
            this.source = source;
            this.sink = sink;
            this.lines = new Lines(reader, MAX_LINE);
            this.unwanted = unwanted;
        }

        /** True when the input held NUL bytes; known at the end. */
        boolean binary() {
            return binary;
        }

        /** The next usable entry, or null at the end of the list (or where it turned out not to be text). */
        Entry next() throws IOException {
            while (!ended) {
                line();
                if (ready != null) {
                    Entry entry = ready;
                    ready = null;
                    return entry;
                }
            }
            return null;
        }

        private void line() throws IOException {
            String line = lines.next();
            if (line == null) {
                ended = true;
                binary = lines.sawNul();
                if (current != null && current.usable) {
                    entry(current.build());
                }
                return;
            }
            if (notText()) {
                return;
            }
            number++;
            if (number == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1); // a byte order mark, as some editors write: not part of the first URL
            }
            String text = line.strip();
            if (lines.longer()) {
                // Only this line is dropped: what it is, a comment, an option or a URL, its first characters tell.
                while (!lines.skip(TEXT_PROBE)) {
                    if (notText()) {
                        return;
                    }
                }
                if (text.isEmpty() || text.startsWith("#")) {
                    return;
                }
                if (Character.isWhitespace(line.charAt(0))) {
                    problem("option line is " + lines.length() + " characters long, more than " + MAX_LINE + "; ignored");
                    return;
                }
                if (current != null && current.usable) {
                    entry(current.build());
                }
                current = null;
                problem("line is " + lines.length() + " characters long, more than " + MAX_LINE + "; skipped");
            } else if (text.isEmpty() || text.startsWith("#")) {
                return;
            } else if (Character.isWhitespace(line.charAt(0))) {
                if (current == null) {
                    if (!lastUrlLineWasBad()) {
                        problem("indented option line '" + Format.keyOnly(text) + "' has no URL line above it");
                    }
                    return;
                }
                String trouble = current.option(text);
                if (trouble != null) {
                    problem(trouble);
                }
            } else {
                if (current != null && current.usable) {
                    entry(current.build());
                }
                current = null;
                if (unwanted.test(number)) {
                    entries++; // the first reading read it, and found the list text: so no NUL ends this one
                    return;
                }
                Checked checked = check(text);
                if (checked.trouble() != null) {
                    problem(checked.trouble());
                    return;
                }
                URI given = checked.url();
                // user:password@ becomes a header of this URL's own server: never shown, never sent elsewhere.
                String credentials = given.getRawUserInfo() == null ? null : authorization(given.getRawUserInfo());
                URI url = withoutUserInfo(given);
                int first = sink.firstLine(url, number);
                if (first != 0 && first != Sink.PASSED_OVER) {
                    problem("duplicate of line " + first + " (" + masked(text, given) + "); skipped");
                    return;
                }
                current = new Builder(number, url);
                // Another reader's URL: its option lines are still checked, as any list line is, and the entry dropped.
                current.usable = first != Sink.PASSED_OVER;
                if (!current.usable) {
                    entries++; // a URL, if not this reader's: text, for the NUL check
                }
                if (credentials != null) {
                    current.headers.add(credentials);
                }
            }
        }

        private void entry(Entry entry) {
            entries++;
            lastEntryLine = entry.line();
            ready = entry;
        }

        private void problem(String reason) {
            lastProblemLine = number;
            sink.problem(new Problem(source, number, reason));
        }

        /** Option lines under a rejected URL are not worth a second complaint. */
        private boolean lastUrlLineWasBad() {
            return lastProblemLine > lastEntryLine && lastProblemLine < number;
        }

        /** NUL bytes and nothing usable so far: the reading stops here. */
        private boolean notText() {
            if (lines.sawNul() && lines.position() > TEXT_PROBE && entries == 0 && current == null) {
                ended = true;
                binary = true;
                return true;
            }
            return false;
        }
    }

    /** A URL line read: the URL, or why it is not one we can fetch. */
    private record Checked(URI url, String trouble) {}

    /**
     * Reads a URL line once: a list of 100,000 lines is read by the main thread before the first download starts,
     * so this is on every run's critical path, and the text shown in a problem is made only for a problem.
     */
    private static Checked check(String text) {
        String trouble = null;
        for (int i = 0; i < text.length() && trouble == null; ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c < 0x20 || c == 0x7f || c == 0xfffd) {
                trouble = "' contains control characters or bytes that are not UTF-8; skipped";
            } else if (c >= 0x80 && Character.getType(c) == Character.FORMAT) {
                trouble = "' contains invisible formatting characters (like right-to-left marks); skipped";
            } else if (Character.isWhitespace(c)) {
                trouble = "' contains a space; write it as %20 or put one URL per line; skipped";
            }
        }
        if (trouble != null) {
            return new Checked(null, "'" + shown(text) + trouble);
        }
        URI url;
        try {
            url = new URI(asciiHost(text));
        } catch (URISyntaxException e) {
            return new Checked(null, "not a valid URL (" + e.getReason() + " at index " + e.getIndex() + "): " + shown(text) + "; skipped");
        }
        String why = trouble(url);
        return why == null ? new Checked(url, null) : new Checked(null, why + shown(text) + "; skipped");
    }

    private static String shown(String text) {
        return Format.shorten(UrlText.masked(text));
    }

    /** What is wrong with a well-formed URI as a download, or null; the message ends where the URL is shown. */
    private static String trouble(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute()) {
            return "not an absolute URL (it needs http:// or https://): ";
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "unsupported scheme '" + url.getScheme() + "' (only http and https): ";
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            return "no host in ";
        }
        if (url.getPort() == 0 || url.getPort() > 65535) {
            return "port " + url.getPort() + " is out of range (1-65535): ";
        }
        return null;
    }

    /**
     * The URL with an internationalised host name ({@code bücher.example}) in the ASCII form DNS knows
     * ({@code xn--bcher-kva.example}); any other text as it is.
     */
    static String asciiHost(String text) {
        int scheme = text.indexOf("://");
        if (scheme < 0) {
            return text;
        }
        int from = scheme + 3;
        int end = from;
        while (end < text.length() && "/?#".indexOf(text.charAt(end)) < 0) {
            end++;
        }
        String authority = text.substring(from, end);
        if (authority.chars().allMatch(c -> c < 0x80)) {
            return text;
        }
        int at = authority.lastIndexOf('@');
        String hostPort = authority.substring(at + 1);
        int colon = hostPort.lastIndexOf(':');
        String host = colon >= 0 ? hostPort.substring(0, colon) : hostPort;
        try {
            return text.substring(0, from) + authority.substring(0, at + 1) + IDN.toASCII(host)
                    + (colon >= 0 ? hostPort.substring(colon) : "") + text.substring(end);
        } catch (IllegalArgumentException notAName) {
            return text;
        }
    }

    /** A URL line that parsed, for a message: its own userinfo masked, exactly (its path may hold @ and its host a port). */
    private static String masked(String text, URI url) {
        String info = url.getRawUserInfo();
        int at = info == null ? -1 : text.indexOf(info + "@");
        if (at < 0) {
            return Format.shorten(info == null ? text : UrlText.masked(text));
        }
        int colon = info.indexOf(':');
        return Format.shorten(text.substring(0, at) + (colon < 0 ? "" : info.substring(0, colon + 1)) + "***" + text.substring(at + info.length()));
    }

    private static String authorization(String rawUserInfo) {
        int colon = rawUserInfo.indexOf(':');
        String user = UrlText.percentDecode(colon < 0 ? rawUserInfo : rawUserInfo.substring(0, colon));
        String password = colon < 0 ? "" : UrlText.percentDecode(rawUserInfo.substring(colon + 1));
        return "Authorization: " + Headers.basic(user, password);
    }

    private static URI withoutUserInfo(URI url) {
        if (url.getRawUserInfo() == null) {
            return url;
        }
        String text = url.toString();
        int at = text.indexOf('@', text.indexOf("://") + 3);
        return URI.create(text.substring(0, text.indexOf("://") + 3) + text.substring(at + 1));
    }


    /** Collects the option lines that follow one URL line. */
    private static final class Builder {
        final int line;
        final URI url;
        String out;
        Job.Checksum checksum;
        final List<String> headers = new ArrayList<>();
        boolean usable = true;

        Builder(int line, URI url) {
            this.line = line;
            this.url = url;
        }

        /** Applies one option line; returns what is wrong with it, or null. */
        String option(String text) {
            int eq = text.indexOf('=');
            String key = eq < 0 ? text : text.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : text.substring(eq + 1).strip();
            if (eq < 0 || !OPTIONS.contains(key)) {
                return "unknown option '" + Format.keyOnly(text) + "' for line " + line + " (known: out=NAME, checksum=TYPE=HEX, header=Name: value); ignored";
            }
            switch (key) {
                case "out" -> {
                    if (value.isEmpty() || value.contains("/") || value.contains("\\") || value.equals(".") || value.equals("..")) {
                        usable = false;
                        return "out='" + Format.shorten(value) + "' must be a plain file name without folders; the URL of line " + line + " is skipped";
                    }
                    out = value;
                }
                case "checksum" -> {
                    try {
                        checksum = Job.Checksum.parse(value);
                    } catch (IllegalArgumentException e) {
                        usable = false;
                        return e.getMessage() + "; the URL of line " + line + " is skipped";
                    }
                }
                default -> {
                    String trouble = Headers.trouble(value);
                    if (trouble != null) {
                        return trouble + "; ignored";
                    }
                    headers.add(value);
                }
            }
            return null;
        }

        Entry build() {
            return new Entry(line, url, out, checksum, headers);
        }
    }

    private UrlList() {}
}
