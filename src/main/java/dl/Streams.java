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
 * <p>{@code standardError}: the messages go to the process's standard error, so the live view may be drawn there
 * when it is a terminal. That is asked of standard error, not standard output: {@code download URLS > log} still
 * draws on the terminal it runs in.
 */
record Streams(PrintStream data, PrintStream messages, boolean standardError) {

    static Streams standard(PrintStream out, PrintStream err) {
        return new Streams(out, err, err == System.err);
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
        // Asked only here, when a run is shown: --help and --version need no terminal.
        if (standardError && Terminal.isInteractive()) {
            return new LiveView(messages, Terminal.width(), Terminal.colourAllowed());
        }
        return new PlainView(messages, PlainView.Level.NORMAL);
    }
}
