package dl;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.Authenticator;
import java.net.ConnectException;
import java.net.PasswordAuthentication;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * HTTP/1.1 the blocking way, on the download's own thread: the thread writes the request and reads the answer
 * from its own socket, with no selector thread or executor in between. The JDK's {@link HttpURLConnection} does
 * it and keeps connections alive between requests to one host; the proxy comes from {@link Proxies} and the TLS
 * trust from {@link Tls}. It never follows a redirect here: {@link Redirects} decides each hop.
 *
 * <p>Cancelling: an interrupt wakes a virtual thread blocked on a socket (the JDK closes the socket), but not a
 * platform thread. So that Ctrl-C stops both kinds alike, {@link #abort} closes every connection still waiting
 * for its answer, and the body loop checks the interrupt between reads.
 */
final class Http {

    /** Why an exchange failed before any answer: the download decides what to say and whether to retry. */
    enum Trouble { CONNECT_TIMEOUT, NO_ANSWER, UNKNOWN_HOST, REFUSED, UNTRUSTED, NOT_TLS }

    static final class Failed extends IOException {
        final Trouble trouble;
        final URI url;

        Failed(Trouble trouble, URI url, IOException cause) {
            super(cause.getMessage(), cause);
            this.trouble = trouble;
            this.url = url;
        }
    }

    static {
        // Keep as many idle connections per host as downloads may use at once (the JDK keeps 5), and close an
        // abandoned body's connection instead of draining up to 512 KiB of it on the closing thread.
        setIfAbsent("http.maxConnections", "10000");
        setIfAbsent("http.KeepAlive.remainingData", "0");
        // A proxy's Basic credentials (http://user:pass@proxy) also for CONNECT, which the JDK refuses by default.
        setIfAbsent("jdk.http.auth.tunneling.disabledSchemes", "");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private final int connectMillis;
    private final int stallMillis;
    private final Set<HttpURLConnection> awaitingAnswers = ConcurrentHashMap.newKeySet();
    private volatile boolean aborted;

    private final Tls.Trust trust;

    private final Proxies proxies;

    Http(Duration connectTimeout, Duration stallTimeout, Tls.Trust trust, Proxies proxies) {
        this.connectMillis = millis(connectTimeout);
        this.stallMillis = millis(stallTimeout);
        this.trust = trust;
        this.proxies = proxies;
    }

    private static int millis(Duration d) {
        return Math.clamp(d.toMillis(), 1, Integer.MAX_VALUE);
    }

    /**
     * Sends a GET with these headers and waits for the status line and headers of the answer. Throws
     * {@link InterruptedIOException} once the run is cancelled, whatever the connection did.
     */
    Response get(URI url, Map<String, String> headers) throws IOException {
        Proxies.Route route = proxies.routeFor(url);
        HttpURLConnection connection = (HttpURLConnection) (route == null ? url.toURL().openConnection()
                : url.toURL().openConnection(route.proxy()));
        if (route != null && route.user() != null) {
            PasswordAuthentication credentials = route.credentials();
            connection.setAuthenticator(new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return getRequestorType() == RequestorType.PROXY ? credentials : null;
                }
            });
        }
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setConnectTimeout(connectMillis);
        connection.setReadTimeout(stallMillis);
        connection.setRequestProperty("Accept", "*/*");
        if (connection instanceof HttpsURLConnection https) {
            if (trust.sockets() != null) {
                https.setSSLSocketFactory(trust.sockets());
            }
            if (trust.hostnames() != null) {
                https.setHostnameVerifier(trust.hostnames());
            }
        }
        headers.forEach(connection::setRequestProperty);
        awaitingAnswers.add(connection);
        boolean connected = false;
        try {
            // Checked after joining the set: abort() either sees this connection or has set the flag before.
            if (aborted) {
                throw new InterruptedIOException("cancelled");
            }
            connection.connect();
            connected = true;
            return new Response(connection, connection.getResponseCode());
        } catch (IOException e) {
            connection.disconnect();
            if (aborted || Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("cancelled");
            }
            throw switch (e) {
                case SocketTimeoutException timeout -> new Failed(connected ? Trouble.NO_ANSWER : Trouble.CONNECT_TIMEOUT, url, timeout);
                case UnknownHostException unknown -> new Failed(Trouble.UNKNOWN_HOST, url, unknown);
                case ConnectException refused -> new Failed(Trouble.REFUSED, url, refused);
                case SSLHandshakeException handshake -> new Failed(Trouble.UNTRUSTED, url, handshake);
                case SSLException tls when String.valueOf(tls.getMessage()).contains("Unsupported or unrecognized SSL message") ->
                        new Failed(Trouble.NOT_TLS, url, tls);
                default -> e;
            };
        } finally {
            awaitingAnswers.remove(connection);
        }
    }

    /** "HTTP 404 Not Found": the status with its reason phrase, for people. */
    static String describe(int status) {
        String reason = switch (status) {
            case 400 -> " Bad Request";
            case 401 -> " Unauthorized";
            case 403 -> " Forbidden";
            case 404 -> " Not Found";
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

    /** Called by the main thread on Ctrl-C: wakes every thread still waiting for an answer, of either kind. */
    void abort() {
        aborted = true;
        awaitingAnswers.forEach(HttpURLConnection::disconnect);
    }

    /**
     * One answer, owning its connection. Closing it after the body was read to its end gives the connection back
     * for the next request to the same host; closing it earlier closes the connection.
     */
    static final class Response implements AutoCloseable {
        /** An error or redirect body up to this size is read away, so that its connection can be kept. */
        private static final int DRAIN = 16 << 10;
        private final HttpURLConnection connection;
        private final int status;
        private InputStream body;

        private Response(HttpURLConnection connection, int status) {
            this.connection = connection;
            this.status = status;
        }

        /** The status code, or -1 when the answer was not HTTP at all. */
        int status() {
            return status;
        }

        /** The value of a header (the last one of that name), or null. */
        String header(String name) {
            return connection.getHeaderField(name);
        }

        /** A strong ETag, else Last-Modified: what If-Range may carry (RFC 9110 forbids weak ETags there); or null. */
        String validator() {
            String etag = header("ETag");
            return etag != null && !etag.startsWith("W/") ? etag : header("Last-Modified");
        }

        /** Content-Length, or -1. */
        long length() {
            return connection.getContentLengthLong();
        }

        /** The body, to be read by the calling thread. */
        InputStream body() throws IOException {
            if (body == null) {
                body = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
                if (body == null) {
                    body = InputStream.nullInputStream();
                }
            }
            return body;
        }

        /** Reads away a short body nobody wants (a redirect's, an error page), so the connection can be reused. */
        void discard() {
            try (InputStream in = body()) {
                byte[] sink = new byte[1024];
                for (int total = 0; total < DRAIN; ) {
                    int n = in.read(sink);
                    if (n < 0) {
                        return;
                    }
                    total += n;
                }
                connection.disconnect();
            } catch (IOException e) {
                connection.disconnect();
            }
        }

        @Override
        public void close() {
            try {
                if (body != null) {
                    body.close();
                } else {
                    connection.disconnect();
                }
            } catch (IOException e) {
                connection.disconnect();
            }
        }
    }
}
