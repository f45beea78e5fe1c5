package dl;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the URLs of a run come from: URL arguments, list files given as arguments or with {@code -i}, and
 * standard input ({@code -}), in the order given. A URL argument is read as a one-line list, through
 * {@link UrlList} like any list line (same checks, credentials masked and made a header), and its problem
 * names the argument. A URL given twice, in two lists or as an argument too, is fetched once.
 */
final class Inputs {

    /** {@code label}: how messages name the input (the list's name when there is one list). */
    record Read(List<UrlList.Entry> entries, List<UrlList.Problem> problems, String label) {}

    /** An argument that starts like a URL ({@code scheme://}) is one, unless a file of that name exists. */
    private static final Pattern URL_LIKE = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*", Pattern.DOTALL);

    /** Source names of URL arguments start with this; {@link #shown} prints them without a line number. */
    static final String ARGUMENT = "argument ";

    static boolean isUrl(String argument) {
        if (!URL_LIKE.matcher(argument).matches()) {
            return false;
        }
        try {
            return !java.nio.file.Files.exists(java.nio.file.Path.of(argument));
        } catch (java.nio.file.InvalidPathException e) {
            return true;
        }
    }

    static boolean any(Options o) {
        return !o.arguments.isEmpty() || !o.inputFiles.isEmpty();
    }

    /** What the messages call the input, before it is read. */
    static String label(Options o) {
        List<String> all = new ArrayList<>(o.inputFiles);
        all.addAll(o.arguments);
        if (all.size() == 1) {
            return isUrl(all.getFirst()) ? "the URL argument" : all.getFirst();
        }
        return "the " + all.size() + " arguments";
    }

    /** Mistakes in how the input is given, told before anything is read. */
    static void check(Options o) throws UsageError {
        if (o.outputDocument != null && URL_LIKE.matcher(o.outputDocument).matches()) {
            throw new UsageError("-O takes a file name, as wget's -O does (got the URL " + UrlText.masked(o.outputDocument)
                    + "); curl's -O, the server's name, is what Download.java always does: drop -O");
        }
    }

    /** One place URLs come from: a list file (or -), or a URL given as the argument at this position. */
    private record Source(String name, boolean url, int position) {}

    static Read read(Options o, InputStream stdin) throws UsageError, InterruptedException {
        check(o);
        List<UrlList.Entry> entries = new ArrayList<>();
        List<UrlList.Problem> problems = new ArrayList<>();
        Map<URI, String> seen = new HashMap<>();
        boolean stdinRead = false;
        // -i lists first, then the positional arguments in their order: the order of the batch, and of its names.
        List<String> lists = new ArrayList<>(o.inputFiles);
        int urlArguments = (int) o.arguments.stream().filter(Inputs::isUrl).count();
        if (o.outputDocument != null && o.outputDocument.equals("-")) {
            throw new UsageError("-O - would write to standard output, which Download.java does not do: give a file name (or use curl for that)");
        }
        if (o.outputDocument != null && (o.outputDocument.isBlank() || o.outputDocument.contains("/") || o.outputDocument.contains("\\")
                || o.outputDocument.equals(".") || o.outputDocument.equals(".."))) {
            throw new UsageError("-O " + o.outputDocument + ": give a plain file name; the folder goes with -o DIR");
        }
        int position = 0;
        List<Source> sources = new ArrayList<>();
        for (String list : lists) {
            sources.add(new Source(list, false, 0));
        }
        for (String argument : o.arguments) {
            position++;
            sources.add(new Source(argument, isUrl(argument), position));
        }
        for (Source source : sources) {
            String name = source.name();
            UrlList.Parsed parsed;
            String sourceName;
            if (source.url()) {
                sourceName = ARGUMENT + source.position();
                String text = name + "\n";
                if (o.outputDocument != null && urlArguments == 1) {
                    text += "  out=" + o.outputDocument + "\n";
                }
                try {
                    parsed = UrlList.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), sourceName);
                } catch (IOException e) {
                    throw new IllegalStateException(e); // from memory: cannot happen
                }
            } else {
                if (name.equals("-")) {
                    if (stdinRead) {
                        throw new UsageError("- (standard input) is given twice: it can be read only once");
                    }
                    stdinRead = true;
                }
                sourceName = name.equals("-") ? "<stdin>" : name;
                parsed = read(name, stdin);
                if (parsed.binary() && parsed.entries().isEmpty()) {
                    throw new UsageError(name + " is not a text file (it holds NUL bytes): give a file with one URL per line");
                }
            }
            problems.addAll(parsed.problems());
            for (UrlList.Entry entry : parsed.entries()) {
                if (Thread.interrupted()) {
                    throw interrupted(); // a list of millions takes seconds to check for duplicates
                }
                String here = sourceName.startsWith(ARGUMENT) ? sourceName : sourceName + ":" + entry.line();
                String first = seen.putIfAbsent(entry.url(), here);
                if (first != null) {
                    problems.add(new UrlList.Problem(sourceName, entry.line(), "duplicate of " + first + " ("
                            + Format.shorten(UrlText.masked(entry.url().toString())) + "); skipped"));
                } else {
                    entries.add(entry);
                }
            }
        }
        if (o.outputDocument != null) {
            if (entries.size() > 1) {
                throw new UsageError("-O " + o.outputDocument + " names the file of a single URL, but there are " + entries.size()
                        + " URLs; give one URL, or -o DIR for a folder (or out=NAME lines in a list)");
            }
            if (urlArguments != 1 && entries.size() == 1) {
                entries.set(0, named(entries.getFirst(), o.outputDocument));
            }
        }
        return new Read(entries, problems, label(o));
    }

    /** The one entry of a list with -O's name, checked as an out= line is. */
    private static UrlList.Entry named(UrlList.Entry entry, String name) throws UsageError {
        List<String> lines = new ArrayList<>(entry.lines().stream().filter(l -> !l.startsWith("  out=")).toList());
        lines.add(1, "  out=" + name);
        try {
            UrlList.Parsed parsed = UrlList.parse(new ByteArrayInputStream(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)), "-O");
            if (!parsed.problems().isEmpty() || parsed.entries().size() != 1) {
                throw new UsageError("-O " + name + ": " + (parsed.problems().isEmpty() ? "not usable" : parsed.problems().getFirst().reason()));
            }
            UrlList.Entry one = parsed.entries().getFirst();
            return new UrlList.Entry(entry.line(), one.url(), one.out(), one.checksum(), one.headers());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A problem as printed: {@code FILE:LINE: reason}, or {@code argument 2: reason} for a URL argument. */
    static String shown(UrlList.Problem problem) {
        return problem.source().startsWith(ARGUMENT) ? problem.source() + ": " + problem.reason() : problem.toString();
    }

    private Inputs() {}

    /** Throws InterruptedException for Ctrl-C or SIGTERM while the list is read (a pipe that waits, or never ends). */
    static UrlList.Parsed read(String list, InputStream stdin) throws UsageError, InterruptedException {
        if (list.equals("-")) {
            try {
                return UrlList.parse(stdin, "<stdin>");
            } catch (ClosedByInterruptException e) {
                throw interrupted();
            } catch (IOException e) {
                throw new UsageError("cannot read the list from standard input: " + Format.message(e));
            }
        }
        Path file = Path.of(list);
        if (Files.isDirectory(file)) {
            throw new UsageError(list + " is a folder; give a file with one URL per line");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return UrlList.parse(in, list);
        } catch (ClosedByInterruptException e) {
            throw interrupted();
        } catch (NoSuchFileException e) {
            throw new UsageError("cannot read " + list + ": no such file. Give a file with one URL per line, or --demo.");
        } catch (IOException e) {
            throw new UsageError("cannot read " + list + ": " + Format.message(e));
        }
    }

    private static InterruptedException interrupted() {
        Thread.interrupted(); // told by the exception now, as InterruptedException does
        return new InterruptedException("while reading the list");
    }
}
