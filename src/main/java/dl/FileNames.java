package dl;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
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
     *
     * <p>It keeps a {@link Fingerprint} of each name's {@link TakenNames#key key}, not the name: 8 bytes a name, so a
     * list of millions can be planned in a few tens of megabytes. A name's part file, {@code NAME.part}, needs no
     * fingerprint of its own: no name ends in {@code .part}, so a part key can clash only with another part key, and
     * {@code key(A.part)} is {@code key(A) + ".part"} except where a Greek capital sigma changes its lower case
     * because a letter now follows it. Those rare names are tagged, and their part keys kept apart.
     */
    static final class Unique {
        /** Fingerprints of the names' keys; the lowest bit says whether the name's part key is odd (see above). */
        private final FingerprintTable names;
        /** The part keys, less ".part", of the odd names. */
        private final FingerprintTable oddParts = new FingerprintTable(16, false);
        private final TakenNames taken = new TakenNames(this::hasKey);
        /**
         * By the fingerprint of a wanted name: the last N it was given. Names are only ever added, so every lower N still
         * clashes: the next search starts above it, and a list of a million URLs that all want {@code download} is
         * planned in one try each, not in half a million. Only names numbered at least once are here.
         */
        private final FingerprintTable lastNumber = new FingerprintTable(16, true);

        Unique() {
            this(16);
        }

        /** {@code expected}: about how many names will be taken (it grows beyond). */
        Unique(long expected) {
            names = new FingerprintTable(expected, false);
        }

        String take(String wanted) {
            int n = number(wanted);
            return n == 0 ? wanted : numbered(wanted, n);
        }

        /** Takes the name {@link #take} would, and says which: 0 for {@code wanted} itself, else N of {@link #numbered}. */
        int number(String wanted) {
            long wants = Fingerprint.of(wanted);
            int last = lastNumber.get(wants);
            int n = last == FingerprintTable.MISSING ? 0 : last + 1;
            String name = n == 0 ? wanted : numbered(wanted, n);
            while (clash(name)) {
                name = numbered(wanted, ++n);
            }
            if (n > 0) {
                lastNumber.put(wants, n);
            }
            String key = TakenNames.key(name);
            String part = partKey(name);
            if (part.equals(key)) {
                names.add(tagged(key, 0));
            } else {
                names.add(tagged(key, 1));
                oddParts.add(Fingerprint.of(part));
            }
            return n;
        }

        /** Every name taken so far, and later: one object for the whole batch. */
        TakenNames taken() {
            return taken;
        }

        /** True when a name of this key was taken. */
        boolean hasKey(String key) {
            return names.contains(tagged(key, 0)) || names.contains(tagged(key, 1));
        }

        private boolean clash(String name) {
            String key = TakenNames.key(name);
            String part = partKey(name);
            // The name itself; or its part file: another name's part key equals it (an ordinary name of that key, or an odd one).
            return hasKey(key) || names.contains(tagged(part, 0)) || oddParts.size() > 0 && oddParts.contains(Fingerprint.of(part));
        }

        /** {@code key(name + ".part")} without its ".part": the key itself unless a capital sigma is in the name. */
        private static String partKey(String name) {
            if (name.indexOf('\u03A3') < 0) {
                return TakenNames.key(name);
            }
            String part = TakenNames.key(name + PART);
            return part.substring(0, part.length() - PART.length());
        }

        private static long tagged(String key, int tag) {
            long f = (Fingerprint.of(key) & ~1L) | tag;
            return f == Fingerprint.NONE ? 2 : f;
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
