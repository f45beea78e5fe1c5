package dl;

import com.google.common.net.InternetDomainName;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The run's cookies, by RFC 6265: what {@code Set-Cookie} answers set (a login redirect's session cookie reaches
 * its target), and what {@code --load-cookies} read from a cookies.txt as curl, wget and browser exporters write
 * it. A cookie goes only where its domain, path, {@code Secure} and expiry let it; never to another host, never
 * over http when {@code Secure}; a domain that is a single label ({@code com}) or a mismatched IP address is refused.
 *
 * <p>Why not the JDK's {@link java.net.CookieManager}: it keeps RFC 2965's rules, so {@code a.b.example.com} may not
 * set a cookie for {@code example.com} (every browser may), it takes the quotes off {@code d="q"}, and its store
 * forgets whether a cookie was host-only, which a cookies.txt line must say. It also has no place for our own HTTP
 * client's hops ({@link Redirects}). So the jar is this class; it shares nothing with the views.
 *
 * <p>Download threads call {@link #remember} and {@link #header} at once: the cookies are in concurrent maps, by
 * domain, and a cookie is an immutable record replaced whole. Only the main thread loads and saves, outside the run.
 */
final class Cookies {

    /** What a cookies.txt line and a stored cookie hold. {@code expires}: epoch seconds, 0 for the session only. */
    record Cookie(String name, String value, String domain, boolean hostOnly, String path, boolean secure, boolean httpOnly,
                  long expires, long created) {

        boolean expired(long now) {
            return expires != 0 && expires <= now;
        }

        String key() {
            return name + "\t" + path;
        }
    }

    /** RFC 6265's least limits a client should keep (6.1): more from one domain drops that domain's oldest. */
    static final int PER_DOMAIN = 50;
    static final int IN_ALL = 3000;
    static final int MAX_COOKIE = 4096;
    /** A browser's export of every cookie it has is a few MiB; more is another file given by mistake, or a device. */
    static final int MAX_FILE = 16 << 20;

    /** By domain (lower case, no leading dot), then by name and path. */
    private final Map<String, Map<String, Cookie>> byDomain = new ConcurrentHashMap<>();
    private final AtomicLong order = new AtomicLong();

    /** The time in epoch seconds; a test's own clock. */
    private final java.util.function.LongSupplier clock;

    Cookies() {
        this(() -> System.currentTimeMillis() / 1000);
    }

    Cookies(java.util.function.LongSupplier clock) {
        this.clock = clock;
    }

    /** The Cookie header's value for a request to {@code url}, or null when no cookie may go there. */
    String header(URI url) {
        if (byDomain.isEmpty()) {
            return null;
        }
        String host = host(url);
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        long now = clock.getAsLong();
        List<Cookie> going = new ArrayList<>();
        // The host and each of its parent domains: the only places a cookie for it can be kept.
        for (String domain = host; domain != null; domain = parent(domain)) {
            Map<String, Cookie> cookies = byDomain.get(domain);
            if (cookies == null) {
                continue;
            }
            for (Cookie c : cookies.values()) {
                boolean hostFits = c.hostOnly() ? host.equals(c.domain()) : domainMatch(host, c.domain());
                if (hostFits && pathMatch(path, c.path()) && (https || !c.secure()) && !c.expired(now)) {
                    going.add(c);
                }
            }
            if (isIp(host)) {
                break; // an IP address has no parent domains
            }
        }
        if (going.isEmpty()) {
            return null;
        }
        // RFC 6265 5.4: longer paths first, then the older cookie first.
        going.sort(Comparator.comparingInt((Cookie c) -> -c.path().length()).thenComparingLong(Cookie::created));
        StringBuilder header = new StringBuilder();
        for (Cookie c : going) {
            header.append(header.isEmpty() ? "" : "; ").append(c.name()).append('=').append(c.value());
        }
        return header.toString();
    }

    /** Keeps what the {@code Set-Cookie} headers of an answer from {@code url} set, by RFC 6265's storage model (5.3). */
    void remember(URI url, List<String> setCookies) {
        for (String line : setCookies) {
            Cookie cookie = parse(line, url, clock.getAsLong(), order.incrementAndGet());
            if (cookie != null) {
                put(cookie);
            }
        }
    }

    /** Whether there is any cookie at all, expired ones included. */
    boolean isEmpty() {
        return byDomain.values().stream().allMatch(Map::isEmpty);
    }

    private void put(Cookie cookie) {
        Map<String, Cookie> cookies = byDomain.computeIfAbsent(cookie.domain(), d -> new ConcurrentHashMap<>());
        if (cookie.expired(clock.getAsLong())) {
            cookies.remove(cookie.key()); // how a server deletes a cookie: Max-Age=0, or an Expires in the past
            return;
        }
        // A replacement keeps the creation time of the cookie it replaces (5.3 step 11), so the order stays.
        cookies.merge(cookie.key(), cookie, (earlier, now) -> withCreated(now, earlier.created()));
        // A server that sets a new cookie with every answer must not fill the memory: drop the oldest beyond the limits.
        synchronized (this) {
            while (cookies.size() > PER_DOMAIN) {
                cookies.values().stream().min(Comparator.comparingLong(Cookie::created)).ifPresent(c -> cookies.remove(c.key(), c));
            }
            while (count() > IN_ALL) {
                all().stream().min(Comparator.comparingLong(Cookie::created))
                        .ifPresent(c -> byDomain.getOrDefault(c.domain(), Map.of()).remove(c.key(), c));
            }
        }
    }

    private static Cookie withCreated(Cookie c, long created) {
        return new Cookie(c.name(), c.value(), c.domain(), c.hostOnly(), c.path(), c.secure(), c.httpOnly(), c.expires(), created);
    }

    private int count() {
        return byDomain.values().stream().mapToInt(Map::size).sum();
    }

    private List<Cookie> all() {
        return byDomain.values().stream().flatMap(m -> m.values().stream()).toList();
    }

    // ---- Set-Cookie, RFC 6265 5.2

    /** The cookie a Set-Cookie header sets for an answer from {@code url}, or null when it is to be ignored. */
    static Cookie parse(String setCookie, URI url, long now, long created) {
        String[] parts = setCookie.split(";", -1);
        int equals = parts[0].indexOf('=');
        if (equals < 0) {
            return null;
        }
        String name = parts[0].substring(0, equals).strip();
        String value = parts[0].substring(equals + 1).strip();
        if (name.isEmpty() || name.length() + value.length() > MAX_COOKIE || !token(name) || !cookieValue(value)) {
            return null;
        }
        long expires = 0;
        Long maxAge = null;
        String domain = null;
        String path = null;
        boolean secure = false;
        boolean httpOnly = false;
        for (int i = 1; i < parts.length; i++) {
            String attribute = parts[i];
            int eq = attribute.indexOf('=');
            String key = (eq < 0 ? attribute : attribute.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String v = eq < 0 ? "" : attribute.substring(eq + 1).strip();
            switch (key) {
                case "expires" -> {
                    long at = cookieDate(v);
                    if (at != Long.MIN_VALUE) {
                        expires = Math.max(at, 1); // 0 means a session cookie: 1970 itself is long past
                    }
                }
                case "max-age" -> {
                    if (v.matches("-?[0-9]+")) {
                        long delta = v.length() > 18 ? (v.startsWith("-") ? -1 : Long.MAX_VALUE / 4) : Long.parseLong(v);
                        maxAge = delta <= 0 ? 1 : Math.min(now + delta, Long.MAX_VALUE / 2);
                    }
                }
                case "domain" -> {
                    if (!v.isEmpty()) {
                        domain = (v.startsWith(".") ? v.substring(1) : v).toLowerCase(Locale.ROOT);
                    }
                }
                case "path" -> path = v.startsWith("/") ? v : null;
                case "secure" -> secure = true;
                case "httponly" -> httpOnly = true;
                default -> { }
            }
        }
        if (maxAge != null) {
            expires = maxAge; // Max-Age wins over Expires, wherever it stands
        }
        String host = host(url);
        boolean hostOnly;
        if (domain == null) {
            hostOnly = true;
            domain = host;
        } else if (!domain.contains(".") || isIp(domain) || publicSuffix(domain)) {
            // A cookie for a whole top-level domain (com), a public suffix (co.uk, github.io), or an IP address not
            // the server's own would go to servers that never set it; the server's own name or address keeps it for
            // itself (RFC 6265 5.3 step 5).
            if (!domain.equals(host)) {
                return null;
            }
            hostOnly = true;
        } else if (domainMatch(host, domain)) {
            hostOnly = false;
        } else {
            return null; // another site's domain
        }
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        if (secure && !https) {
            return null; // RFC 6265bis: a plain-http answer may not set a Secure cookie (it could overwrite an https one)
        }
        String defaultPath = defaultPath(url);
        return new Cookie(name, value, domain, hostOnly, path != null ? path : defaultPath, secure, httpOnly, expires, created);
    }

    /** A token (RFC 9110 5.6.2): a cookie name with a space or a control character is no name. */
    private static boolean token(String text) {
        return text.chars().allMatch(c -> c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0);
    }

    /** No control character or line break can reach a request header through a cookie's value. */
    private static boolean cookieValue(String text) {
        return text.chars().allMatch(c -> c >= 0x20 && c != 0x7f && c != ';');
    }

    /** RFC 6265 5.1.4: the request path up to its last slash, or "/". */
    private static String defaultPath(URI url) {
        String path = url.getRawPath();
        if (path == null || !path.startsWith("/") || path.lastIndexOf('/') == 0) {
            return "/";
        }
        return path.substring(0, path.lastIndexOf('/'));
    }

    private static final Pattern TIME = Pattern.compile("(\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:[^\\d].*)?");
    private static final Pattern DAY = Pattern.compile("(\\d{1,2})(?:[^\\d].*)?");
    private static final Pattern YEAR = Pattern.compile("(\\d{2,4})(?:[^\\d].*)?");
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");

    /** RFC 6265 5.1.1's forgiving date reading, in epoch seconds, or Long.MIN_VALUE for none. */
    static long cookieDate(String text) {
        Integer hour = null;
        Integer minute = null;
        Integer second = null;
        Integer day = null;
        Integer month = null;
        Integer year = null;
        for (String token : text.split("[\\x09\\x20-\\x2f\\x3b-\\x40\\x5b-\\x60\\x7b-\\x7e]+")) {
            if (token.isEmpty()) {
                continue;
            }
            Matcher m;
            if (hour == null && (m = TIME.matcher(token)).matches()) {
                hour = Integer.parseInt(m.group(1));
                minute = Integer.parseInt(m.group(2));
                second = Integer.parseInt(m.group(3));
            } else if (day == null && (m = DAY.matcher(token)).matches()) {
                day = Integer.parseInt(m.group(1));
            } else if (month == null && token.length() >= 3 && MONTHS.contains(token.substring(0, 3).toLowerCase(Locale.ROOT))) {
                month = MONTHS.indexOf(token.substring(0, 3).toLowerCase(Locale.ROOT)) + 1;
            } else if (year == null && (m = YEAR.matcher(token)).matches()) {
                year = Integer.parseInt(m.group(1));
            }
        }
        if (hour == null || day == null || month == null || year == null) {
            return Long.MIN_VALUE;
        }
        year += year >= 70 && year <= 99 ? 1900 : year <= 69 ? 2000 : 0;
        if (year < 1601 || hour > 23 || minute > 59 || second > 59) {
            return Long.MIN_VALUE;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return Long.MIN_VALUE; // the 31st of April
        }
    }

    // ---- matching, RFC 6265 5.1.3 and 5.1.4

    /** The URL's host in lower case, without an IPv6 address's brackets. */
    static String host(URI url) {
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * A domain with many owners, from the Public Suffix List (co.uk, github.io): Guava carries the list, the JDK
     * keeps its own copy behind an internal API only.
     */
    static boolean publicSuffix(String domain) {
        return InternetDomainName.isValid(domain) && InternetDomainName.from(domain).isPublicSuffix();
    }

    static boolean domainMatch(String host, String domain) {
        return host.equals(domain) || !isIp(host) && host.endsWith("." + domain);
    }

    static boolean pathMatch(String requestPath, String cookiePath) {
        return requestPath.equals(cookiePath) || requestPath.startsWith(cookiePath)
                && (cookiePath.endsWith("/") || requestPath.charAt(cookiePath.length()) == '/');
    }

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    static boolean isIp(String host) {
        return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
    }

    private static String parent(String domain) {
        int dot = domain.indexOf('.');
        return dot < 0 || dot == domain.length() - 1 ? null : domain.substring(dot + 1);
    }

    // ---- cookies.txt

    private static final Pattern WITH_PORT = Pattern.compile("\\[([0-9a-f:.]+)]:\\d+|([^:\\[\\]]+):\\d+");

    /** A line of a cookies.txt that is none, for a warning (never with its content: it may hold a session). */
    record Problem(int line, String reason) {}

    /** Reads a cookies.txt (Netscape format, as curl -c and wget --save-cookies write it) into this jar. */
    List<Problem> load(Path file) throws IOException {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IOException("it is not a regular file (a folder, device or pipe)");
        }
        byte[] bytes = SmallFile.read(file, MAX_FILE, "it holds more than 16 MiB, which no cookies.txt does");
        List<Problem> problems = new ArrayList<>();
        long now = clock.getAsLong();
        List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1);
            boolean httpOnly = line.startsWith("#HttpOnly_");
            if (httpOnly) {
                line = line.substring("#HttpOnly_".length());
            } else if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length == 6) {
                f = java.util.Arrays.copyOf(f, 7); // an empty value, its tab cut off by an editor
                f[6] = "";
            }
            if (f.length != 7) {
                problems.add(new Problem(n, "not a cookies.txt line (7 fields separated by tabs); skipped"));
                continue;
            }
            String domain = f[0].strip().toLowerCase(Locale.ROOT);
            boolean sub = f[1].strip().equalsIgnoreCase("TRUE");
            domain = domain.startsWith(".") ? domain.substring(1) : domain;
            // wget writes a host with its port (127.0.0.1:8080, [::1]:8080); a cookie is the host's, whatever the port.
            Matcher port = WITH_PORT.matcher(domain);
            if (port.matches()) {
                domain = port.group(1) != null ? port.group(1) : port.group(2);
            } else if (domain.startsWith("[") && domain.endsWith("]")) {
                domain = domain.substring(1, domain.length() - 1);
            }
            long expires = ResponseHeaders.decimal(f[4].strip());
            String name = f[5];
            String value = f[6];
            if (domain.isEmpty() || expires < 0 || !f[2].startsWith("/") || !token(name) || !cookieValue(value)) {
                problems.add(new Problem(n, "not a cookie: a domain, TRUE or FALSE, a path, TRUE or FALSE, an expiry time, a name and a value; skipped"));
                continue;
            }
            if (sub && (!domain.contains(".") || isIp(domain) || publicSuffix(domain))) {
                problems.add(new Problem(n, "a cookie for every host under '" + Terminal.safe(domain) + "' would go to servers that never set it; skipped"));
                continue;
            }
            Cookie cookie = new Cookie(name, value, domain, !sub, f[2], f[3].strip().equalsIgnoreCase("TRUE"), httpOnly, expires,
                    order.incrementAndGet());
            if (!cookie.expired(now)) {
                put(cookie);
            }
        }
        return problems;
    }

    /**
     * Writes every cookie still valid to {@code file} in curl's cookies.txt format: into a temporary file beside it,
     * readable by its owner alone (it holds sessions), then renamed over it in one step.
     */
    void save(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            long now = clock.getAsLong();
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                out.write("# Netscape HTTP Cookie File\n# Written by Download.java (--save-cookies). It holds sessions: keep it private.\n\n");
                List<Cookie> cookies = all().stream().filter(c -> !c.expired(now))
                        .sorted(Comparator.comparing(Cookie::domain).thenComparing(Cookie::path).thenComparing(Cookie::name)).toList();
                for (Cookie c : cookies) {
                    out.write((c.httpOnly() ? "#HttpOnly_" : "") + (c.hostOnly() ? "" : ".") + c.domain() + "\t"
                            + (c.hostOnly() ? "FALSE" : "TRUE") + "\t" + c.path() + "\t" + (c.secure() ? "TRUE" : "FALSE") + "\t"
                            + c.expires() + "\t" + c.name() + "\t" + c.value() + "\n");
                }
            }
            try (var channel = java.nio.channels.FileChannel.open(temporary, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Why a --load-cookies file cannot be read, in words. */
    static String trouble(IOException e) {
        return e instanceof NoSuchFileException ? "no such file" : Format.message(e);
    }
}
