package dl;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server on 127.0.0.1 for many small files, {@code /d/K/NAME}, each with bytes of its own, that counts the
 * requests for every path: the shard and manifest tests prove "each URL requested exactly once" with it.
 */
final class CountingServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    /** Milliseconds every answer waits, so that a test can catch a run in the middle. */
    volatile int delayMillis;

    CountingServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/d/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = body(path);
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            } catch (IOException clientGone) {
                // a killed client: nothing to answer
            }
        });
        server.start();
    }

    /**
     * {@code count} URLs; every tenth shares its file name with the one before (other folder, same name), so that
     * the plan has to number names and every shard must number them alike.
     */
    List<URI> urls(int count) {
        List<URI> urls = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            String name = k % 10 == 9 ? "file-" + (k - 1) + ".bin" : "file-" + k + ".bin";
            urls.add(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/d/" + k + "/" + name));
        }
        return urls;
    }

    /** The bytes a path serves: its own length and content, the same every time. */
    static byte[] body(String path) {
        Random random = new Random(path.hashCode());
        byte[] body = new byte[100 + random.nextInt(1500)];
        random.nextBytes(body);
        return body;
    }

    int requests(URI url) {
        AtomicInteger n = requests.get(url.getPath());
        return n == null ? 0 : n.get();
    }

    int requests() {
        return requests.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
