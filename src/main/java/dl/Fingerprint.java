package dl;

import java.net.URI;

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
        long h = SEED;
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * PRIME;
        }
        return finish(h ^ text.length());
    }

    private static final long SEED = 0x9E3779B97F4A7C15L;
    /** FNV-1a's 64-bit prime: one multiply a char. */
    private static final long PRIME = 0x100000001B3L;

    /**
     * The fingerprint of a URL such that two URLs {@link URI#equals} calls equal share it: scheme and host in any
     * case, and {@code %xx} escapes with either case of hex digit, are the same URL. Its parts are hashed as they
     * are, with a mark between them that says which are absent ("a?" has an empty query, "a" none).
     */
    static long of(URI url) {
        long h = SEED;
        h = part(h, url.getScheme(), true, 1);
        h = part(h, url.getRawUserInfo(), false, 2);
        h = part(h, url.getHost(), true, 3);
        h = (h ^ url.getPort()) * PRIME;
        h = part(h, url.getRawPath(), false, 4);
        h = part(h, url.getRawQuery(), false, 5);
        h = part(h, url.getRawFragment(), false, 6);
        return finish(h);
    }

    /** {@code lower}: with ASCII letters in lower case (a host, a scheme); else with the hex digits of its escapes in upper case. */
    private static long part(long h, String part, boolean lower, int mark) {
        if (part == null) {
            return (h ^ (0x100 + mark)) * PRIME;
        }
        int hex = 0; // hex digits still to come of the escape being read
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (lower) {
                c = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c; // ASCII only, as URI.equals compares hosts
            } else if (hex > 0) {
                c = c >= 'a' && c <= 'f' ? (char) (c - 32) : c;
                hex--;
            } else if (c == '%') {
                hex = 2;
            }
            h = (h ^ c) * PRIME;
        }
        return (h ^ (0x200 + mark)) * PRIME;
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
