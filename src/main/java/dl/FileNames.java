package dl;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
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
        return sanitize(UrlText.percentDecode(path.substring(path.lastIndexOf('/') + 1)));
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

    /** The name a list entry asks for: its {@code out=}, made safe, or else the URL's own name. */
    static String wanted(URI url, String out) {
        return out != null ? sanitizeOrFallback(out) : fromUrl(url);
    }

    /**
     * Names a batch, one wanted name after another: each gets a name that no earlier one has, and whose {@code .part}
     * name is no other's either. The first keeps the plain name.
     */
    static final class Unique {
        private final Set<String> taken = new HashSet<>();
        private final TakenNames names = new TakenNames(taken);

        String take(String wanted) {
            String name = wanted;
            for (int n = 1; clash(name); n++) {
                name = numbered(wanted, n);
            }
            taken.add(TakenNames.key(name));
            taken.add(TakenNames.key(name + PART));
            return name;
        }

        /** Every name taken so far, and later: one object for the whole batch. */
        TakenNames taken() {
            return names;
        }

        private boolean clash(String name) {
            return taken.contains(TakenNames.key(name)) || taken.contains(TakenNames.key(name + PART));
        }
    }

    private static String sanitizeOrFallback(String raw) {
        String s = sanitize(raw);
        return s.isEmpty() ? FALLBACK : s;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private FileNames() {}
}
