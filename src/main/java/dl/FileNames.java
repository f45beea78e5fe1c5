package dl;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns URLs and server-given names into safe file names, and gives every download of a batch its own.
 *
 * <p>Safe means: one path segment (no separators, never {@code .} or {@code ..}), no control characters,
 * at most {@value #MAX_BYTES} bytes of UTF-8, not a Windows device name, and never a name that ends in
 * {@code .part} (those are ours, for unfinished files).
 */
public final class FileNames {

    static final int MAX_BYTES = 200;
    static final String PART = ".part";
    static final String FALLBACK = "index.html";
    private static final Pattern WINDOWS_DEVICE = Pattern.compile("(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9])(\\..*)?");

    /** The last path segment of the URL, percent-decoded, made safe; {@value #FALLBACK} when there is none. */
    public static String fromUrl(URI url) {
        String name = urlName(url);
        return name.isEmpty() ? FALLBACK : name;
    }

    /** True when the URL itself names a file; otherwise a Content-Disposition name is worth more. */
    static boolean urlHasName(URI url) {
        return !urlName(url).isEmpty();
    }

    private static String urlName(URI url) {
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        return sanitize(percentDecode(path.substring(path.lastIndexOf('/') + 1)));
    }

    /** What follows the last {@code /} or {@code \\}: a server-given path counts only by its last part. */
    static String lastSegment(String path) {
        return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    }

    /** Makes any string a safe single file name, or "" when nothing usable is left. */
    public static String sanitize(String raw) {
        StringBuilder name = new StringBuilder();
        raw.codePoints().forEach(c -> {
            if (c == '/' || c == '\\') {
                name.append('_');
            } else if (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0) && c != 0xfffd
                    && Character.getType(c) != Character.FORMAT) {
                // FORMAT drops invisible characters such as U+202E, which would show "gpj.exe" as "exe.jpg".
                name.appendCodePoint(c);
            }
        });
        String s = name.toString();
        if (WINDOWS_DEVICE.matcher(trimDots(s)).matches()) {
            s = "_" + trimDots(s);
        }
        return truncate(s);
    }

    /**
     * The safe name a Content-Disposition header offers, or null: none offered, nothing usable left, or one with
     * invisible formatting characters (refused, as in a URL). Only its last path segment counts.
     */
    static String fromServer(String contentDisposition) {
        String offered = ResponseHeaders.filename(contentDisposition);
        if (offered == null || hasFormatCharacters(offered)) {
            return null;
        }
        String name = sanitize(lastSegment(offered));
        return name.isEmpty() ? null : name;
    }

    /** True when a server-chosen name holds invisible formatting characters: it is refused, as in a URL. */
    static boolean hasFormatCharacters(String name) {
        return name.codePoints().anyMatch(c -> Character.getType(c) == Character.FORMAT);
    }

    /**
     * Shortens to MAX_BYTES of UTF-8, keeping a short extension, and ends the rules every name must keep:
     * leading dots would hide the file (or climb out with ".."), trailing dots and spaces break on Windows, and
     * a name ending in {@code .part} could be another download's part file. Shortening can undo each of these
     * (a cut can end on a dot or on ".part"), so they are checked on the result.
     */
    static String truncate(String s) {
        s = trimDots(s);
        int dot = s.lastIndexOf('.');
        String ext = dot > 0 && s.length() - dot <= 16 ? s.substring(dot) : "";
        String stem = s.substring(0, s.length() - ext.length());
        if (ext.toLowerCase(Locale.ROOT).equals(PART)) {
            ext += "_";
        }
        while (true) {
            String candidate = trimDots(stem + ext);
            if (candidate.toLowerCase(Locale.ROOT).endsWith(PART)) {
                candidate += "_";
            }
            if (candidate.isEmpty() || utf8Length(candidate) <= MAX_BYTES) {
                return candidate;
            }
            stem = stem.isEmpty() ? "" : stem.substring(0, stem.offsetByCodePoints(stem.length(), -1));
            if (stem.isEmpty()) {
                ext = ext.substring(0, ext.offsetByCodePoints(ext.length(), -1));
            }
        }
    }

    /** Without the dots and white space at either end. */
    private static String trimDots(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == '.' || Character.isWhitespace(s.charAt(from)))) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == '.' || Character.isWhitespace(s.charAt(to - 1)))) {
            to--;
        }
        return s.substring(from, to);
    }

    /**
     * {@code name.ext} becomes {@code name.N.ext} (aria2's rule; a name without a dot gets {@code .N}). A name at
     * the length limit gives up the end of its stem, never the number: each N is a different name.
     */
    static String numbered(String name, int n) {
        int dot = name.lastIndexOf('.');
        boolean keepExt = dot > 0 && name.length() - dot <= 16;
        String stem = keepExt ? name.substring(0, dot) : name;
        String tail = "." + n + (keepExt ? name.substring(dot) : "");
        while (!stem.isEmpty() && utf8Length(stem + tail) > MAX_BYTES) {
            stem = stem.substring(0, stem.offsetByCodePoints(stem.length(), -1));
        }
        return truncate(stem + tail);
    }

    /**
     * Plans the batch: every entry becomes a job whose name no other job of the batch has, and whose
     * {@code .part} name is no other job's name either. The first URL keeps the plain name.
     */
    public static List<Job> plan(List<UrlList.Entry> entries) {
        Set<String> taken = new HashSet<>();
        Planned planned = new Planned(taken);
        List<Job> jobs = new ArrayList<>(entries.size());
        for (UrlList.Entry entry : entries) {
            String wanted = entry.out() != null ? sanitizeOrFallback(entry.out()) : fromUrl(entry.url());
            String name = wanted;
            for (int n = 1; clash(name, taken); n++) {
                name = numbered(wanted, n);
            }
            taken.add(key(name));
            taken.add(key(name + PART));
            jobs.add(new Job(jobs.size() + 1, entry.url(), name, entry.checksum(), entry.headers(), null, planned));
        }
        return jobs;
    }

    /**
     * The names a plan gave its jobs, for the whole list (also when a run downloads only a shard of it): a name
     * the server chooses later must not take one of them, or the list's own URL would lose its name. Read-only once
     * planned; shared by every job of the plan, so equal only to itself.
     */
    public static final class Planned {
        /** A job planned on its own: there is no other name to keep free. */
        static final Planned NONE = new Planned(Set.of());

        private final Set<String> keys;

        private Planned(Set<String> keys) {
            this.keys = keys;
        }

        /** True when the plan gave {@code name} (or a name a case-insensitive file system would merge with it) to a job other than {@code job}. */
        boolean forAnother(String name, Job job) {
            String key = key(name);
            return keys.contains(key) && !key.equals(key(job.name()));
        }

        @Override
        public String toString() {
            return "the plan's names";
        }
    }

    private static boolean clash(String name, Set<String> taken) {
        return taken.contains(key(name)) || taken.contains(key(name + PART));
    }

    /** Case-folded, so two names that one case-insensitive file system would merge count as one. */
    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static String sanitizeOrFallback(String raw) {
        String s = sanitize(raw);
        return s.isEmpty() ? FALLBACK : s;
    }

    /** Percent-decoding as UTF-8; {@code +} stays a plus (it is a space only in query strings). */
    static String percentDecode(String s) {
        return percentDecode(s, StandardCharsets.UTF_8);
    }

    static String percentDecode(String s, java.nio.charset.Charset charset) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); ) {
            if (s.charAt(i) == '%' && i + 2 < s.length()
                    && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                bytes.write(Integer.parseInt(s, i + 1, i + 3, 16));
                i += 3;
            } else {
                int c = s.codePointAt(i);
                bytes.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c);
            }
        }
        return bytes.toString(charset);
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private FileNames() {}
}
