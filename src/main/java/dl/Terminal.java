package dl;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;

/** What the terminal we print to can do (is it one, how wide, may we use colour), and what it must never get. */
final class Terminal {

    /**
     * Text from outside (URLs, names, header values, error messages) made harmless to print: control characters
     * become {@code \xHH} and invisible formatting characters (bidi overrides like U+202E) {@code \}{@code uHHHH},
     * so that a server or a list cannot move the cursor, clear the screen or reorder what the user reads.
     */
    static String safe(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder shown = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            boolean control = c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0;
            boolean invisible = Character.getType(c) == Character.FORMAT || c == 0x2028 || c == 0x2029;
            if ((control || invisible) && shown == null) {
                shown = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (control) {
                shown.append(String.format("\\x%02x", c));
            } else if (invisible) {
                shown.append(String.format("\\u%04x", c));
            } else if (shown != null) {
                shown.appendCodePoint(c);
            }
            i += Character.charCount(c);
        }
        return shown == null ? text : shown.toString();
    }

    /**
     * Whether standard error, where the live view draws, is a terminal that can take it. {@code System.console()}
     * asks of standard input and output instead, so {@code download URLS > log} lost the live view; isatty(2)
     * through the FFM API asks of standard error itself, where native access is enabled (the script and the
     * installed command enable it). Without it, the console's answer is the best left.
     */
    static boolean isInteractive() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        Boolean stderr = isatty(2);
        if (stderr != null) {
            return stderr;
        }
        var console = System.console();
        return console != null && console.isTerminal();
    }

    /** isatty(3) of a file descriptor, or null when it cannot be asked. */
    static Boolean isatty(int fd) {
        if (!Terminal.class.getModule().isNativeAccessEnabled()) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle isatty = linker.downcallHandle(linker.defaultLookup().find("isatty").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            return (int) isatty.invokeExact(fd) == 1;
        } catch (Throwable unavailable) {
            // No isatty in the C library (not a Unix): let the console answer.
            return null;
        }
    }

    /** https://no-color.org: any non-empty NO_COLOR turns colour off. */
    static boolean colourAllowed() {
        String noColor = System.getenv("NO_COLOR");
        return noColor == null || noColor.isEmpty();
    }

    /**
     * How many columns the text takes on a terminal: CJK and other wide characters take two, combining marks
     * none. Counting chars instead made the live view wrap on Chinese or Japanese names and leave stale copies.
     */
    static int columns(String text) {
        int columns = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            columns += columns(c);
            i += Character.charCount(c);
        }
        return columns;
    }

    /** The longest start of {@code text} that fits in {@code max} columns. */
    static String cut(String text, int max) {
        int columns = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (columns + columns(c) > max) {
                return text.substring(0, i);
            }
            columns += columns(c);
            i += Character.charCount(c);
        }
        return text;
    }

    private static int columns(int c) {
        int type = Character.getType(c);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || c == 0x200b) {
            return 0;
        }
        boolean wide = c >= 0x1100 && c <= 0x115f || c >= 0x2e80 && c <= 0xa4cf && c != 0x303f
                || c >= 0xac00 && c <= 0xd7a3 || c >= 0xf900 && c <= 0xfaff || c >= 0xfe30 && c <= 0xfe4f
                || c >= 0xff00 && c <= 0xff60 || c >= 0xffe0 && c <= 0xffe6 || c >= 0x1f300 && c <= 0x1f64f
                || c >= 0x1f900 && c <= 0x1f9ff || c >= 0x20000 && c <= 0x3fffd;
        return wide ? 2 : 1;
    }

    /** Columns, from COLUMNS or {@code stty size}; 80 when neither answers. */
    static int width() {
        try {
            return Math.max(20, Integer.parseInt(System.getenv("COLUMNS")));
        } catch (NumberFormatException | NullPointerException notSet) {
            // Ask the terminal itself.
        }
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String answer = new String(stty.getInputStream().readAllBytes()).strip();
            if (stty.waitFor(1, TimeUnit.SECONDS) && answer.matches("\\d+ \\d+")) {
                return Math.max(20, Integer.parseInt(answer.split(" ")[1]));
            }
        } catch (IOException | InterruptedException e) {
            // No stty, or no terminal behind /dev/tty.
        }
        return 80;
    }

    private Terminal() {}
}
