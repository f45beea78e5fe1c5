package dl;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where the URLs of a run come from: URL arguments, list files given as arguments or with {@code -i}, and
 * standard input ({@code -}), in the order given. A URL argument is read as a one-line list, through
 * {@link UrlList} like any list line (same checks, credentials masked and made a header), and its problem
 * names the argument. A URL given twice, in two lists or as an argument too, is fetched once.
 */
final class Inputs {

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

    /**
     * One place URLs come from: a list file (or -), or a URL given as the argument at this position. {@code label}:
     * how its problems name it ({@code <stdin>}, the file's name, {@code argument 2}).
     */
    record Source(String name, boolean url, int position, String label, String text) {}

    /** The places URLs come from, in the order of the batch, after the checks that need no reading. */
    static List<Source> sources(Options o) throws UsageError {
        check(o);
        // -i lists first, then the positional arguments in their order: the order of the batch, and of its names.
        int urlArguments = (int) o.arguments.stream().filter(Inputs::isUrl).count();
        if (o.outputDocument != null && o.outputDocument.equals("-")) {
            throw new UsageError("-O - would write to standard output, which Download.java does not do: give a file name (or use curl for that)");
        }
        if (o.outputDocument != null && (o.outputDocument.isBlank() || o.outputDocument.contains("/") || o.outputDocument.contains("\\")
                || o.outputDocument.equals(".") || o.outputDocument.equals(".."))) {
            throw new UsageError("-O " + o.outputDocument + ": give a plain file name; the folder goes with -o DIR");
        }
        List<Source> sources = new ArrayList<>();
        boolean stdinRead = false;
        for (String list : o.inputFiles) {
            stdinRead = stdin(list, stdinRead);
            sources.add(new Source(list, false, 0, list.equals("-") ? "<stdin>" : list, null));
        }
        int position = 0;
        for (String argument : o.arguments) {
            position++;
            if (isUrl(argument)) {
                String text = argument + "\n";
                if (o.outputDocument != null && urlArguments == 1) {
                    text += "  out=" + o.outputDocument + "\n";
                }
                sources.add(new Source(argument, true, position, ARGUMENT + position, text));
            } else {
                stdinRead = stdin(argument, stdinRead);
                sources.add(new Source(argument, false, position, argument.equals("-") ? "<stdin>" : argument, null));
            }
        }
        return sources;
    }

    private static boolean stdin(String name, boolean read) throws UsageError {
        if (name.equals("-") && read) {
            throw new UsageError("- (standard input) is given twice: it can be read only once");
        }
        return read || name.equals("-");
    }

    /**
     * About how many entries the lists hold, from the share of line ends in the first 64 KiB of each file: the
     * tables of a list's plan are made that size at once, not doubled (and copied) as they fill.
     */
    static long expectedEntries(List<Source> sources) {
        long expected = 0;
        for (Source source : sources) {
            if (source.url() || source.name().equals("-") || !Files.isRegularFile(Path.of(source.name()))) {
                expected += 1; // a pipe's first bytes are its list's: they are not read ahead
                continue;
            }
            try (var channel = java.nio.channels.FileChannel.open(Path.of(source.name()))) {
                long size = channel.size();
                var head = java.nio.ByteBuffer.allocate((int) Math.min(size, 1 << 16));
                while (head.hasRemaining() && channel.read(head) > 0) { }
                int lines = 0; // URL lines: not option lines (indented), comments or blank lines
                for (int i = 0; i < head.position(); i++) {
                    byte c = head.get(i);
                    boolean lineStart = i == 0 || head.get(i - 1) == '\n';
                    lines += lineStart && c != ' ' && c != '\t' && c != '#' && c != '\n' && c != '\r' ? 1 : 0;
                }
                expected += head.position() == 0 ? 0 : (long) ((double) size * Math.max(lines, 1) / head.position());
            } catch (IOException | RuntimeException unreadable) {
                // Told when it is read.
            }
        }
        return expected;
    }

    /**
     * A list read again: files are opened again; standard input and any list that is not a regular file (a pipe, as
     * {@code <(cmd)} or {@code /dev/stdin} give, a device) are kept as the bytes the first reading took, since they
     * cannot be read twice; a reading that fails the second time is kept here to be told.
     */
    static final class Again {
        private final InputStream stdin;
        /** By source name: the bytes of each list that cannot be read twice. */
        private final java.util.Map<String, Kept> kept = new java.util.HashMap<>();
        private String failure;
        /** Each list file as the first reading found it, so that the second can tell one written to meanwhile. */
        private final java.util.Map<Path, String> versions = new java.util.HashMap<>();

        Again(InputStream stdin) {
            this.stdin = stdin;
        }

        /** A reader of the source; {@code first}: the first reading (standard input is read, and kept). */
        java.io.Reader open(Source source, boolean first) throws UsageError, InterruptedException {
            InputStream in;
            if (source.url()) {
                in = new ByteArrayInputStream(source.text().getBytes(StandardCharsets.UTF_8));
            } else if (!first && kept.containsKey(source.name())) {
                in = kept.get(source.name()).again();
            } else if (source.name().equals("-")) {
                in = keeping(stdin, source.name());
            } else {
                Path file = Path.of(source.name());
                if (Files.isDirectory(file)) {
                    throw new UsageError(source.name() + " is a folder; give a file with one URL per line");
                }
                try {
                    String version = version(file);
                    if (first) {
                        versions.put(file, version);
                    } else if (!version.equals(versions.get(file))) {
                        throw new UsageError(source.label() + " changed while this run was reading it (the names of its URLs were"
                                + " planned from what it held before): run the command again once nothing writes to it");
                    }
                    in = Files.newInputStream(file);
                    if (version == null) {
                        in = keeping(in, source.name());
                    }
                } catch (IOException e) {
                    throw unreadable(source, e);
                }
            }
            // Binary garbage becomes U+FFFD and then fails as a URL, with its line number, instead of stopping the read.
            var decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE);
            return new java.io.InputStreamReader(in, decoder);
        }

        /**
         * What tells two versions of a file apart: its size, modification time and inode (a file written in place, or
         * renamed over). Null for a pipe or a device, which has no version: its bytes are kept instead.
         */
        private static String version(Path file) throws IOException {
            var attributes = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            return attributes.isRegularFile() ? attributes.size() + " " + attributes.lastModifiedTime().toInstant() + " "
                    + attributes.fileKey() : null;
        }

        /** The bytes of a list read once, read again from where they lie (no copy: a list of millions is tens of MB). */
        private static final class Kept extends java.io.ByteArrayOutputStream {
            InputStream again() {
                return new ByteArrayInputStream(buf, 0, count);
            }
        }

        private InputStream keeping(InputStream in, String name) {
            Kept kept = new Kept();
            this.kept.put(name, kept);
            return new java.io.FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        kept.write(b);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0) {
                        kept.write(buffer, offset, n);
                    }
                    return n;
                }
            };
        }

        /** The second reading failed: an interrupt is kept as one; anything else is told by {@link #failure}. */
        void failed(Source source, Exception e) {
            if (e instanceof ClosedByInterruptException) {
                Thread.currentThread().interrupt();
            } else if (failure == null) {
                failure = e instanceof UsageError ? e.getMessage() : "cannot read " + source.label() + " again: " + Format.message(e);
            }
        }

        /** Why the second reading ended before the last entry, or null. */
        String failure() {
            return failure;
        }
    }

    /** The one entry of a list with -O's name, checked as an out= line is. */
    static UrlList.Entry named(UrlList.Entry entry, String name) throws UsageError {
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

    /** A reading that failed, as the user is told it: interrupted, missing, or unreadable. */
    static UsageError unreadable(Source source, IOException e) throws InterruptedException {
        if (e instanceof ClosedByInterruptException) {
            throw interrupted();
        }
        if (source.name().equals("-")) {
            return new UsageError("cannot read the list from standard input: " + Format.message(e));
        }
        if (e instanceof NoSuchFileException) {
            return new UsageError("cannot read " + source.name() + ": no such file. Give a file with one URL per line, or --demo.");
        }
        return new UsageError("cannot read " + source.name() + ": " + Format.message(e));
    }

    static InterruptedException interrupted() {
        Thread.interrupted(); // told by the exception now, as InterruptedException does
        return new InterruptedException("while reading the list");
    }
}
