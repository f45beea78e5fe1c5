package dl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server that answers every request with bytes written by hand, for answers no real server would send:
 * malformed framing, odd codings, headers one byte a second. It records each request head and closes the
 * connection after each answer. Bound to 127.0.0.1; its accept thread ends when it is closed.
 */
final class RawServer implements AutoCloseable {

    /** Writes one answer; {@code request} is the request head as it came. */
    interface Reply {
        void write(String request, OutputStream out) throws IOException, InterruptedException;
    }

    final List<String> requests = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final Reply reply;

    RawServer(Reply reply) throws IOException {
        this.reply = reply;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptAll);
    }

    /** A server that sends these bytes (ISO-8859-1) as every answer. */
    static RawServer answering(String answer) throws IOException {
        return new RawServer((request, out) -> out.write(answer.getBytes(StandardCharsets.ISO_8859_1)));
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            String head = head(client.getInputStream());
            if (head == null) {
                return;
            }
            requests.add(head);
            OutputStream out = client.getOutputStream();
            reply.write(head, out);
            out.flush();
        } catch (IOException | InterruptedException e) {
            // The client went away.
        }
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b; (b = in.read()) >= 0; ) {
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
