package dl;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The README against the code: its option tables name exactly the options picocli knows, every command line it
 * shows parses, the habits it says get a hint do, and its exit statuses are the ones {@link Cli} returns. A README
 * that promises an option the tool lacks (or hides one it has) fails here, not in a user's shell.
 */
class ReadmeTest {

    static final Path README = Path.of("README.md");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])(--?[A-Za-z][A-Za-z-]*)");

    @Test
    void theOptionTablesNameEveryOptionOfTheCommandLineAndNoOther() throws IOException {
        Set<String> documented = new TreeSet<>();
        for (List<String> row : tableRows(section("## Options"), "| option |")) {
            documented.addAll(options(row.getFirst()));
        }
        Set<String> known = new TreeSet<>();
        for (OptionSpec option : commandLine().getCommandSpec().options()) {
            if (!option.hidden()) {
                known.addAll(List.of(option.names()));
            }
        }
        Set<String> unknown = new TreeSet<>(documented);
        unknown.removeAll(known);
        Set<String> missing = new TreeSet<>(known);
        missing.removeAll(documented);
        assertTrue(unknown.isEmpty(), "README's option tables name options the command line does not have: " + unknown);
        assertTrue(missing.isEmpty(), "options the README's option tables do not name (add a row, or an alias to one): " + missing);
    }

    @Test
    void everyCommandLineTheReadmeShowsParses() throws IOException {
        List<List<String>> commands = commands(Files.readString(README));
        assertTrue(commands.size() >= 15, "found only " + commands.size() + " command lines in the README's sh blocks");
        for (List<String> args : commands) {
            try {
                commandLine().parseArgs(args.toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                fail("the README shows `download " + String.join(" ", args) + "`, which does not parse: " + e.getMessage());
            }
        }
    }

    @Test
    void theHabitsTheReadmeSaysGetAHintGetOne() throws IOException {
        Set<String> promised = new LinkedHashSet<>();
        for (List<String> row : tableRows(section("## Coming from"), "| you type |")) {
            if (row.size() > 1 && row.get(1).contains("hint")) {
                promised.addAll(options(row.getFirst()));
            }
        }
        assertTrue(promised.size() >= 3, "the coming-from table promises hints for " + promised);
        for (String habit : promised) {
            assertTrue(Habits.HINTS.containsKey(habit), "README promises a hint for " + habit + ", Habits has none");
        }
    }

    @Test
    void theExitStatusTableIsTheStatusesTheCommandReturns() throws IOException {
        Set<Integer> documented = new TreeSet<>();
        for (List<String> row : tableRows(section("## Exit status"), "| status |")) {
            documented.add(Integer.parseInt(row.getFirst().strip()));
        }
        assertEquals(new TreeSet<>(List.of(ExitStatus.OK, ExitStatus.SOME_FAILED, ExitStatus.USAGE, ExitStatus.CHECKSUM, ExitStatus.INTERNAL, ExitStatus.INTERRUPTED)), documented);
    }

    /** The command line as {@link Cli} configures it, for parsing only. */
    private static CommandLine commandLine() {
        return new CommandLine(new Options()).setCaseInsensitiveEnumValuesAllowed(true).setOverwrittenOptionsAllowed(true);
    }

    /** The text from a level-2 heading starting with {@code heading} to the next level-2 heading. */
    private static String section(String heading) throws IOException {
        String text = Files.readString(README);
        int start = text.indexOf("\n" + heading);
        assertTrue(start >= 0, "README has no section " + heading);
        int end = text.indexOf("\n## ", start + 1);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    /** The cells of the body rows of every table in {@code text} whose header row starts with {@code header}. */
    private static List<List<String>> tableRows(String text, String header) {
        List<List<String>> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : text.split("\n")) {
            if (!line.startsWith("|")) {
                inTable = false;
            } else if (line.startsWith(header)) {
                inTable = true;
            } else if (inTable && !line.startsWith("|---")) {
                List<String> cells = new ArrayList<>();
                // A cell may hold an escaped \| (virtual\|platform): split on the others only.
                for (String cell : line.substring(1).split("(?<!\\\\)\\|")) {
                    cells.add(cell.replace("\\|", "|").strip());
                }
                rows.add(cells);
            }
        }
        assertTrue(!rows.isEmpty(), "no table starting " + header);
        return rows;
    }

    /** Option names inside the code spans of a cell. */
    private static Set<String> options(String cell) {
        Set<String> names = new LinkedHashSet<>();
        Matcher code = CODE.matcher(cell);
        while (code.find()) {
            Matcher option = OPTION.matcher(code.group(1));
            while (option.find()) {
                names.add(option.group(1));
            }
        }
        return names;
    }

    /** The arguments of every {@code download} or {@code jbang Download.java} command in the sh code blocks. */
    static List<List<String>> commands(String readme) {
        List<List<String>> commands = new ArrayList<>();
        boolean inSh = false;
        for (String line : readme.split("\n")) {
            if (line.startsWith("```")) {
                inSh = line.equals("```sh");
                continue;
            }
            if (!inSh) {
                continue;
            }
            for (List<String> words : pipeline(line)) {
                if (words.isEmpty()) {
                    continue;
                }
                String first = words.getFirst();
                if (first.equals("download")) {
                    commands.add(words.subList(1, words.size()));
                } else if ((first.equals("./jbang") || first.equals("jbang")) && words.size() > 1
                        && (words.get(1).equals("Download.java") || words.get(1).equals("download") || words.get(1).startsWith("download@"))) {
                    commands.add(words.subList(2, words.size()));
                }
            }
        }
        return commands;
    }

    /** A shell line as its commands' words: quotes ('', "") kept together, a # comment and the | between commands cut. */
    private static List<List<String>> pipeline(String line) {
        List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c) || c == '|') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                if (c == '|') {
                    commands.add(words);
                    words = new ArrayList<>();
                }
            } else if (c == '#' && word == null) {
                break;
            } else {
                word = word == null ? new StringBuilder().append(c) : word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        commands.add(words);
        return commands;
    }
}
