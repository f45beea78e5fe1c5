package dl;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * {@code --shard I/N}: this process downloads the URLs whose shard is I, and leaves the rest to N-1 others.
 *
 * <p>The shard of a URL is the first 8 bytes of the SHA-256 of its text (UTF-8), read as an unsigned big-endian
 * number, modulo N. The text is the URL as Download.java fetches it and {@code --dry-run} prints it: host in ASCII,
 * no {@code user:password@}; and in the normal form of {@link #text}. A hash of the URL alone, not of its line number, so that adding lines to a list never
 * moves a URL to another shard; SHA-256, so that any language (or {@code sha256sum}) computes the same shard.
 */
record Shard(int index, int count) {

    Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("--shard I/N needs 0 <= I < N, not " + index + "/" + count);
        }
    }

    /** Parses {@code I/N}; throws IllegalArgumentException with a message fit for the user. */
    static Shard parse(String text) {
        int slash = text.indexOf('/');
        try {
            return new Shard(Integer.parseInt(text.substring(0, Math.max(slash, 0)).strip()),
                    Integer.parseInt(text.substring(slash + 1).strip()));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("--shard takes I/N, like 3/10 (shard 3 of 10, counted from 0), not '" + text + "'");
        }
    }

    /** The shard of a URL among {@code count}. */
    static int of(URI url, int count) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text(url).getBytes(StandardCharsets.UTF_8));
            return (int) Long.remainderUnsigned(ByteBuffer.wrap(digest).getLong(), count);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /**
     * The text hashed: the URL with its scheme and host in lower case and the hex digits of its {@code %} escapes in
     * upper case (RFC 3986's normal form, and what {@link URI#equals} ignores), so that two spellings of one URL, which
     * a list counts once, fall in one shard. Most URLs are written so already, and hash as they are written.
     */
    static String text(URI url) {
        String text = url.toString();
        char[] chars = null;
        int start = text.indexOf("://");
        int authorityEnd = text.length();
        for (int i = start < 0 ? 0 : start + 3; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                authorityEnd = i;
                break;
            }
        }
        for (int i = 0, hex = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char normal = c;
            if (i < authorityEnd) {
                normal = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
            } else if (hex > 0) {
                normal = c >= 'a' && c <= 'f' ? (char) (c - 32) : c;
                hex--;
            } else if (c == '%') {
                hex = 2;
            }
            if (normal != c) {
                if (chars == null) {
                    chars = text.toCharArray();
                }
                chars[i] = normal;
            }
        }
        return chars == null ? text : new String(chars);
    }

    /** The jobs of this shard, planned names and ids unchanged. */
    List<Job> select(List<Job> jobs) {
        return jobs.stream().filter(job -> of(job.url(), count) == index).toList();
    }

    /** As manifest names and logs show it: {@code 00003-of-00010}. */
    String label() {
        return String.format(java.util.Locale.ROOT, "%05d-of-%05d", index, count);
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
