package dl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in demo server: generated files on 127.0.0.1, each answered after a delay, so that a run shows
 * what many downloads blocked at once cost. It serves {@code /files/N.bin}; file N's bytes are
 * {@link #content(int, int)}, so a test can check every byte.
 */
public final class DemoServer implements AutoCloseable {

    private static final Pattern PATH = Pattern.compile("/files/(\\d{1,9})\\.bin");

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final int size;
    private final Duration delay;

    private DemoServer(int size, Duration delay) throws IOException {
        this.size = size;
        this.delay = delay;
        // A large backlog: thousands of connections arrive at once, and a full queue costs SYN retries (seconds).
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        server.createContext("/files/", this::serve);
        server.setExecutor(handlers);
        server.start();
    }

    public static DemoServer start(int size, Duration delay) throws IOException {
        return new DemoServer(size, delay);
    }

    public URI url(int n) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/files/" + n + ".bin");
    }

    public List<URI> urls(int count) {
        List<URI> urls = new ArrayList<>(count);
        for (int n = 1; n <= count; n++) {
            urls.add(url(n));
        }
        return urls;
    }

    /** The bytes of file {@code n}: different for every file, so a mix-up cannot go unseen. */
    public static byte[] content(int n, int size) {
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) (n * 31 + i * 7 + (i >>> 8));
        }
        return body;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher m = PATH.matcher(exchange.getRequestURI().getPath());
            if (!m.matches()) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (delay.isPositive()) {
                Thread.sleep(delay);
            }
            byte[] body = content(Integer.parseInt(m.group(1)), size);
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
