package dl;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/** Checks "Name: value" request headers from the command line and the list before any request is made. */
final class Headers {

    /** The HTTP client sets these itself (and silently drops them if given). */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");
    /** Resuming sets these, with the part file's offset and validator; a given one would corrupt the file. */
    private static final Set<String> RESUMING = Set.of("range", "if-range");

    /** What is wrong with this header, or null when it can be sent. */
    static String trouble(String header) {
        int colon = header.indexOf(':');
        // Checked before anything is stripped: a line break at either end was cut off unseen, one inside failed every download.
        if (header.indexOf('\r') >= 0 || header.indexOf('\n') >= 0) {
            return "header '" + (colon > 0 ? name(header) : Format.keyOnly(header.strip())) + "' has a line break (CR or LF) in it; a header is one line";
        }
        if (colon <= 0) {
            return "header '" + Format.keyOnly(header) + "' must look like 'Name: value'";
        }
        String name = name(header);
        if (!name.chars().allMatch(c -> c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
            return "header name '" + Format.keyOnly(name) + "' has characters a header name cannot have";
        }
        if (value(header).chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
            return "header '" + name + "' has control characters in its value";
        }
        if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
            return "header '" + name + "' is set by the HTTP client itself and cannot be given";
        }
        if (RESUMING.contains(name.toLowerCase(Locale.ROOT))) {
            return "header '" + name + "' is set by Download.java itself to resume part files and cannot be given";
        }
        return null;
    }

    static String name(String header) {
        return header.substring(0, header.indexOf(':')).strip();
    }

    static String value(String header) {
        return header.substring(header.indexOf(':') + 1).strip();
    }

    /** The value of a Basic Authorization header. */
    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private Headers() {}
}
