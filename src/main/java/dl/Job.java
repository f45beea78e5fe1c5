package dl;

import java.net.URI;
import java.util.List;

/**
 * One download, planned on the main thread before any thread starts: what to fetch, under which name,
 * and the per-URL options from the list.
 *
 * @param id       position in the batch, from 1
 * @param url      an absolute http or https URL
 * @param name     the file name in the output folder, already safe and unique within the batch
 * @param checksum the digest the file must have, or null
 * @param headers  extra request headers, as "Name: value"
 * @param earlier  what an earlier run's --manifest recorded for this URL, or null
 * @param planned  the names the plan gave every job of the list: a name the server chooses must leave them free
 */
public record Job(int id, URI url, String name, Checksum checksum, List<String> headers, Earlier earlier,
                  TakenNames planned) {

    public Job {
        headers = List.copyOf(headers);
    }

    /** A job planned on its own, with no other job's name to keep free. */
    public Job(int id, URI url, String name, Checksum checksum, List<String> headers, Earlier earlier) {
        this(id, url, name, checksum, headers, earlier, TakenNames.NONE);
    }

    Job withEarlier(Earlier entry) {
        return new Job(id, url, name, checksum, headers, entry, planned);
    }

    /** A digest given as aria2 writes it: {@code sha-256=HEX}. */
    public record Checksum(String algorithm, String hex) {

        static final String SHA_256 = "SHA-256";

        /** The hex digest of all a file channel holds, read from its start by position (its own position stays). */
        static String hexDigest(String algorithm, java.nio.channels.FileChannel channel) throws java.io.IOException {
            try {
                var digest = java.security.MessageDigest.getInstance(algorithm);
                var buffer = java.nio.ByteBuffer.allocate(1 << 16);
                for (long at = 0; ; ) {
                    int n = channel.read(buffer.clear(), at);
                    if (n < 0) {
                        break;
                    }
                    digest.update(buffer.flip());
                    at += n;
                }
                return java.util.HexFormat.of().formatHex(digest.digest());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK always has " + algorithm, e);
            }
        }

        /** Our spelling to the JDK's MessageDigest names. */
        static String jdkName(String type) {
            return switch (type.toLowerCase(java.util.Locale.ROOT)) {
                case "md5" -> "MD5";
                case "sha-1", "sha1" -> "SHA-1";
                case "sha-256", "sha256" -> SHA_256;
                case "sha-512", "sha512" -> "SHA-512";
                default -> null;
            };
        }

        /** Parses {@code TYPE=HEX}; throws IllegalArgumentException with a message fit for the user. */
        static Checksum parse(String spec) {
            int eq = spec.indexOf('=');
            String type = eq < 0 ? "" : spec.substring(0, eq).trim();
            String hex = eq < 0 ? "" : spec.substring(eq + 1).trim().toLowerCase(java.util.Locale.ROOT);
            String algorithm = jdkName(type);
            if (algorithm == null) {
                throw new IllegalArgumentException("checksum needs TYPE=HEX with TYPE one of md5, sha-1, sha-256, sha-512, not '" + spec + "'");
            }
            int expected = switch (algorithm) {
                case "MD5" -> 32;
                case "SHA-1" -> 40;
                case "SHA-256" -> 64;
                default -> 128;
            };
            if (hex.length() != expected || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new IllegalArgumentException("a " + type + " checksum is " + expected + " hex digits, not '" + hex + "'");
            }
            return new Checksum(algorithm, hex);
        }
    }
}
