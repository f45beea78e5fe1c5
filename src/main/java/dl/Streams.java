package dl;

import java.io.PrintStream;

/**
 * Which stream gets what, decided here once, as wget decides it. {@code data} (standard output) carries only what
 * the user asked to read or pipe: {@code --json}'s events, {@code --dry-run}'s plan, {@code --help},
 * {@code --version}, {@code --completion}'s script and {@code --compare}'s table. {@code messages} (standard error)
 * carries everything said to the person watching: progress, the live view, retries, failures and their reasons,
 * the summary, warnings, interruptions and usage errors. So {@code download URLS > /dev/null} still shows every
 * failure, and {@code download --json URLS | jq} reads nothing but JSON.
 *
 * <p>{@code terminal}: the messages go to a terminal that can take the live view. It is asked of standard error,
 * not standard output: {@code download URLS > log} still draws on the terminal it runs in.
 */
record Streams(PrintStream data, PrintStream messages, boolean terminal) {

    /** The process's own streams; the live view only when standard error is an interactive terminal. */
    static Streams standard(PrintStream out, PrintStream err) {
        return new Streams(out, err, err == System.err && Terminal.isInteractive());
    }

    /** How a run is shown, and on which stream: JSON is data; plain lines and the live view are messages. */
    View view(Options options) {
        if (options.shown.json) {
            return new JsonView(data);
        }
        if (options.shown.quiet) {
            return new PlainView(messages, PlainView.Level.QUIET);
        }
        if (options.shown.verbose) {
            return new PlainView(messages, PlainView.Level.VERBOSE);
        }
        if (terminal) {
            return new LiveView(messages, Terminal.width(), Terminal.colourAllowed());
        }
        return new PlainView(messages, PlainView.Level.NORMAL);
    }
}
