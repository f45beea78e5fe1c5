package dl;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The response parser over generated and broken answers, each sent through a real loopback socket: a body comes
 * out exactly as framed, or the read fails, or it ends short of its framing — never a body with framing in it,
 * never one that claims to be complete and is not.
 */
class ResponseParserPropertiesTest {

    private static final ServerSocket SERVER;

    static {
        try {
            SERVER = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What one answer gave: the body read, whether it ended where its framing says, or the failure. */
    record Read(byte[] body, boolean ended, IOException failure) {}

    /** Sends {@code answer} from the server side, then closes; reads it as the download does. */
    private static Read exchange(byte[] answer) throws Exception {
        Thread writer = Thread.ofVirtual().start(() -> {
            try (Socket s = SERVER.accept()) {
                s.getOutputStream().write(answer);
            } catch (IOException e) {
                // The reader gave up first.
            }
        });
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), SERVER.getLocalPort());
             HttpConnection connection = new HttpConnection("test", socket, 5_000_000_000L)) {
            connection.send("GET / HTTP/1.1\r\n\r\n");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            try {
                ResponseHead head = ResponseHead.read(connection, false);
                ResponseBody in = new ResponseBody(connection, head.framing());
                byte[] buffer = new byte[777];
                for (int n; (n = in.read(buffer, 0, buffer.length)) >= 0; ) {
                    body.write(buffer, 0, n);
                }
                return new Read(body.toByteArray(), in.ended(), null);
            } catch (IOException e) {
                return new Read(body.toByteArray(), false, e);
            }
        } finally {
            writer.join();
        }
    }

    private static byte[] chunked(byte[] body, List<Integer> cuts, boolean extensions) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        int at = 0;
        for (int cut : cuts) {
            int n = Math.min(cut, body.length - at);
            if (n <= 0) {
                break;
            }
            out.writeBytes((Integer.toHexString(n) + (extensions ? ";x=\"y\"" : "") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            at += n;
        }
        if (at < body.length) {
            out.writeBytes((Integer.toHexString(body.length - at) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, at, body.length - at);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("0\r\nX-Trailer: 1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(70_000);
    }

    @Property(tries = 60)
    void aChunkedBodyComesOutExactlyWithoutItsFraming(@ForAll("bodies") byte[] body,
            @ForAll @Size(max = 20) List<@IntRange(min = 1, max = 20_000) Integer> cuts, @ForAll boolean extensions) throws Exception {
        Read read = exchange(chunked(body, cuts, extensions));
        assertEquals(null, read.failure());
        assertTrue(read.ended());
        assertArrayEquals(body, read.body());
    }

    @Property(tries = 60)
    void aContentLengthBodyIsExactlyThatManyBytes(@ForAll("bodies") byte[] body, @ForAll @Size(max = 100) byte[] extra) throws Exception {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        answer.writeBytes(("HTTP/1.1 200 OK\r\ncontent-length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        answer.writeBytes(body);
        answer.writeBytes(extra);
        Read read = exchange(answer.toByteArray());
        assertEquals(null, read.failure());
        assertTrue(read.ended());
        assertArrayEquals(body, read.body());
    }

    @Property(tries = 100)
    void aTruncatedAnswerNeverEndsAsComplete(@ForAll("bodies") byte[] body,
            @ForAll @Size(max = 8) List<@IntRange(min = 1, max = 20_000) Integer> cuts, @ForAll boolean chunked,
            @ForAll @IntRange(min = 0, max = 1000) int percent) throws Exception {
        byte[] whole = chunked ? chunked(body, cuts, false) : concat(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), body);
        int keep = (int) ((long) (whole.length - 1) * Math.min(percent, 999) / 1000);
        Read read = exchange(Arrays.copyOf(whole, keep));
        assertFalse(read.ended() && read.failure() == null && !Arrays.equals(body, read.body()),
                "a cut answer ended as complete with a wrong body");
        if (read.ended()) {
            assertArrayEquals(body, read.body(), "only the last CRLFs of a chunked answer may be missing");
        }
        assertTrue(read.body().length <= body.length);
    }

    @Property(tries = 200)
    void anyBytesAtAllEndOrFailButNeverHang(@ForAll @Size(max = 400) byte[] garbage, @ForAll boolean withStatusLine) throws Exception {
        byte[] answer = withStatusLine ? concat("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.ISO_8859_1), garbage) : garbage;
        Read read = exchange(answer);
        assertTrue(read.body().length <= answer.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
