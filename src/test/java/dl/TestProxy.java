package dl;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small forwarding HTTP proxy on 127.0.0.1 for the tests: absolute-form GETs are forwarded, CONNECT opens a
 * tunnel. It records each request line and its Proxy-Authorization, and can demand Basic credentials (407).
 */
final class TestProxy implements AutoCloseable {

    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final String required;

    /** {@code required}: the Proxy-Authorization value it demands, or null for none. */
    TestProxy(String required) throws IOException {
        this.required = required;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptAll);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
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
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            while (true) {
                String line = readLine(in);
                if (line == null || line.isEmpty()) {
                    return;
                }
                List<String> headers = new ArrayList<>();
                String auth = null;
                for (String h; !(h = readLine(in)).isEmpty(); ) {
                    if (h.toLowerCase().startsWith("proxy-authorization:")) {
                        auth = h.substring(h.indexOf(':') + 1).strip();
                    } else if (!h.toLowerCase().startsWith("proxy-connection:") && !h.toLowerCase().startsWith("connection:")) {
                        headers.add(h);
                    }
                }
                requests.add(line);
                authorizations.add(String.valueOf(auth));
                if (required != null && !required.equals(auth)) {
                    out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                            + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    continue;
                }
                String[] parts = line.split(" ");
                if (parts[0].equals("CONNECT")) {
                    String[] hostPort = parts[1].split(":");
                    try (Socket target = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
                        out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        Thread up = Thread.ofVirtual().start(() -> copy(in, target));
                        copy(target.getInputStream(), client);
                        up.interrupt();
                    }
                    return;
                }
                URI uri = URI.create(parts[1]);
                try (Socket target = new Socket(uri.getHost(), uri.getPort())) {
                    StringBuilder request = new StringBuilder(parts[0] + " " + uri.getRawPath() + " HTTP/1.1\r\n");
                    headers.forEach(h -> request.append(h).append("\r\n"));
                    request.append("Connection: close\r\n\r\n");
                    target.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
                    copy(target.getInputStream(), client);
                }
                return;
            }
        } catch (IOException e) {
            // The client or the target went away.
        }
    }

    private static void copy(InputStream from, Socket to) {
        try {
            from.transferTo(to.getOutputStream());
            to.getOutputStream().flush();
        } catch (IOException e) {
            // One side closed.
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != -1; ) {
            if (c == '\n') {
                return line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
            }
            line.write(c);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
