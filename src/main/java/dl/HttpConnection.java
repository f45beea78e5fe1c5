package dl;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One connection to a server (or through a proxy to it): a socket, plain or TLS, read through one buffer by the
 * thread of the download that holds it. Every read runs through the stall meter: in each window of the stall
 * time at least a few bytes a second must arrive, headers included, or the read fails as stalled. A server that
 * drips one byte a second would otherwise reset a plain read timeout forever.
 */
final class HttpConnection implements java.io.Closeable {

    /** Below this rate, averaged over the stall time, a connection is stalled (curl's --speed-limit, aria2's lowest speed). */
    static final int LOWEST_BYTES_PER_SECOND = 4;
    /**
     * Bytes read from the socket at once into this connection's buffer: enough for a head and a small body.
     * Larger reads bypass it. Every waiting connection holds one, so it stays small: at 64 KiB, 5,000
     * connections waiting for their answers held 320 MiB.
     */
    private static final int BUFFER = 8 << 10;

    final String origin;
    private final Socket socket;
    private final OutputStream out;
    private final java.io.InputStream in;
    private final long stallNanos;
    private final byte[] buffer = new byte[BUFFER];
    private int start;
    private int end;
    private long windowStart;
    private long windowBytes;
    private long received;
    private long idleSince;
    private volatile boolean closed;

    HttpConnection(String origin, Socket socket, long stallNanos) throws IOException {
        this.origin = origin;
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
        this.stallNanos = stallNanos;
    }

    /** Writes a request head (and nothing else: every request here is a GET or a CONNECT) in one call. */
    void send(String head) throws IOException {
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        windowStart = System.nanoTime();
        windowBytes = 0;
        received = 0;
    }

    /** Whether any byte of an answer came since the last request: if none did, the request may be sent again. */
    boolean receivedAny() {
        return received > 0;
    }

    /** Bytes buffered but not yet read: a reply that sent more than it framed leaves some. */
    boolean hasBuffered() {
        return end > start;
    }

    /** One byte, or -1 at the end of the stream. */
    int read() throws IOException {
        if (start == end && fill() < 0) {
            return -1;
        }
        return buffer[start++] & 0xff;
    }

    /**
     * Up to {@code length} bytes into {@code into}. A read larger than the buffer, with nothing buffered, goes
     * straight from the socket into the caller's array: one copy less for the big bodies.
     */
    int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (start == end) {
            if (length >= buffer.length) {
                return meter(in, into, offset, length);
            }
            if (fill() < 0) {
                return -1;
            }
        }
        int n = Math.min(length, end - start);
        System.arraycopy(buffer, start, into, offset, n);
        start += n;
        return n;
    }

    /**
     * A line up to CRLF (or a bare LF), without it, as ISO-8859-1; at most {@code limit} bytes. Null at the end of
     * the stream before any byte of the line.
     */
    String readLine(int limit, String what) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            if (start == end && fill() < 0) {
                if (line.isEmpty()) {
                    return null;
                }
                throw new EOFException("the connection closed inside " + what);
            }
            for (int i = start; i < end; i++) {
                if (buffer[i] == '\n') {
                    line.append(new String(buffer, start, i - start, StandardCharsets.ISO_8859_1));
                    start = i + 1;
                    int last = line.length() - 1;
                    if (last >= 0 && line.charAt(last) == '\r') {
                        line.setLength(last);
                    }
                    return line.toString();
                }
            }
            line.append(new String(buffer, start, end - start, StandardCharsets.ISO_8859_1));
            start = end;
            if (line.length() > limit) {
                throw new HttpMalformed(what + " longer than " + limit + " bytes");
            }
        }
    }

    private int fill() throws IOException {
        start = 0;
        end = 0;
        int n = meter(in, buffer, 0, buffer.length);
        if (n > 0) {
            end = n;
        }
        return n;
    }

    /** One socket read under the stall meter. */
    private int meter(java.io.InputStream from, byte[] into, int offset, int length) throws IOException {
        while (true) {
            long now = System.nanoTime();
            long left = windowStart + stallNanos - now;
            if (left <= 0) {
                if (windowBytes < LOWEST_BYTES_PER_SECOND * Math.max(1, stallNanos / 1_000_000_000L)) {
                    throw new SocketTimeoutException("stalled");
                }
                windowStart = now;
                windowBytes = 0;
                left = stallNanos;
            }
            socket.setSoTimeout((int) Math.clamp(left / 1_000_000L, 1, Integer.MAX_VALUE));
            try {
                int n = from.read(into, offset, length);
                if (n > 0) {
                    windowBytes += n;
                    received += n;
                }
                return n;
            } catch (SocketTimeoutException windowOver) {
                // Loop: the window has ended; the check above decides whether it got enough.
            } catch (IOException e) {
                if (closed) {
                    throw new InterruptedIOException("cancelled");
                }
                throw e;
            }
        }
    }

    /** Marks the connection idle (in the pool) from now. */
    void idle() {
        idleSince = System.nanoTime();
    }

    long idleNanos() {
        return System.nanoTime() - idleSince;
    }

    boolean isClosed() {
        return closed || socket.isClosed();
    }

    /** Closes the socket; a thread blocked reading it wakes with an exception, platform or virtual. */
    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is all that was asked; there is nothing left to tell the server.
        }
    }

    /** An answer that is not HTTP/1.1 as RFC 9112 frames it: not to be trusted, not retried. */
    static final class HttpMalformed extends IOException {
        HttpMalformed(String message) {
            super(message);
        }
    }
}
