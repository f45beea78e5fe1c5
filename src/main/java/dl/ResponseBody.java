package dl;

import dl.HttpConnection.HttpMalformed;
import dl.ResponseHead.Framing;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A body as its framing delimits it: exactly Content-Length bytes, the chunks of a chunked body (their framing
 * removed, trailers read away), or everything up to the close. {@link #ended} tells whether it was read to its
 * proper end, which is when its connection can serve another request.
 */
final class ResponseBody extends InputStream {

    /** A chunk-size line: hex digits, maybe extensions; a size past 2^60 is not a size. */
    private static final int MAX_CHUNK_DIGITS = 15;

    private final HttpConnection connection;
    private final Framing framing;
    /** Bytes left in the body (Length) or in the current chunk (Chunked); -1 before the first chunk. */
    private long left;
    private boolean ended;

    ResponseBody(HttpConnection connection, Framing framing) {
        this.connection = connection;
        this.framing = framing;
        this.left = framing instanceof Framing.Length(long bytes) ? bytes : -1;
        this.ended = left == 0;
    }

    boolean ended() {
        return ended;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (ended) {
            return -1;
        }
        if (length == 0) {
            return 0;
        }
        return switch (framing) {
            case Framing.Length _ -> {
                int n = connection.read(into, offset, (int) Math.min(length, left));
                if (n < 0) {
                    yield -1; // not ended: Transfer sees the short file against Content-Length and retries
                }
                left -= n;
                ended = left == 0;
                yield n;
            }
            case Framing.UntilClose _ -> connection.read(into, offset, length);
            case Framing.Chunked _ -> chunk(into, offset, length);
        };
    }

    private int chunk(byte[] into, int offset, int length) throws IOException {
        if (left <= 0) {
            if (left == 0) {
                expectLineEnd();
            }
            left = chunkSize();
            if (left == 0) {
                trailers();
                ended = true;
                return -1;
            }
        }
        int n = connection.read(into, offset, (int) Math.min(length, left));
        if (n < 0) {
            throw new EOFException("the body ended inside a chunk");
        }
        left -= n;
        return n;
    }

    private long chunkSize() throws IOException {
        String line = connection.readLine(ResponseHead.MAX_LINE, "a chunk-size line");
        if (line == null) {
            throw new EOFException("the body ended before its last chunk");
        }
        int semicolon = line.indexOf(';');
        String digits = (semicolon < 0 ? line : line.substring(0, semicolon)).strip();
        if (digits.isEmpty() || digits.length() > MAX_CHUNK_DIGITS) {
            throw new HttpMalformed("a chunk size that is not a hex number");
        }
        long size = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = Character.digit(digits.charAt(i), 16);
            if (d < 0) {
                throw new HttpMalformed("a chunk size that is not a hex number");
            }
            size = size * 16 + d;
        }
        return size;
    }

    /** The CRLF after a chunk's data: anything else means the framing is lost. */
    private void expectLineEnd() throws IOException {
        String rest = connection.readLine(ResponseHead.MAX_LINE, "the end of a chunk");
        if (rest == null) {
            throw new EOFException("the body ended after a chunk");
        }
        if (!rest.isEmpty()) {
            throw new HttpMalformed("a chunk longer than its size");
        }
    }

    private void trailers() throws IOException {
        for (int lines = 0; ; lines++) {
            String line = connection.readLine(ResponseHead.MAX_LINE, "the trailers");
            if (line == null || line.isEmpty()) {
                return; // a close right after the last chunk still ends the body where its framing says
            }
            if (lines >= ResponseHead.MAX_HEADERS) {
                throw new HttpMalformed("more than " + ResponseHead.MAX_HEADERS + " trailer lines");
            }
        }
    }
}
