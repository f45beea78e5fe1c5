package dl;

import dl.HttpConnection.HttpMalformed;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The status line and headers of one answer, read strictly (RFC 9112) with a bound on every size, and how its
 * body is framed. What cannot be framed with certainty is {@link HttpMalformed}: a body whose end is not known is
 * not a file to publish.
 */
record ResponseHead(int version, int status, List<String[]> headers, Framing framing) {

    static final int MAX_LINE = 16 << 10;
    static final int MAX_HEADERS = 200;
    static final int MAX_HEAD = 256 << 10;

    /** Where the body ends. */
    sealed interface Framing {
        /** Exactly this many bytes (Content-Length). */
        record Length(long bytes) implements Framing {}

        /** Chunked transfer coding, the final (and only undone) coding. */
        record Chunked() implements Framing {}

        /** Until the server closes the connection. */
        record UntilClose() implements Framing {}
    }

    /** The last value of a header (names compare without case), or null. */
    String header(String name) {
        for (int i = headers.size() - 1; i >= 0; i--) {
            if (headers.get(i)[0].equalsIgnoreCase(name)) {
                return headers.get(i)[1];
            }
        }
        return null;
    }

    /** Every value of a header, in the order the server sent them: Set-Cookie comes once per cookie. */
    List<String> all(String name) {
        List<String> values = new ArrayList<>();
        for (String[] header : headers) {
            if (header[0].equalsIgnoreCase(name)) {
                values.add(header[1]);
            }
        }
        return values;
    }

    /** Content-Length when it frames the body, else -1. */
    long length() {
        return framing instanceof Framing.Length(long bytes) ? bytes : -1;
    }

    /** Whether the connection may carry another request once this body has been read to its end. */
    boolean keepsAlive() {
        if (framing instanceof Framing.UntilClose) {
            return false;
        }
        String connection = header("Connection");
        String tokens = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
        return version >= 11 ? !tokens.contains("close") : tokens.contains("keep-alive");
    }

    /** Reads one head from the connection; 1xx answers before it are read and skipped. */
    static ResponseHead read(HttpConnection connection, boolean bodyless) throws IOException {
        while (true) {
            String statusLine = connection.readLine(MAX_LINE, "the status line");
            if (statusLine == null) {
                throw new java.io.EOFException("the server closed the connection without an answer");
            }
            int version = version(statusLine);
            int status = status(statusLine);
            List<String[]> headers = headers(connection);
            if (status == 101) {
                throw new HttpMalformed("the server switched protocols (HTTP 101), which a GET did not ask for");
            }
            if (status >= 100 && status < 200) {
                continue;
            }
            boolean noBody = bodyless || status == 204 || status == 304;
            return new ResponseHead(version, status, headers, noBody ? new Framing.Length(0) : framing(headers));
        }
    }

    /** 10 for HTTP/1.0, 11 for HTTP/1.1 (and any later 1.x); anything else is not an HTTP/1 answer. */
    private static int version(String line) throws IOException {
        if (line.length() < 12 || !line.startsWith("HTTP/1.") || !Character.isDigit(line.charAt(7)) || line.charAt(8) != ' ') {
            throw new NotHttp(line);
        }
        return line.charAt(7) == '0' ? 10 : 11;
    }

    private static int status(String line) throws IOException {
        String code = line.substring(9, 12);
        if (!code.chars().allMatch(c -> c >= '0' && c <= '9') || line.length() > 12 && line.charAt(12) != ' ') {
            throw new NotHttp(line);
        }
        int status = Integer.parseInt(code);
        if (status < 100) {
            throw new NotHttp(line);
        }
        return status;
    }

    private static List<String[]> headers(HttpConnection connection) throws IOException {
        List<String[]> headers = new ArrayList<>();
        int size = 0;
        while (true) {
            String line = connection.readLine(MAX_LINE, "a header line");
            if (line == null) {
                throw new java.io.EOFException("the connection closed inside the headers");
            }
            if (line.isEmpty()) {
                return headers;
            }
            size += line.length();
            if (size > MAX_HEAD || headers.size() >= MAX_HEADERS) {
                throw new HttpMalformed("the headers are larger than " + (MAX_HEAD >> 10) + " KiB or " + MAX_HEADERS + " lines");
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !headers.isEmpty()) {
                // obs-fold (RFC 9112 §5.2): a continuation of the previous value, to be read as one space.
                String[] last = headers.getLast();
                last[1] = (last[1] + " " + line.strip()).strip();
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || line.substring(0, colon).chars().anyMatch(c -> c <= ' ' || c >= 127)) {
                throw new HttpMalformed("a header line that is not NAME: VALUE");
            }
            headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1).strip()});
        }
    }

    /**
     * RFC 9112 §6.3: Transfer-Encoding wins over Content-Length; chunked must be the final coding, and any other
     * coding than identity is refused rather than saved undecoded; Content-Length values must agree and be
     * non-negative decimal numbers; with neither, the body lasts until the connection closes.
     */
    static Framing framing(List<String[]> headers) throws IOException {
        List<String> codings = new ArrayList<>();
        List<String> lengths = new ArrayList<>();
        for (String[] header : headers) {
            if (header[0].equalsIgnoreCase("Transfer-Encoding")) {
                for (String coding : header[1].split(",")) {
                    if (!coding.isBlank()) {
                        codings.add(coding.strip().toLowerCase(Locale.ROOT));
                    }
                }
            } else if (header[0].equalsIgnoreCase("Content-Length")) {
                for (String value : header[1].split(",")) {
                    lengths.add(value.strip());
                }
            }
        }
        if (!codings.isEmpty()) {
            codings.removeIf(c -> c.equals("identity"));
            long chunked = codings.stream().filter(c -> c.equals("chunked")).count();
            if (chunked > 1) {
                throw new HttpMalformed("the body is chunked twice (Transfer-Encoding: chunked, chunked)");
            }
            codings.remove("chunked");
            if (!codings.isEmpty()) {
                throw new Unsupported(codings.getFirst());
            }
            return chunked == 1 ? new Framing.Chunked() : new Framing.UntilClose();
        }
        if (lengths.isEmpty()) {
            return new Framing.UntilClose();
        }
        long length = -1;
        for (String value : lengths) {
            long parsed = ResponseHeaders.decimal(value);
            if (parsed < 0) {
                throw new HttpMalformed("a Content-Length that is not a length: " + Format.shorten(value));
            }
            if (length >= 0 && parsed != length) {
                throw new HttpMalformed("two Content-Length headers that disagree (" + length + " and " + parsed + ")");
            }
            length = parsed;
        }
        return new Framing.Length(length);
    }

    /** The first line was not an HTTP/1 status line. */
    static final class NotHttp extends IOException {
        NotHttp(String line) {
            super("the answer was not HTTP");
        }
    }

    /** A transfer coding this tool does not undo (curl's exit 61): saving the coded bytes would publish a wrong file. */
    static final class Unsupported extends IOException {
        Unsupported(String coding) {
            super("the server sent the body in the transfer coding '" + Format.shorten(coding)
                    + "', which this tool does not decode");
        }
    }
}
