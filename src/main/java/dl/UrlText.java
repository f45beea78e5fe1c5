package dl;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** URL text that every layer needs: decoded for names and credentials, masked for messages. */
final class UrlText {

    /** Percent-decoding as UTF-8; {@code +} stays a plus (it is a space only in query strings). */
    static String percentDecode(String s) {
        return percentDecode(s, StandardCharsets.UTF_8);
    }

    static String percentDecode(String s, Charset charset) {
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

    /**
     * The text of a URL, or of a line meant as one, for a message: {@code user:***@}, or {@code ***@} for a user
     * alone (often a token). A line that is no URL has no rules, and a password may hold {@code @}, {@code /} or a
     * space: after a {@code :} in the authority, all up to the line's last {@code @} is masked. Better a path hidden
     * from a message than a password shown.
     */
    static String masked(String text) {
        int scheme = text.indexOf("://");
        int from = scheme < 0 ? 0 : scheme + 3;
        int end = from;
        while (end < text.length() && "/?#".indexOf(text.charAt(end)) < 0) {
            end++;
        }
        int at = text.lastIndexOf('@');
        if (at < from) {
            return text;
        }
        int bracket = text.startsWith("[", from) ? text.indexOf(']', from) : -1; // an IPv6 host has colons of its own
        int colon = text.indexOf(':', Math.max(from, bracket));
        if (colon >= 0 && colon < end && colon < at) {
            return text.substring(0, colon + 1) + "***" + text.substring(at);
        }
        int user = text.lastIndexOf('@', end - 1);
        return user >= from ? text.substring(0, from) + "***" + text.substring(user) : text;
    }

    private UrlText() {}
}
