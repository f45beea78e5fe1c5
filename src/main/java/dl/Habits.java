package dl;

import picocli.CommandLine;

import java.util.List;
import java.util.Map;

/**
 * Options people type by habit from wget, curl and aria2c that Download.java does not have: a one-line hint
 * instead of picocli's bare "Unknown option". Options with the same meaning are aliases in {@link Options}.
 */
final class Habits {

    private static final String PARALLEL = "downloads already run in parallel; -j N (--max-connections) sets how many at once, --per-host N how many to one host";
    private static final String SPLIT = "give -x N (--max-connection-per-server) for the connections one file is fetched over";

    static final Map<String, String> HINTS = Map.ofEntries(
            Map.entry("-Z", "curl's -Z: " + PARALLEL),
            Map.entry("--parallel", "curl's --parallel: " + PARALLEL),
            Map.entry("--parallel-max", "curl's --parallel-max is -j N (--max-connections) here"),
            Map.entry("-s", "aria2c's -s: " + SPLIT + " (curl's -s is -q here)"),
            Map.entry("--split", "aria2c's --split: " + SPLIT),
            Map.entry("-z", "curl's -z: -N (--timestamping) asks the server whether each file already there changed, by its ETag and time"),
            Map.entry("--time-cond", "curl's --time-cond: -N (--timestamping) asks the server whether each file already there changed, by its ETag and time"),
            Map.entry("--etag-compare", "curl's --etag-compare: -N (--timestamping) keeps each file's ETag on the file itself and sends it back"),
            Map.entry("--etag-save", "curl's --etag-save: every file's ETag is kept on the file itself; -N (--timestamping) sends it back"),
            Map.entry("-r", "recursive downloads are not supported: give the URLs, or a list of them"),
            Map.entry("--recursive", "recursive downloads are not supported: give the URLs, or a list of them"),
            Map.entry("-L", "curl's -L: redirects are always followed (at most 10)"),
            Map.entry("--location", "curl's --location: redirects are always followed (at most 10)"),
            Map.entry("-k", "curl's -k is --insecure here, aria2c's -k is --min-split-size (wget's -k, converting links, is not supported)"),
            Map.entry("-T", "wget's -T: give --connect-timeout SECONDS and --stall-timeout SECONDS"),
            Map.entry("--timeout", "give --connect-timeout SECONDS and --stall-timeout SECONDS"),
            Map.entry("-U", "wget's -U is -A (--user-agent) here"),
            Map.entry("-w", "wget's -w is --wait SECONDS here (between two requests to one host)"),
            Map.entry("-b", "curl's -b FILE is --load-cookies FILE here, and its -c FILE is --save-cookies FILE (-c is wget's --continue)"),
            Map.entry("--cookie", "curl's --cookie FILE is --load-cookies FILE here, and its --cookie-jar FILE is --save-cookies FILE"));

    /** A hint for the first unknown option of a failed parse, or null. */
    static String hint(CommandLine.ParameterException bad) {
        if (!(bad instanceof CommandLine.UnmatchedArgumentException unmatched)) {
            return null;
        }
        for (String argument : unmatched.getUnmatched()) {
            String name = argument.contains("=") ? argument.substring(0, argument.indexOf('=')) : argument;
            String hint = HINTS.get(name);
            if (hint != null) {
                return hint + ".";
            }
        }
        List<String> suggestions = unmatched.getSuggestions();
        return suggestions.isEmpty() ? null : "Did you mean " + String.join(" or ", suggestions.stream().limit(3).toList()) + "?";
    }

    private Habits() {}
}
