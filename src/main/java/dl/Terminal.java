package dl;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** What the terminal we print to can do: is it one, how wide, may we use colour. */
final class Terminal {

    static boolean isInteractive() {
        var console = System.console();
        return console != null && console.isTerminal() && !"dumb".equals(System.getenv("TERM"));
    }

    /** https://no-color.org: any non-empty NO_COLOR turns colour off. */
    static boolean colourAllowed() {
        String noColor = System.getenv("NO_COLOR");
        return noColor == null || noColor.isEmpty();
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
