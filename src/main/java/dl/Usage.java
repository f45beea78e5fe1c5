package dl;

import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code --help}: the options a newcomer needs, a few examples, and where the rest is; {@code --help all}: every
 * option, in sections, the list's format and the exit statuses (as aria2c's {@code --help=#all}). picocli lays out
 * and wraps the option table; the sections and the text around them are here. A hundred and more lines of options
 * in declaration order buried the few that every run uses.
 */
final class Usage {

    /** Wider lines than this are hard to read, whatever the terminal's width. */
    static final int WIDEST = 100;

    /** What a first run needs, in the order people reach for it; by option name, as picocli knows them. */
    static final List<String> COMMON = List.of("-i", "-O", "-o", "-j", "--per-host", "-c", "-t", "-q", "-v", "--json",
            "-n", "--threads", "--demo", "--compare", "-h", "-V");

    record Section(String heading, List<String> options) {}

    /** The rest, for --help all. An option in none of these still shows, under "Other options". */
    static final List<Section> MORE = List.of(
            new Section("Waiting, retrying and limits:", List.of("--wait", "--random-wait", "--limit-rate", "--retries",
                    "--retry-delay", "--max-retry-wait", "--connect-timeout", "--stall-timeout", "--max-size")),
            new Section("Files:", List.of("--overwrite", "-N", "--no-remote-time", "-nc", "--content-disposition")),
            new Section("Requests: headers, proxies, TLS, logins:", List.of("-H", "-A", "--proxy", "--no-proxy", "--ca-cert",
                    "--insecure", "--netrc", "--netrc-file", "--location-trusted")),
            new Section("Many machines, and runs again:", List.of("--shard", "--manifest", "--only-failed")),
            new Section("The demo and measuring:", List.of("--demo-files", "--demo-size", "--demo-delay", "--sweep", "--report")));

    private static final List<String> EXAMPLES = List.of(
            "Examples (download is the command ./install writes; ./jbang Download.java",
            "in the repository's folder does the same):",
            "  download urls.txt                  every URL of the list, into this folder",
            "  download -o pics --per-host 16 urls.txt   into ./pics, 16 connections a host",
            "  download -O a.zip 'https://example.org/get?id=7'   one URL, its file name",
            "  cat urls.txt | download -          the list from standard input",
            "  download --dry-run urls.txt        the plan (URL -> file), no request made",
            "  download --json urls.txt | jq .    every event as a JSON line",
            "  download --demo                    offline: 2000 files from a local server",
            "  download --compare --demo          both thread modes, side by side");

    private static final List<String> MORE_EXAMPLES = List.of(
            "  download --demo --demo-files 5000 --threads platform",
            "  download --compare --demo --sweep 100,1000,10000 --demo-size 1K",
            "  download -H 'Authorization: Bearer T' urls.txt",
            "  download --shard 3/10 --manifest 'm-{shard}.ndjson' -o shared urls.txt");

    private static final List<String> LIST_FORMAT = List.of(
            "The list: one URL a line; blank lines and # comments are skipped. An indented",
            "line under a URL is an option for it: out=NAME, checksum=sha-256=HEX,",
            "header=Name: value.");

    private static final List<String> EXIT_STATUS = List.of(
            "Exit status: 0 all done (or already there), 1 some download or list line",
            "failed, 2 usage or input error before any download, 3 a checksum did not match,",
            "70 internal error, 130 interrupted (Ctrl-C, SIGTERM or SIGHUP). Retrying helps",
            "with 1 and 130, not with 2, 3 or 70.");

    private static final List<String> STREAMS = List.of(
            "Progress, failures and the summary go to standard error; standard output gets",
            "only what was asked for: --json, the --dry-run plan, --help, --compare's table.");

    /** The help text at {@code width} columns: the common options, or with {@code all} every one. */
    static String text(CommandLine command, boolean all, int width) {
        var spec = command.getCommandSpec();
        spec.usageMessage().autoWidth(false).width(width);
        Help help = command.getHelpFactory().create(spec, command.getColorScheme());
        List<OptionSpec> shown = spec.options().stream().filter(o -> !o.hidden()).toList();
        List<PositionalParamSpec> positionals = spec.positionalParameters();

        StringBuilder text = new StringBuilder(help.synopsisHeading()).append(help.synopsis(help.synopsisHeadingLength()));
        wrap(String.join(" ", spec.usageMessage().description()), width, "").forEach(line -> text.append(line).append('\n'));
        text.append('\n');
        Set<OptionSpec> listed = new LinkedHashSet<>(named(spec, COMMON));
        text.append(all ? "Common options:\n" : "Options:\n")
                .append(table(help, shown, positionals, List.copyOf(listed), positionals));
        if (all) {
            for (Section section : MORE) {
                List<OptionSpec> options = named(spec, section.options());
                listed.addAll(options);
                text.append('\n').append(section.heading()).append('\n').append(table(help, shown, positionals, options, List.of()));
            }
            List<OptionSpec> other = shown.stream().filter(o -> !listed.contains(o)).toList();
            text.append('\n').append("Other options:\n").append(table(help, shown, positionals, other, List.of()));
        }
        List<String> footer = new ArrayList<>(List.of(""));
        footer.addAll(EXAMPLES);
        if (all) {
            footer.addAll(MORE_EXAMPLES);
            footer.add("");
            footer.addAll(LIST_FORMAT);
            footer.add("");
            footer.addAll(STREAMS);
            footer.add("");
            footer.addAll(EXIT_STATUS);
        } else {
            footer.addAll(List.of("", "Every option, the list's format, the exit statuses: --help all"));
        }
        footer.forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }

    /** One section's rows, with the option column as wide as it is for all options, so that sections line up. */
    private static String table(Help help, List<OptionSpec> allOptions, List<PositionalParamSpec> allPositionals,
                                List<OptionSpec> options, List<PositionalParamSpec> positionals) {
        Help.ColorScheme scheme = help.colorScheme();
        Help.TextTable table = Help.TextTable.forDefaultColumns(scheme,
                help.calcLongOptionColumnWidth(allOptions, allPositionals, scheme), help.commandSpec().usageMessage().width());
        Help.Column description = table.columns()[table.columns().length - 1];
        int room = description.width - description.indent;
        Help.IOptionRenderer optionRows = help.createDefaultOptionRenderer();
        Help.IParameterRenderer parameterRows = help.createDefaultParameterRenderer();
        Help.Layout layout = new Help.Layout(scheme, table,
                (option, labels, colours) -> rewrapped(optionRows.render(option, labels, colours), room, colours),
                (parameter, labels, colours) -> rewrapped(parameterRows.render(parameter, labels, colours), room, colours));
        layout.addPositionalParameters(positionals, help.parameterLabelRenderer());
        layout.addOptions(options, help.parameterLabelRenderer());
        return layout.toString();
    }

    /**
     * The rows picocli made for one option, with the description wrapped here, at spaces alone. picocli wraps where
     * java.text.BreakIterator allows a break, and that is inside words too: "NAME.|part", "http://|[user:pass@]".
     * Continued lines are indented by two, as picocli indents them.
     */
    private static Help.Ansi.Text[][] rewrapped(Help.Ansi.Text[][] rows, int room, Help.ColorScheme scheme) {
        String description = Arrays.stream(rows).map(row -> row[row.length - 1].plainString().strip())
                .filter(part -> !part.isEmpty()).collect(Collectors.joining(" "));
        List<String> lines = wrap(description, room, "  ");
        Help.Ansi.Text[][] wrapped = new Help.Ansi.Text[Math.max(1, lines.size())][];
        for (int i = 0; i < wrapped.length; i++) {
            wrapped[i] = i == 0 ? rows[0].clone() : new Help.Ansi.Text[rows[0].length];
            for (int column = 0; column < wrapped[i].length - 1; column++) {
                if (i > 0) {
                    wrapped[i][column] = scheme.text("");
                }
            }
            wrapped[i][wrapped[i].length - 1] = scheme.text(lines.isEmpty() ? "" : lines.get(i));
        }
        return wrapped;
    }

    /** {@code text} in lines of at most {@code width} columns, broken at spaces only; later lines begin with {@code indent}. */
    static List<String> wrap(String text, int width, String indent) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (!line.isEmpty() && Terminal.columns(line + " " + word) > width) {
                lines.add(line.toString());
                line.setLength(0);
                line.append(indent);
            }
            line.append(line.isEmpty() || line.toString().equals(indent) ? "" : " ").append(word);
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    private static List<OptionSpec> named(CommandLine.Model.CommandSpec spec, List<String> names) {
        return names.stream().map(name -> {
            OptionSpec option = spec.findOption(name);
            if (option == null) {
                throw new IllegalStateException("--help names an option the command does not have: " + name);
            }
            return option;
        }).toList();
    }

    private Usage() {}
}
