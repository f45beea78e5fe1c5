package dl;

import java.net.URI;
import java.util.Locale;

/**
 * 64-bit fingerprints of texts, so that a list of millions keeps 8 bytes a URL or a name instead of its text. Two
 * different texts share a fingerprint with a chance of about one in 2^64 a pair: for a list of n lines about
 * n^2 / 2^65, one in 37 million for a million lines. Not a cryptographic hash: nothing here is secret or adversarial.
 */
final class Fingerprint {

    /** Never a fingerprint: {@link FingerprintTable} marks its empty slots with it. */
    static final long NONE = 0;

    /** The fingerprint of a text, char by char. */
    static long of(CharSequence text) {
        long h = 0x9E3779B97F4A7C15L ^ text.length();
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * 0x100000001B3L;
            h ^= h >>> 29;
        }
        return finish(h);
    }

    /**
     * The fingerprint of a URL such that two URLs {@link URI#equals} calls equal share it: scheme and host in any
     * case, and {@code %xx} escapes with either case of hex digit, are the same URL.
     */
    static long of(URI url) {
        StringBuilder canonical = new StringBuilder(url.toString().length());
        canonical.append(lower(url.getScheme())).append("://");
        escapes(canonical, url.getRawUserInfo()).append('@');
        canonical.append(lower(url.getHost())).append(':').append(url.getPort());
        escapes(canonical, url.getRawPath()).append('?');
        escapes(canonical, url.getRawQuery()).append('#');
        escapes(canonical, url.getRawFragment());
        // Which parts were absent matters too: "a?" has an empty query, "a" none.
        canonical.append(url.getRawUserInfo() == null ? 'u' : 'U').append(url.getRawQuery() == null ? 'q' : 'Q')
                .append(url.getRawFragment() == null ? 'f' : 'F');
        return of(canonical);
    }

    private static String lower(String part) {
        return part == null ? "" : part.toLowerCase(Locale.ROOT);
    }

    /** The part with the hex digits of its escapes in upper case, as URI.equals compares them. */
    private static StringBuilder escapes(StringBuilder into, String part) {
        if (part == null) {
            return into;
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            into.append(c);
            if (c == '%' && i + 2 < part.length()) {
                into.append(Character.toUpperCase(part.charAt(i + 1))).append(Character.toUpperCase(part.charAt(i + 2)));
                i += 2;
            }
        }
        return into;
    }

    /** The finaliser of splitmix64: every input bit moves about half the output bits. Never {@link #NONE}. */
    private static long finish(long h) {
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        return h == NONE ? 1 : h;
    }

    private Fingerprint() {}
}
