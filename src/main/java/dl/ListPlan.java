package dl;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The list of a run, read twice so that its length costs a few bytes a URL, not its text. The first reading, before
 * anything is fetched, checks every line, finds the duplicates and plans every name, keeping {@link Fingerprint}s:
 * of each URL (to find a later copy), of each name taken ({@link FileNames.Unique}), and which entries are
 * duplicates and which names are numbered. The second reading, while the downloads are forked, reads the lines
 * again and makes each job as its turn comes: the same entries in the same order, the same names.
 *
 * <p>A list file is opened again for the second reading; standard input, which cannot be, is kept as the bytes
 * read. A list file written to after the first reading opened it (its size, time or inode differ) is not read again:
 * its names were planned from what it held, so the run fetches none of it and says why; one that changes while the
 * second reading reads it is trusted no further than as many entries as the first found.
 */
final class ListPlan {

    /** Problems kept to show: the run prints this many and counts the rest. */
    static final int KEPT_PROBLEMS = 50;
    /** The sign bit of a URL's int: its entry was used (not only seen). */
    private static final int USED = Integer.MIN_VALUE;

    private final List<Inputs.Source> sources;
    private final Inputs.Again again;
    private final String label;
    /** By the number of a URL line among all (usable URL lines only): the line repeats one before it in its list. */
    private final BitSet repeatedInItsList = new BitSet();
    /** By the number of an entry a list gave: its URL came in an earlier list (or URL argument). */
    private final BitSet repeatedElsewhere = new BitSet();
    /** By entry number + 1: N when the entry's name is the N-th numbered form of the name it wants; absent for 0. */
    private final FingerprintTable numbered;
    private FileNames.Unique names;
    private final List<UrlList.Problem> problems = new ArrayList<>();
    private int problemCount;
    private int size;
    private Predicate<URI> keep;
    /** The URLs this plan names (a shard in a folder of its own: its own), or null for every URL of the list. */
    private Predicate<URI> planned;
    /** URL lines passed over as not {@link #planned}. */
    private long passedOver;
    /** By entry number: not fetched by this run (another shard's, or done). */
    private final BitSet dropped = new BitSet();
    private int kept;
    private boolean https;
    /**
     * Where the kept entries are, while they are few (a shard's, a rerun's): source, line and entry number of each,
     * three ints in a row. The second reading then reads those lines alone. Null once they are too many to be worth it.
     */
    private int[] where = new int[3 * 64];
    /** -O's name for the one entry, or null. */
    private final String outputDocument;

    private ListPlan(List<Inputs.Source> sources, Inputs.Again again, String label, long expected, String outputDocument) {
        this.sources = sources;
        this.again = again;
        this.label = label;
        this.names = new FileNames.Unique(expected);
        this.numbered = new FingerprintTable(16, true);
        this.outputDocument = outputDocument;
    }

    /** The first reading: every line checked, every name planned. */
    static ListPlan read(Options o, java.io.InputStream stdin) throws UsageError, InterruptedException {
        return read(o, stdin, url -> true);
    }

    /**
     * The first reading; {@code keep}: whether this run fetches the URL (its shard, not done earlier). Every entry is
     * planned, kept or not, so that a name does not depend on which of the list's URLs this run fetches.
     */
    static ListPlan read(Options o, java.io.InputStream stdin, Predicate<URI> keep) throws UsageError, InterruptedException {
        return read(o, stdin, null, 1, keep);
    }

    /**
     * The first reading of a plan that names only the {@code planned} URLs, about one in {@code share} of the list
     * (a shard in a folder of its own): the others are checked as lines and passed over, and cost no memory.
     */
    static ListPlan read(Options o, java.io.InputStream stdin, Predicate<URI> planned, int share, Predicate<URI> keep)
            throws UsageError, InterruptedException {
        List<Inputs.Source> sources = Inputs.sources(o);
        Inputs.Again again = new Inputs.Again(stdin);
        long expected = Inputs.expectedEntries(sources) / share + 16;
        ListPlan plan = new ListPlan(sources, again, Inputs.label(o), expected, o.outputDocument);
        plan.keep = keep;
        plan.planned = planned;
        new First(plan, expected).read();
        if (o.outputDocument != null && plan.size > 1) {
            throw new UsageError("-O " + o.outputDocument + " names the file of a single URL, but there are " + plan.size
                    + " URLs; give one URL, or -o DIR for a folder (or out=NAME lines in a list)");
        }
        return plan;
    }

    /** Entries (URLs fetched once each, duplicates left out). */
    int size() {
        return size;
    }

    /** URL lines of the list that this plan passed over, as another's to plan. */
    long passedOver() {
        return passedOver;
    }

    /** Entries this run fetches: those it was asked to keep. */
    int kept() {
        return kept;
    }

    /** True when one of the URLs this run fetches is an https URL. */
    boolean anyHttps() {
        return https;
    }

    /** Why the second reading ended before its last job, or null. */
    String failure() {
        return again.failure();
    }

    String label() {
        return label;
    }

    /** The first {@link #KEPT_PROBLEMS} problems, in the order of the lists. */
    List<UrlList.Problem> problems() {
        return problems;
    }

    /** Every problem, shown or not. */
    int problemCount() {
        return problemCount;
    }

    /** The entries again, in order, duplicates left out: -O's name given to the one entry where it applies. */
    Iterator<UrlList.Entry> entries() {
        return new Second(this, UnaryOperator.identity()).entries();
    }

    /**
     * The jobs, made as they are asked for: each with its planned name and its number in the list, the whole list's
     * names kept free of server-chosen names; {@code each} may change an entry first (credentials from .netrc).
     */
    Iterator<Job> jobs(UnaryOperator<UrlList.Entry> each) {
        return new Second(this, each);
    }

    /**
     * Notes where the entry just kept is, while the kept ones are at most a quarter of all (and a few thousand more);
     * always in a plan of some URLs alone, whose second reading must pass over the others' lines as the first did.
     */
    private void note(int source, int line) {
        if (where == null) {
            return;
        }
        if (kept * 4L > size + 4096 && planned == null) {
            where = null; // most of the list is kept: the second reading reads it all
            return;
        }
        if (3 * kept > where.length) {
            where = java.util.Arrays.copyOf(where, where.length * 2);
        }
        where[3 * kept - 3] = source;
        where[3 * kept - 2] = line;
        where[3 * kept - 1] = size;
    }

    private void problem(UrlList.Problem problem) {
        problemCount++;
        if (problems.size() < KEPT_PROBLEMS) {
            problems.add(problem);
        }
    }

    /** The first reading. URLs are known by the position of their line among all lines: {@code base} + line. */
    private static final class First implements UrlList.Sink {
        private final ListPlan plan;
        /** Fingerprint of each URL seen: its position, with {@link #USED} set once an entry is made of it. */
        private final FingerprintTable seen;
        private final List<Integer> bases = new ArrayList<>();
        private int sourceIndex;
        private int base;
        private int lastLine;
        private int urlLines;
        private int entries;
        /** Problems about URLs given in an earlier input: told after the list's own, as they were found after. */
        private final List<UrlList.Problem> later = new ArrayList<>();
        private int laterCount;
        private UrlList.Entry only;
        /** The fingerprints of the last two URL lines, and their lines: an entry's is one of them. */
        private final long[] recent = new long[2];
        private final int[] recentLines = new int[2];
        /**
         * Where a URL was used first, for those whose {@link #seen} position moved to a later input (see {@link #used}):
         * kept only while such messages are still shown, so a handful at most.
         */
        private final java.util.Map<Long, Integer> firstUsed = new java.util.HashMap<>();

        First(ListPlan plan, long expected) {
            this.plan = plan;
            this.seen = new FingerprintTable(expected, true);
        }

        void read() throws UsageError, InterruptedException {
            for (Inputs.Source source : plan.sources) {
                sourceIndex = bases.size();
                bases.add(base);
                lastLine = 0;
                java.util.Arrays.fill(recentLines, -1); // line numbers start again
                try (Reader reader = plan.again.open(source, true)) {
                    UrlList.Reading reading = new UrlList.Reading(reader, source.label(), this);
                    int given = 0;
                    for (UrlList.Entry entry; (entry = reading.next()) != null; given++) {
                        if (Thread.interrupted()) {
                            throw Inputs.interrupted(); // a list of millions takes seconds to check
                        }
                        used(source, entry);
                    }
                    if (reading.binary() && !source.url() && given == 0) {
                        throw new UsageError(source.name() + " is not a text file (it holds NUL bytes): give a file with one URL per line");
                    }
                } catch (IOException e) {
                    throw Inputs.unreadable(source, e);
                }
                later.forEach(plan::problem);
                plan.problemCount += laterCount - later.size();
                later.clear();
                laterCount = 0;
                base += lastLine + 1;
            }
            if (plan.outputDocument != null && plan.size == 1 && plan.sources.stream().filter(Inputs.Source::url).count() != 1) {
                // -O names the one entry: plan that name instead of the URL's.
                only = Inputs.named(only, plan.outputDocument);
                plan.names = new FileNames.Unique();
                plan.names.take(FileNames.wanted(only.url(), only.out()));
            }
        }

        @Override
        public int firstLine(URI url, int line) {
            int position = base + line;
            lastLine = line;
            if (plan.planned != null && !plan.planned.test(url)) {
                plan.passedOver++;
                return PASSED_OVER;
            }
            long fingerprint = Fingerprint.of(url);
            recentLines[urlLines & 1] = line;
            recent[urlLines & 1] = fingerprint;
            int earlier = seen.get(fingerprint);
            int ordinal = urlLines++;
            if (earlier != FingerprintTable.MISSING && (earlier & ~USED) >= base) {
                plan.repeatedInItsList.set(ordinal);
                return (earlier & ~USED) - base;
            }
            // Seen in an earlier input but never used there: from now on its first line is this one. Used there: it stays
            // that input's, for the message that the entry will get.
            if (earlier == FingerprintTable.MISSING || (earlier & USED) == 0) {
                seen.put(fingerprint, position);
            }
            return 0;
        }

        /** An entry the list gave: used, unless an earlier input had its URL. */
        private void used(Inputs.Source source, UrlList.Entry entry) {
            int ordinal = entries++;
            // Its URL line was the last or the one before (the reading hands an entry out once the next line is read).
            int i = recentLines[0] == entry.line() ? 0 : recentLines[1] == entry.line() ? 1 : -1;
            long fingerprint = i >= 0 ? recent[i] : Fingerprint.of(entry.url());
            int earlier = seen.get(fingerprint);
            int position = base + entry.line();
            if (earlier != FingerprintTable.MISSING && (earlier & USED) != 0 && (earlier & ~USED) != position) {
                plan.repeatedElsewhere.set(ordinal);
                laterCount++;
                Integer used = firstUsed.get(fingerprint);
                int first = used != null ? used : earlier & ~USED;
                if (showing()) {
                    later.add(new UrlList.Problem(source.label(), entry.line(), "duplicate of " + where(first) + " ("
                            + Format.shorten(UrlText.masked(entry.url().toString())) + "); skipped"));
                    firstUsed.put(fingerprint, first);
                } else {
                    firstUsed.clear(); // no message of this kind is shown any more
                }
                // From now on this input's line is the URL's first, for the copies further down in this input.
                seen.put(fingerprint, position | USED);
                return;
            }
            seen.put(fingerprint, position | USED);
            int number = plan.names.number(FileNames.wanted(entry.url(), entry.out()));
            if (number != 0) {
                plan.numbered.put(plan.size + 1, number);
            }
            plan.size++;
            if (plan.size == 1) {
                only = entry;
            }
            if (plan.keep.test(entry.url())) {
                plan.kept++;
                plan.https |= "https".equalsIgnoreCase(entry.url().getScheme());
                plan.note(sourceIndex, entry.line());
            } else {
                plan.dropped.set(plan.size);
            }
        }

        /** True while a problem found now would still be among those shown. */
        private boolean showing() {
            return plan.problems.size() + later.size() < KEPT_PROBLEMS;
        }

        @Override
        public void entry(UrlList.Entry entry) {
            throw new IllegalStateException("entries come from the reading");
        }

        @Override
        public void problem(UrlList.Problem problem) {
            lastLine = problem.line();
            plan.problem(problem);
        }

        /** How a message names the first line of a URL: FILE:LINE, or "argument N" for a URL argument. */
        private String where(int position) {
            int source = 0;
            while (source + 1 < bases.size() && bases.get(source + 1) <= position) {
                source++;
            }
            Inputs.Source s = plan.sources.get(source);
            return s.url() ? s.label() : s.label() + ":" + (position - bases.get(source));
        }
    }

    /** The second reading: the same entries, made jobs one at a time. */
    private static final class Second implements Iterator<Job>, UrlList.Sink {
        private final ListPlan plan;
        private final UnaryOperator<UrlList.Entry> each;
        private int source = -1;
        private Reader reader;
        private UrlList.Reading reading;
        private int urlLines;
        private int entries;
        private int made;
        private Job next;
        /** In a reading of the noted lines alone: the next of them, by its place in {@link ListPlan#where}. */
        private int noted;

        Second(ListPlan plan, UnaryOperator<UrlList.Entry> each) {
            this.plan = plan;
            this.each = each;
        }

        Iterator<UrlList.Entry> entries() {
            return new Iterator<>() {
                private UrlList.Entry next;

                @Override
                public boolean hasNext() {
                    if (next == null) {
                        next = entry();
                    }
                    return next != null;
                }

                @Override
                public UrlList.Entry next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    UrlList.Entry entry = next;
                    next = null;
                    return entry;
                }
            };
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                UrlList.Entry entry = entry();
                if (entry == null) {
                    break;
                }
                if (plan.where != null || !plan.dropped.get(made)) {
                    entry = each.apply(entry);
                    int number = plan.numbered.get(made);
                    String wanted = FileNames.wanted(entry.url(), entry.out());
                    String name = number == FingerprintTable.MISSING ? wanted : FileNames.numbered(wanted, number);
                    next = new Job(made, entry.url(), name, entry.checksum(), entry.headers(), null, plan.names.taken());
                }
            }
            return next != null;
        }

        @Override
        public Job next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Job job = next;
            next = null;
            return job;
        }

        /** The next entry used, or null at the end (or when the list cannot be read again: see {@link Inputs.Again}). */
        private UrlList.Entry entry() {
            try {
                return plan.where != null ? notedEntry() : anyEntry();
            } catch (IOException | UsageError e) {
                return failed(e);
            } catch (InterruptedException e) {
                return interrupted();
            }
        }

        private UrlList.Entry anyEntry() throws IOException, UsageError, InterruptedException {
            while (made < plan.size) {
                if (reading == null) {
                    if (++source >= plan.sources.size()) {
                        source = plan.sources.size() - 1;
                        return ended();
                    }
                    reader = plan.again.open(plan.sources.get(source), false);
                    reading = new UrlList.Reading(reader, "", this);
                }
                UrlList.Entry entry = reading.next();
                if (entry == null) {
                    close();
                    continue;
                }
                if (plan.repeatedElsewhere.get(entries++)) {
                    continue;
                }
                made++;
                return named(entry);
            }
            close();
            return null;
        }

        /** The next of the noted entries: only their lines are read; the lines of other shards are passed over unread. */
        private UrlList.Entry notedEntry() throws IOException, UsageError, InterruptedException {
            int[] where = plan.where;
            while (noted < plan.kept) {
                if (reading == null || where[3 * noted] != source) {
                    close();
                    source = where[3 * noted];
                    reader = plan.again.open(plan.sources.get(source), false);
                    int from = noted;
                    reading = new UrlList.Reading(reader, "", this, new java.util.function.IntPredicate() {
                        private int at = from;

                        @Override
                        public boolean test(int line) {
                            while (at < plan.kept && where[3 * at] == source && where[3 * at + 1] < line) {
                                at++;
                            }
                            return !(at < plan.kept && where[3 * at] == source && where[3 * at + 1] == line);
                        }
                    });
                }
                UrlList.Entry entry = reading.next();
                if (entry == null) {
                    return ended();
                }
                made = where[3 * noted + 2];
                noted++;
                return named(entry);
            }
            close();
            return null;
        }

        /** -O's name for the one entry, where it applies. */
        private UrlList.Entry named(UrlList.Entry entry) throws UsageError {
            if (plan.outputDocument != null && plan.size == 1 && plan.sources.stream().filter(Inputs.Source::url).count() != 1) {
                return Inputs.named(entry, plan.outputDocument);
            }
            return entry;
        }

        private UrlList.Entry failed(Exception e) {
            close();
            plan.again.failed(plan.sources.get(source), e);
            return null;
        }

        /** The list gave fewer entries than the first reading found: it changed since, and no more of it is trusted. */
        private UrlList.Entry ended() {
            return failed(new IOException("it ended sooner than when it was first read (was it written to meanwhile?)"));
        }

        private UrlList.Entry interrupted() {
            close();
            Thread.currentThread().interrupt(); // the fork loop sees it, and forks no more
            return null;
        }

        private void close() {
            if (reader != null) {
                try {
                    reader.close();
                } catch (IOException e) {
                    // Read to its end already, or failed: nothing more to lose.
                }
            }
            reader = null;
            reading = null;
        }

        @Override
        public int firstLine(URI url, int line) {
            // Reading the noted lines alone, every URL read is a kept entry's: none is a duplicate.
            return plan.where == null && plan.repeatedInItsList.get(urlLines++) ? 1 : 0;
        }

        @Override
        public void entry(UrlList.Entry entry) {
            throw new IllegalStateException("entries come from the reading");
        }

        @Override
        public void problem(UrlList.Problem problem) {
            // Told by the first reading.
        }
    }
}
