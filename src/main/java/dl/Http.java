package dl;

import dl.HttpConnection.HttpMalformed;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTP/1.1 the blocking way, on the download's own thread: the thread writes the request and reads the answer
 * from its own socket, with no selector thread or executor in between. A GET goes over a connection kept alive
 * from an earlier download to the same origin when one is idle, else over a new one: direct, through an HTTP
 * proxy (absolute-form requests; CONNECT for https), or through a SOCKS proxy of the JVM's settings; TLS from
 * the run's {@link Tls.Trust}. It never follows a redirect: {@link Redirects} decides each hop. The answer is
 * read by {@link ResponseHead} and {@link ResponseBody}, strictly, with a bound on every size.
 *
 * <p>Why not the JDK's clients: {@code HttpURLConnection} keeps its settings in system properties, asks a proxy
 * for credentials again after each 407 (20 requests for one wrong password), and saved chunk framing as the
 * file for codings like {@code gzip, chunked}; the JDK's {@code HttpClient} runs each exchange on executor
 * threads, not the download's own. Measured in docs/DESIGN.md.
 *
 * <p>Cancelling: an interrupt wakes a virtual thread blocked on a socket (the JDK closes the socket), but not a
 * platform thread. So that Ctrl-C stops both kinds alike, {@link #abort} closes every socket in use.
 */
final class Http {

    /** Why an exchange failed before any answer: the download decides what to say and whether to retry. */
    enum Trouble { CONNECT_TIMEOUT, NO_ANSWER, UNKNOWN_HOST, REFUSED, UNTRUSTED, NOT_TLS, MALFORMED, PROXY_REFUSED, PROXY_TROUBLE }

    static final class Failed extends IOException {
        final Trouble trouble;
        final URI url;
        /** Whom it was about, for the message: {@code host:port}, or {@code the proxy host:port}. */
        final String where;

        Failed(Trouble trouble, URI url, String where, String message, Throwable cause) {
            super(message, cause);
            this.trouble = trouble;
            this.url = url;
            this.where = where;
        }
    }

    /** An idle connection older than this is closed rather than reused: servers close theirs after 5–75 s. */
    private static final long IDLE_NANOS = Duration.ofSeconds(4).toNanos();

    private final int connectMillis;
    private final long stallNanos;
    private final Tls.Trust trust;
    private final Proxies proxies;
    private volatile Tls.Engine tls;

    /** Idle connections by origin (and proxy), newest last. */
    private final Map<String, ConcurrentLinkedDeque<HttpConnection>> idle = new ConcurrentHashMap<>();
    /** Sockets of requests under way, closed by {@link #abort}. */
    private final Set<Closeable> inUse = ConcurrentHashMap.newKeySet();
    private volatile boolean aborted;

    Http(Duration connectTimeout, Duration stallTimeout, Tls.Trust trust, Proxies proxies) {
        this.connectMillis = (int) Math.clamp(connectTimeout.toMillis(), 1, Integer.MAX_VALUE);
        this.stallNanos = Math.max(stallTimeout.toNanos(), 1_000_000);
        this.trust = trust;
        this.proxies = proxies;
    }

    /** The way to a URL's server: its origin, and the proxy in between (NO_PROXY for none). */
    private record Way(URI url, String host, int port, boolean https, Proxy proxy, String user, String password) {
        String origin() {
            return (https ? "https://" : "http://") + host + ":" + port;
        }

        String key() {
            return proxy.type() == Proxy.Type.DIRECT ? origin() : origin() + " via " + proxy.address();
        }

        boolean httpProxy() {
            return proxy.type() == Proxy.Type.HTTP;
        }

        String proxyName() {
            InetSocketAddress at = (InetSocketAddress) proxy.address();
            return "the proxy " + at.getHostString() + ":" + at.getPort();
        }

        String hostHeader() {
            String h = host.contains(":") ? "[" + host + "]" : host;
            return port == (https ? 443 : 80) ? h : h + ":" + port;
        }
    }

    private Way way(URI url) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        boolean https = scheme.equals("https");
        String host = url.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = url.getPort() >= 0 ? url.getPort() : https ? 443 : 80;
        Proxies.Route route = proxies.routeFor(url);
        if (route != null) {
            return new Way(url, host, port, https, route.proxy(), route.user(), route.password());
        }
        // Nothing on the command line or in the environment: the JVM's settings (-Dhttps.proxyHost, socksProxyHost).
        List<Proxy> chosen = ProxySelector.getDefault().select(url);
        Proxy proxy = chosen == null || chosen.isEmpty() ? Proxy.NO_PROXY : chosen.getFirst();
        return new Way(url, host, port, https, proxy, null, null);
    }

    /**
     * Sends a GET with these headers and waits for the status line and headers of the answer. Throws
     * {@link InterruptedIOException} once the run is cancelled, whatever the connection did.
     */
    Response get(URI url, Map<String, String> headers) throws IOException {
        Way way = way(url);
        String request = request(way, headers);
        while (true) {
            if (aborted) {
                throw new InterruptedIOException("cancelled");
            }
            HttpConnection reused = reusable(way.key());
            HttpConnection connection = reused != null ? reused : open(way);
            inUse.add(connection);
            try {
                if (aborted) {
                    throw new InterruptedIOException("cancelled");
                }
                connection.send(request);
                ResponseHead head = ResponseHead.read(connection, false);
                if (head.status() == 407 && way.httpProxy()) {
                    throw proxyRefused(way, head.status());
                }
                return new Response(this, connection, head);
            } catch (IOException e) {
                inUse.remove(connection);
                connection.close();
                if (aborted || Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("cancelled");
                }
                if (reused != null && !connection.receivedAny() && !(e instanceof SocketTimeoutException)) {
                    continue; // the server had closed the idle connection: ask again on a new one, once per idle one
                }
                throw sorted(e, way, true);
            }
        }
    }

    private HttpConnection reusable(String key) {
        ConcurrentLinkedDeque<HttpConnection> connections = idle.get(key);
        for (HttpConnection c; connections != null && (c = connections.pollLast()) != null; ) {
            if (!c.isClosed() && c.idleNanos() < IDLE_NANOS) {
                return c;
            }
            c.close();
        }
        return null;
    }

    /** A connection whose answer was read to its end, for the next request to its origin. */
    private void giveBack(HttpConnection connection) {
        inUse.remove(connection);
        if (aborted) {
            connection.close();
            return;
        }
        connection.idle();
        idle.computeIfAbsent(connection.origin, _ -> new ConcurrentLinkedDeque<>()).offerLast(connection);
    }

    private void drop(HttpConnection connection) {
        inUse.remove(connection);
        connection.close();
    }

    /** The request head, built once for every attempt of this hop. Header values were checked at the start. */
    private static String request(Way way, Map<String, String> headers) {
        URI ascii = URI.create(way.url().toASCIIString());
        String path = ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
        String target = ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();
        StringBuilder head = new StringBuilder(256);
        // Through an HTTP proxy a plain request names the whole URL (RFC 9112 §3.2.2); https goes through a tunnel.
        head.append("GET ").append(way.httpProxy() && !way.https() ? way.origin() + target : target).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(way.hostHeader()).append("\r\n");
        if (headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Accept"))) {
            head.append("Accept: */*\r\n");
        }
        headers.forEach((name, value) -> {
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) { // checked at the start; never split a request
                throw new IllegalArgumentException("header '" + name + "' has a line break in its value");
            }
            head.append(name).append(": ").append(value).append("\r\n");
        });
        if (way.httpProxy() && !way.https() && way.user() != null) {
            head.append("Proxy-Authorization: ").append(basic(way)).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    private static String basic(Way way) {
        return "Basic " + Base64.getEncoder().encodeToString((way.user() + ":" + way.password()).getBytes(StandardCharsets.UTF_8));
    }

    /** A new connection: TCP (through the proxy, if any), the tunnel for https through an HTTP proxy, then TLS. */
    private HttpConnection open(Way way) throws IOException {
        boolean viaHttpProxy = way.httpProxy();
        Socket socket = way.proxy().type() == Proxy.Type.SOCKS ? new Socket(way.proxy()) : new Socket();
        inUse.add(socket);
        try {
            if (aborted) {
                throw new InterruptedIOException("cancelled");
            }
            socket.setTcpNoDelay(true);
            InetSocketAddress target;
            if (viaHttpProxy) {
                InetSocketAddress proxy = (InetSocketAddress) way.proxy().address();
                target = new InetSocketAddress(proxy.getHostString(), proxy.getPort());
                if (target.isUnresolved()) {
                    throw new Failed(Trouble.PROXY_TROUBLE, way.url(), way.proxyName(),
                            "cannot resolve " + way.proxyName() + "'s host name", null);
                }
            } else {
                target = way.proxy().type() == Proxy.Type.SOCKS ? InetSocketAddress.createUnresolved(way.host(), way.port())
                        : new InetSocketAddress(way.host(), way.port());
                if (target.isUnresolved() && way.proxy().type() != Proxy.Type.SOCKS) {
                    throw new UnknownHostException(way.host());
                }
            }
            socket.connect(target, connectMillis);
            HttpConnection plain = new HttpConnection(way.key(), socket, stallNanos);
            if (viaHttpProxy && way.https()) {
                tunnel(way, plain);
            }
            if (!way.https()) {
                return plain;
            }
            return new HttpConnection(way.key(), handshake(way, socket), stallNanos);
        } catch (IOException e) {
            close(socket);
            if (aborted) {
                throw new InterruptedIOException("cancelled");
            }
            throw sorted(e, way, false);
        } catch (RuntimeException e) {
            close(socket);
            throw e;
        } finally {
            inUse.remove(socket);
        }
    }

    /** CONNECT host:port through the proxy; anything but a 2xx is the proxy's answer, named as such. */
    private void tunnel(Way way, HttpConnection proxy) throws IOException {
        String authority = (way.host().contains(":") ? "[" + way.host() + "]" : way.host()) + ":" + way.port();
        StringBuilder head = new StringBuilder("CONNECT ").append(authority).append(" HTTP/1.1\r\nHost: ").append(authority).append("\r\n");
        if (way.user() != null) {
            head.append("Proxy-Authorization: ").append(basic(way)).append("\r\n");
        }
        proxy.send(head.append("\r\n").toString());
        ResponseHead answer = ResponseHead.read(proxy, true);
        int status = answer.status();
        if (status / 100 != 2) {
            throw proxyRefused(way, status);
        }
        if (proxy.hasBuffered()) {
            throw new HttpMalformed(way.proxyName() + " sent bytes after its CONNECT answer");
        }
    }

    /** A proxy's 4xx is final (but 408 and 429), like curl: asking again with the same password can lock an account. */
    private static Failed proxyRefused(Way way, int status) {
        boolean finalAnswer = status == 407 || status / 100 == 4 && status != 408 && status != 429;
        String hint = status == 407 ? way.user() == null ? " (give its user and password: http://user:password@proxy:port)"
                : " (check the user and password given for it)" : "";
        return new Failed(finalAnswer ? Trouble.PROXY_REFUSED : Trouble.PROXY_TROUBLE, way.url(), way.proxyName(),
                way.proxyName() + " answered " + describe(status) + hint, null);
    }

    private Socket handshake(Way way, Socket socket) throws IOException {
        SSLSocketFactory factory = tls().sockets();
        SSLSocket ssl = (SSLSocket) factory.createSocket(socket, way.host(), way.port(), true);
        SSLParameters parameters = ssl.getSSLParameters();
        if (trust.checksHostname()) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!way.host().contains(":") && !way.host().chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
            parameters.setServerNames(List.of(new SNIHostName(way.host())));
        }
        ssl.setSSLParameters(parameters);
        ssl.setSoTimeout((int) Math.clamp(stallNanos / 1_000_000, 1, Integer.MAX_VALUE));
        ssl.startHandshake();
        return ssl;
    }

    /** The run's TLS engine, made when the first https URL needs it. */
    Tls.Engine tls() throws SSLException {
        Tls.Engine engine = tls;
        if (engine == null) {
            synchronized (this) {
                if (tls == null) {
                    try {
                        tls = Tls.engine(trust);
                    } catch (GeneralSecurityException e) {
                        throw new SSLException("no TLS in this JDK: " + Format.message(e), e);
                    }
                }
                engine = tls;
            }
        }
        return engine;
    }

    /** Sorts what went wrong into the troubles a download tells apart; the rest passes as it is. */
    private static IOException sorted(IOException e, Way way, boolean connected) {
        boolean proxied = way.proxy().type() != Proxy.Type.DIRECT;
        String where = proxied && !connected ? way.proxyName() : way.host() + ":" + way.port();
        return switch (e) {
            case Failed failed -> failed;
            case InterruptedIOException cancelled when !(e instanceof SocketTimeoutException) -> cancelled;
            case SocketTimeoutException timeout -> new Failed(connected ? Trouble.NO_ANSWER : Trouble.CONNECT_TIMEOUT, way.url(), where, Format.message(timeout), timeout);
            case UnknownHostException unknown -> new Failed(Trouble.UNKNOWN_HOST, way.url(), where, Format.message(unknown), unknown);
            case ConnectException refused -> new Failed(proxied ? Trouble.PROXY_TROUBLE : Trouble.REFUSED, way.url(), where,
                    "cannot connect to " + where + " (" + Format.message(refused) + ")", refused);
            case SSLException tls when notTls(tls) -> new Failed(Trouble.NOT_TLS, way.url(), where, Format.message(tls), tls);
            case SSLHandshakeException handshake -> new Failed(Trouble.UNTRUSTED, way.url(), where, Format.message(handshake), handshake);
            case HttpMalformed malformed -> new Failed(Trouble.MALFORMED, way.url(), where, Format.message(malformed), malformed);
            case ResponseHead.Unsupported coding -> new Failed(Trouble.MALFORMED, way.url(), where, Format.message(coding), coding);
            default -> e;
        };
    }

    /** What JSSE and BoringSSL say when the other end answers in plain text. */
    private static boolean notTls(SSLException e) {
        String text = String.valueOf(e.getMessage());
        return text.contains("Unsupported or unrecognized SSL message") || text.contains("Unable to parse TLS packet header")
                || text.contains("WRONG_VERSION_NUMBER") || text.contains("HTTP_REQUEST");
    }

    private static void close(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // Closing a socket that failed: nothing else to do with it.
        }
    }

    /** "HTTP 404 Not Found": the status with its reason phrase, for people. */
    static String describe(int status) {
        String reason = switch (status) {
            case 400 -> " Bad Request";
            case 401 -> " Unauthorized";
            case 403 -> " Forbidden";
            case 404 -> " Not Found";
            case 407 -> " Proxy Authentication Required";
            case 408 -> " Request Timeout";
            case 410 -> " Gone";
            case 429 -> " Too Many Requests";
            case 500 -> " Internal Server Error";
            case 502 -> " Bad Gateway";
            case 503 -> " Service Unavailable";
            case 504 -> " Gateway Timeout";
            default -> "";
        };
        return "HTTP " + status + reason;
    }

    /** Whether {@link #abort} was called: a socket that failed since was closed by Ctrl-C, not by its server. */
    boolean aborted() {
        return aborted;
    }

    /** Called by the main thread on Ctrl-C: wakes every thread still using a socket, of either kind. */
    void abort() {
        aborted = true;
        inUse.forEach(Http::close);
        idle.values().forEach(connections -> connections.forEach(HttpConnection::close));
    }

    /**
     * One answer, owning its connection. Closing it after the body was read to its end gives the connection back
     * for the next request to the same origin; closing it earlier closes the connection.
     */
    static final class Response implements AutoCloseable {
        /** An error or redirect body up to this size is read away, so that its connection can be kept. */
        private static final int DRAIN = 16 << 10;
        private final Http http;
        private final HttpConnection connection;
        private final ResponseHead head;
        private final ResponseBody body;
        private boolean closed;

        private Response(Http http, HttpConnection connection, ResponseHead head) {
            this.http = http;
            this.connection = connection;
            this.head = head;
            this.body = new ResponseBody(connection, head.framing());
        }

        int status() {
            return head.status();
        }

        /** The value of a header (the last one of that name), or null. */
        String header(String name) {
            return head.header(name);
        }

        /** Every value of a header, in order. */
        List<String> headers(String name) {
            return head.all(name);
        }

        /** A strong ETag, else Last-Modified: what If-Range may carry (RFC 9110 forbids weak ETags there); or null. */
        String validator() {
            String etag = header("ETag");
            return etag != null && !etag.startsWith("W/") ? etag : header("Last-Modified");
        }

        /** Content-Length when it frames the body, else -1. */
        long length() {
            return head.length();
        }

        /** The body, to be read by the calling thread. */
        InputStream body() {
            return body;
        }

        /** Reads away a short body nobody wants (a redirect's, an error page), so the connection can be reused. */
        void discard() {
            try {
                byte[] sink = new byte[4096];
                for (int total = 0; total < DRAIN; ) {
                    int n = body.read(sink, 0, sink.length);
                    if (n < 0) {
                        break;
                    }
                    total += n;
                }
            } catch (IOException e) {
                // Not worth keeping: close() below closes it.
            }
            close();
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (body.ended() && head.keepsAlive() && !connection.hasBuffered()) {
                http.giveBack(connection);
            } else {
                http.drop(connection);
            }
        }
    }
}
