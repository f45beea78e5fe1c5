package dl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --help fits a terminal and shows what a newcomer needs; --help all shows everything. */
class HelpTest {

    @TempDir
    Path dir;

    private static CommandLine command() {
        return Cli.parser(new Options());
    }

    private static String help(boolean all, int width) {
        return Usage.text(command(), all, width);
    }

    /**
     * At 80 columns no line is wider, and every word is one the unwrapped text has: picocli broke lines inside words
     * ("Download.|java", "http://|[user:pass@]") where a line had no space left. At 1,000 columns nothing wraps.
     */
    @Test
    void everyLineFitsEightyColumnsAndNoWordIsSplit() {
        for (boolean all : List.of(false, true)) {
            Set<String> words = vocabulary(help(all, 1000));
            for (int width : List.of(80, Usage.WIDEST)) {
                String text = help(all, width);
                for (String line : text.lines().toList()) {
                    assertTrue(Terminal.columns(line) <= width, "wider than " + width + ": '" + line + "'");
                    for (String word : line.strip().split("\\s+")) {
                        assertTrue(word.isEmpty() || words.contains(word), "'" + word + "' is part of a split word in '" + line + "'");
                    }
                }
            }
        }
    }

    private static Set<String> vocabulary(String text) {
        return Arrays.stream(text.split("\\s+")).filter(w -> !w.isEmpty()).collect(Collectors.toSet());
    }

    @Test
    void helpShowsTheCommonOptionsInAboutFiftyLinesAndSaysWhereTheRestIs() {
        String help = help(false, 80);
        assertTrue(help.lines().count() <= 50, help.lines().count() + " lines:\n" + help);
        CommandLine.Model.CommandSpec spec = command().getCommandSpec();
        for (String name : Usage.COMMON) {
            assertTrue(shows(help, spec.findOption(name)), name + " in:\n" + help);
        }
        for (String rare : List.of("--netrc", "--location-trusted", "--demo-delay", "--measure-held")) {
            assertFalse(shows(help, spec.findOption(rare)), rare + " is not a common option:\n" + help);
        }
        assertTrue(help.contains("--help all"), help);
        assertTrue(help.contains("[URL|LIST...]"), help);
    }

    /** Every option the command has, from picocli's own model of it, is in --help all; the hidden one is not. */
    @Test
    void helpAllListsEveryOptionTheCommandHas() {
        String all = help(true, 80);
        for (OptionSpec option : command().getCommandSpec().options()) {
            assertEquals(!option.hidden(), shows(all, option), String.join(", ", option.names()) + " in --help all");
        }
        assertTrue(all.contains("Exit status: 0 all done") && all.contains("The list: one URL a line"), all);
        // Common ones first, the others once each.
        assertTrue(all.indexOf("--input-file=LIST") < all.indexOf("--netrc-file=FILE"), all);
        assertEquals(1, all.split("--netrc-file=FILE", -1).length - 1, all);
    }

    /** Every name of the option is in the text, as picocli shows names: followed by a comma, '=', '[' or the line's end. */
    private static boolean shows(String text, OptionSpec option) {
        return Arrays.stream(option.names()).allMatch(name -> java.util.regex.Pattern.compile("(?m)(^|\\s)" + java.util.regex.Pattern.quote(name)
                + "(,|=|\\[|\\s{2}|$)").matcher(text).find());
    }

    @Test
    void theCommandLinePrintsBothOnStandardOutput() {
        Runs help = Runs.of("--help");
        assertEquals(0, help.status(), help.toString());
        assertTrue(help.out().startsWith("Usage: Download.java [OPTIONS] [URL|LIST...]"), help.out());
        assertTrue(help.out().contains("Examples") && help.err().isEmpty(), help.toString());
        Runs all = Runs.of("--help", "all");
        assertEquals(0, all.status(), all.toString());
        assertTrue(all.out().contains("--location-trusted") && all.out().contains("Exit status:"), all.out());
        assertEquals(all.out(), Runs.of("--help=all").out());
        // --help takes an optional word, so a list after it is not an error, just no topic.
        Runs list = Runs.of("--help", "urls.txt");
        assertEquals(0, list.status(), list.toString());
        assertFalse(list.out().contains("--location-trusted"), list.out());
    }

    /** The examples run as shown: each is parsed, and each that makes no child JVM runs as a dry run to exit 0. */
    @Test
    void theExamplesRunAsShown() throws Exception {
        Path list = Runs.list(dir, "http://127.0.0.1:1/a.bin", "http://127.0.0.1:1/b.bin");
        List<String> examples = help(true, 80).lines().filter(l -> l.matches("  (cat urls.txt \\| )?download .*")).toList();
        assertTrue(examples.size() >= 10, examples.toString());
        for (String example : examples) {
            String typed = example.strip().replaceFirst("^cat urls.txt \\| ", "").split(" {2,}| \\| ")[0];
            List<String> args = new ArrayList<>(shellWords(typed.substring("download ".length())));
            assertDoesNotThrow(() -> command().parseArgs(args.toArray(String[]::new)), example);
            if (args.contains("--compare")) {
                continue; // two child JVMs each: what --compare does is CompareTest's
            }
            args.replaceAll(a -> a.equals("urls.txt") ? list.toString() : a.equals("pics") || a.equals("shared") ? dir.resolve(a).toString() : a);
            args.addAll(List.of("--dry-run", "--demo-delay", "0"));
            Runs run = example.startsWith("  cat ") ? Runs.withInput(Files.readString(list), args.toArray(String[]::new))
                    : Runs.of(args.toArray(String[]::new));
            assertEquals(0, run.status(), example + "\n" + run);
        }
    }

    /** Shell words: spaces separate, single quotes keep a word together. */
    private static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("'([^']*)'|(\\S+)").matcher(line);
        while (m.find()) {
            words.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return words;
    }
}
