package dl;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The command line, as picocli reads it. {@link Cli} turns it into {@link Settings}. */
@Command(name = "Download.java", versionProvider = Options.Version.class, sortOptions = false, usageHelpAutoWidth = true,
        abbreviateSynopsis = true,
        description = {"Downloads every URL of a list in parallel, each on its own thread (virtual by default), "
                + "into NAME.part files that become NAME only when complete."})
final class Options {

    /** The parsed command line itself, for --compare, which hands the user's options on to its children as typed. */
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "URL|LIST", description = "URLs (http:// or https://) and lists: files with one URL per line, - for standard input.")
    List<String> arguments = new ArrayList<>();

    @Option(names = {"-i", "--input-file"}, paramLabel = "LIST", description = "A list: a file with one URL per line, or - for standard input (as wget -i); repeatable.")
    List<String> inputFiles = new ArrayList<>();

    @Option(names = {"-O", "--output-document"}, paramLabel = "NAME", description = "The file name of the run's single URL (as wget -O).")
    String outputDocument;

    @Option(names = {"-o", "--output", "-P", "--directory-prefix", "-d", "--output-dir"}, paramLabel = "DIR", description = "Folder to download into, created if missing (default: this one; --demo: a temporary one). -P as wget, -d as aria2c. "
            + "{shard} in it becomes 00003-of-00010, as in --manifest: each shard has a folder of its own and names its own URLs alone.")
    Path output;

    @Option(names = "--threads", paramLabel = "MODE", completionCandidates = ThreadModes.class, description = "virtual (default) or platform: the kind of thread each download runs on.")
    Threads threads = Threads.VIRTUAL;

    @Option(names = {"-j", "--max-connections", "--max-concurrent-downloads"}, paramLabel = "N", description = "Connections open at once, in all (default: ${DEFAULT-VALUE}).")
    int maxConnections = 1000;

    /** --demo's server and --compare are built for thousands of waiting downloads: they keep many per host. */
    static final int DEMO_PER_HOST = 256;

    @Option(names = "--per-host", paramLabel = "N", description = "Connections open at once to one host (default: "
            + HostWindow.START + ", more while a distant host answers as fast, at most " + HostWindow.CEILING
            + "; --demo and --compare: " + DEMO_PER_HOST + ").")
    Integer perHost;

    /** --per-host as given, else the default of this kind of run ({@link Settings#ADAPTIVE} for a plain run). */
    int perHost() {
        return perHost != null ? perHost : demo || compare ? DEMO_PER_HOST : Settings.ADAPTIVE;
    }

    /** -x's default: measured in docs/BENCHMARKS.md (a connection-throttled server gains, loopback loses nothing). */
    static final int SEGMENTS = 4;
    /** --min-split-size's default: a file under twice this is fetched over one connection. */
    static final long MIN_SPLIT_SIZE = 4L << 20;

    @Option(names = {"-x", "--max-connection-per-server"}, paramLabel = "N", converter = SegmentsConverter.class,
            description = "Connections one large file is fetched over at once, in segments, when its server answers ranges "
                    + "(as aria2c -x; default: " + SEGMENTS + "; 1 for one connection a file). They count against --per-host and -j.")
    int segments = SEGMENTS;

    @Option(names = "--min-split-size", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "No segment smaller than this: a file under twice it takes one connection (as aria2c -k; default: 4M).")
    long minSplitSize = MIN_SPLIT_SIZE;

    @Option(names = "--wait", paramLabel = "SECONDS", converter = SecondsConverter.class, description = "Time between two request starts to the same host (default: none).")
    Duration wait = Duration.ZERO;

    @Option(names = "--random-wait", description = "Vary --wait between 0.5 and 1.5 times, as wget does, so the pattern is less regular.")
    boolean randomWait;

    @Option(names = "--limit-rate", paramLabel = "RATE", converter = SizeConverter.class, description = "Bytes per second for the whole run, all downloads together; K, M suffixes (default: no limit).")
    long limitRate;

    @Option(names = "--overwrite", description = "Replace files that already exist (default: skip them).")
    boolean overwrite;

    @Option(names = {"-N", "--timestamping", "--conditional-get"}, description = "For a file already there, ask the server whether it changed "
            + "(If-None-Match with the ETag saved on the file, If-Modified-Since with its time): unchanged, it is left as it is (up to date); "
            + "changed, the new version replaces it in one step once complete. As wget -N, aria2c --conditional-get.")
    boolean timestamping;

    @Option(names = "--no-remote-time", description = "Give published files the local time as their modification time (default: the server's Last-Modified, as wget does).")
    boolean noRemoteTime;

    @Option(names = {"-nc", "--no-clobber"}, description = "Skip files that already exist, as wget -nc: what Download.java always does without --overwrite.")
    boolean noClobber;

    @Option(names = {"-c", "--continue"}, description = "Resume part files (as wget -c; always done).")
    boolean resume;

    @Option(names = "--content-disposition", description = "Always name files as the server's Content-Disposition says (default: only when the URL has no name).")
    boolean contentDisposition;

    @Option(names = "--retries", paramLabel = "N", description = "Retries after a transient failure (default: ${DEFAULT-VALUE}).")
    int retries = 5;

    @Option(names = {"-t", "--tries"}, paramLabel = "N", description = "Tries in all, as wget counts them (default: 6): --tries N is --retries N-1.")
    void tries(int tries) {
        if (tries < 1) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--tries " + tries + ": give 1 or more tries in all (wget's 0 for endless tries is not supported); --tries N is --retries N-1");
        }
        retries = tries - 1;
    }

    @Option(names = "--retry-delay", paramLabel = "SECONDS", converter = SecondsConverter.class, description = "First wait before a retry; it doubles each time, with jitter (default: 1).")
    Duration retryDelay = Duration.ofSeconds(1);

    @Option(names = "--max-retry-wait", paramLabel = "SECONDS", converter = SecondsConverter.class, description = "Longest wait before a retry, Retry-After included (default: 60).")
    Duration maxRetryWait = Duration.ofSeconds(60);

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", converter = SecondsConverter.class, description = "Give up connecting after this long (default: 10).")
    Duration connectTimeout = Duration.ofSeconds(10);

    @Option(names = "--stall-timeout", paramLabel = "SECONDS", converter = SecondsConverter.class, description = "Retry when no byte arrived for this long (default: 30).")
    Duration stallTimeout = Duration.ofSeconds(30);

    long maxSize;
    /** Whether --max-size was given at all: 0 given is a mistake, 0 by default means no limit. */
    boolean maxSizeGiven;

    @Option(names = "--max-size", paramLabel = "BYTES", converter = SizeConverter.class, description = "Fail a download larger than this; K, M, G suffixes (default: no limit).")
    void maxSize(long bytes) {
        maxSize = bytes;
        maxSizeGiven = true;
    }

    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'", description = "Extra request header, for every URL; repeatable.")
    List<String> headers = new ArrayList<>();

    @ArgGroup(exclusive = true)
    Network network = new Network();

    /** Which proxy: at most one of these (picocli refuses both). */
    static final class Network {
        @Option(names = "--proxy", paramLabel = "URL", description = "Send every request through this HTTP proxy: http://host:port, or http://user:pass@host:port "
                + "(default: http_proxy, https_proxy and no_proxy from the environment, else the JVM's settings).")
        String proxy;

        @Option(names = "--no-proxy", description = "Use no proxy at all, whatever the environment says.")
        boolean noProxy;
    }

    @ArgGroup(exclusive = true)
    Trust trust = new Trust();

    /** Which TLS servers to trust: more of them, or none checked; not both. */
    static final class Trust {
        @Option(names = "--ca-cert", paramLabel = "FILE", description = "Also trust the certificates in this PEM file (a private CA, or a server's own certificate).")
        Path caCert;

        @Option(names = {"--insecure", "--no-check-certificate"}, description = "Do not check TLS certificates at all (prints a warning): anyone on the path can read and change the downloads.")
        boolean insecure;
    }

    @Option(names = "--netrc", description = "Log in with the credentials ~/.netrc has for each URL's host (Basic auth, sent only to that host).")
    boolean netrc;

    @Option(names = "--netrc-file", paramLabel = "FILE", description = "The same with this file instead of ~/.netrc.")
    Path netrcFile;

    @Option(names = "--load-cookies", paramLabel = "FILE", description = "Send the cookies of this cookies.txt (Netscape format, "
            + "as curl -c, wget --save-cookies and browser exporters write it) where their domain, path and Secure let them go.")
    Path loadCookies;

    @Option(names = {"--save-cookies", "--cookie-jar"}, paramLabel = "FILE", description = "At the end of the run, write every cookie "
            + "(loaded and set by the servers) to this file in the same format, readable by you alone.")
    Path saveCookies;

    @Option(names = "--location-trusted", description = "Send Authorization, Cookie and Proxy-Authorization headers along when a redirect leads to another host (default: only to the URL's own scheme, host and port; never from https to http).")
    boolean locationTrusted;

    @Option(names = {"-A", "--user-agent"}, paramLabel = "TEXT", description = "User-Agent header (default: ${DEFAULT-VALUE}).")
    String userAgent = Settings.USER_AGENT;

    @ArgGroup(exclusive = true)
    Output shown = new Output();

    /** How the run is shown: one of these at most (picocli refuses two). */
    static final class Output {
        @Option(names = {"-q", "--quiet"}, description = "Print only failures and the one-line count.")
        boolean quiet;

        @Option(names = {"-v", "--verbose"}, description = "Also a progress line per download each second.")
        boolean verbose;

        @Option(names = "--json", description = "Every event as one JSON object a line on standard output (NDJSON), then a summary object.")
        boolean json;
    }

    @Option(names = "--shard", paramLabel = "I/N", converter = ShardConverter.class, description = "Download only shard I of N (0 <= I < N): the URLs whose "
            + "SHA-256 says so. N processes with 0..N-1 share one list and one folder, each URL fetched by exactly one.")
    Shard shard;

    @Option(names = "--manifest", paramLabel = "FILE", description = "Append one JSON line per URL as it ends (file, outcome, bytes, sha256, attempts) "
            + "and a summary line; a rerun with it skips what it records as done (file there, same size) without a request, also with --overwrite. "
            + "{shard} in the name becomes 00003-of-00010; without it, give each shard a name of its own (m-$INDEX.ndjson).")
    String manifest;

    @Option(names = "--only-failed", paramLabel = "MANIFEST", description = "Download only the URLs of the list that this manifest does not record as done: "
            + "those that failed, were stopped or never ended. {shard} as in --manifest.")
    String onlyFailed;

    @Option(names = {"-n", "--dry-run"}, description = "Print the plan (URL -> file) and make no request.")
    boolean dryRun;

    /** --help as given: null without it, "all" for every option, anything else for the common ones (see {@link Usage}). */
    @Option(names = {"-h", "--help"}, arity = "0..1", paramLabel = "all", fallbackValue = "common",
            description = "This help; --help all: every option.")
    String help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Show the version, the JDK and the system.")
    boolean version;

    @Option(names = "--completion", paramLabel = "SHELL", description = "Print a completion script for the 'download' command (bash or zsh): "
            + "source <(download --completion bash).")
    void completion(String shell) {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--completion takes bash or zsh, not '" + shell + "'");
        }
        completion = shell;
    }

    String completion;

    @ArgGroup(exclusive = true)
    Configuration configuration = new Configuration();

    /**
     * Where defaults for the options come from. {@link Config} reads the file before picocli parses, so these two
     * are read there from the arguments; they are declared here for --help, and so that picocli accepts them.
     */
    static final class Configuration {
        @Option(names = "--config", paramLabel = "FILE", description = "Read defaults for long options from this file instead of "
                + "$XDG_CONFIG_HOME/download/config (else ~/.config/download/config): one 'option = value' a line, a flag as 'option', # comments. "
                + "Options typed on the command line win.")
        Path file;

        @Option(names = "--no-config", description = "Read no configuration file.")
        boolean none;
    }

    @Option(names = "--debug", description = "Show the stack trace of an internal error.")
    boolean debug;

    @Option(names = "--compare", description = "Run the job once per thread mode, each in a fresh JVM, and print the figures side by side.")
    boolean compare;

    @Option(names = "--sweep", paramLabel = "N", split = ",", splitSynopsisLabel = ",", description = "With --compare --demo: repeat for these numbers of demo files, and write a chart (SVG) and JSON.")
    List<Integer> sweep;

    @Option(names = "--report", paramLabel = "DIR", description = "Where --sweep writes sweep.svg and sweep.json (default: -o's folder, else the current one).")
    Path report = Path.of("");

    boolean reportGiven() {
        return !report.toString().isEmpty();
    }

    /** The configuration file's settings, read before picocli parses (see {@link Config}); for messages and --verbose. */
    Config config = Config.NONE;

    @Option(names = "--measure-held", hidden = true, description = "For --compare's children: a full GC and a memory reading when all downloads are forked.")
    boolean measureHeld;

    @Option(names = "--demo", description = "Download from a built-in server on 127.0.0.1, offline, instead of a list.")
    boolean demo;

    @Option(names = "--demo-files", paramLabel = "N", description = "Files the demo downloads (default: ${DEFAULT-VALUE}).")
    int demoFiles = 2000;

    @Option(names = "--demo-size", paramLabel = "BYTES", converter = SizeConverter.class, description = "Size of each demo file; K, M suffixes (default: 64K).")
    long demoSize = 64 * 1024;

    @Option(names = "--demo-delay", paramLabel = "SECONDS", converter = SecondsConverter.class, description = "How long the demo server waits before each answer (default: 0.5).")
    Duration demoDelay = Duration.ofMillis(500);

    /** --version: the tool, and the JDK and system it runs on, as a bug report needs them. */
    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                    Settings.USER_AGENT.replace('/', ' '),
                    "JDK: " + System.getProperty("java.vm.name") + " " + Runtime.version() + " (" + System.getProperty("java.home") + ")",
                    "OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch")
                            + ", " + Runtime.getRuntime().availableProcessors() + " cores"};
        }
    }

    /** The thread modes as people type them, for --help and shell completion (picocli would offer VIRTUAL). */
    static final class ThreadModes implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(Threads.values()).map(t -> t.name().toLowerCase(Locale.ROOT)).iterator();
        }
    }

    /** -x N: curl's -x is its proxy, so a URL or host:port given here says where that went. */
    static final class SegmentsConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n;
            try {
                n = Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a number of connections"
                        + (value.contains(":") || value.contains(".") ? " (curl's -x PROXY is --proxy PROXY here)" : ""));
            }
            if (n < 1 || n > HostWindow.CEILING) {
                throw new TypeConversionException(n + " connections: give 1 to " + HostWindow.CEILING + " (1 fetches each file over one connection)");
            }
            return n;
        }
    }

    static final class ShardConverter implements ITypeConverter<Shard> {
        @Override
        public Shard convert(String value) {
            try {
                return Shard.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Seconds as a decimal number: 10, 0.5. */
    static final class SecondsConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                double seconds = Double.parseDouble(value.strip());
                if (!(seconds >= 0) || seconds > 1e7) {
                    throw new NumberFormatException();
                }
                return Duration.ofNanos((long) (seconds * 1e9));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a number of seconds (like 10 or 0.5)");
            }
        }
    }

    /** Bytes with an optional K, M or G (powers of 1024). */
    static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.strip().toUpperCase(Locale.ROOT).replaceAll("I?B$", "");
            long unit = 1;
            if (!v.isEmpty() && "KMG".indexOf(v.charAt(v.length() - 1)) >= 0) {
                unit = 1L << (10 * ("KMG".indexOf(v.charAt(v.length() - 1)) + 1));
                v = v.substring(0, v.length() - 1);
            }
            try {
                double n = Double.parseDouble(v);
                if (!(n >= 0) || n * unit > Long.MAX_VALUE / 2) {
                    throw new NumberFormatException();
                }
                return (long) (n * unit);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a size (like 5000, 64K, 10M or 2G)");
            }
        }
    }
}
