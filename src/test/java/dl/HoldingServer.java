package dl;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A server that sends the headers and the first {@code cut} bytes of {@code data}, then goes quiet for
 * {@code hold}; a Range request gets the rest at once. WireMock cannot stop in the middle of a body, so the
 * tests that need that use the JDK's own server. It records the Range header of every request.
 */
final class HoldingServer implements AutoCloseable {

    final List<String> ranges = new CopyOnWriteArrayList<>();
    /** Set to answer every request in full, Range or not, as a server without range support does. */
    volatile boolean ignoreRanges;
    private final List<com.sun.net.httpserver.Headers> requestHeaders = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    HoldingServer(byte[] data, int cut, Duration hold) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            requestHeaders.add(exchange.getRequestHeaders());
            String range = exchange.getRequestHeaders().getFirst("Range");
            ranges.add(String.valueOf(range));
            exchange.getResponseHeaders().set("ETag", "\"held\"");
            try (exchange; OutputStream body = exchange.getResponseBody()) {
                if (ignoreRanges) {
                    exchange.sendResponseHeaders(200, data.length);
                    body.write(data);
                } else if (range == null) {
                    exchange.sendResponseHeaders(200, data.length);
                    body.write(data, 0, cut);
                    body.flush();
                    Thread.sleep(hold);
                    body.write(data, cut, data.length - cut);
                } else {
                    int from = Integer.parseInt(range.replaceAll("\\D", ""));
                    exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (data.length - 1) + "/" + data.length);
                    exchange.sendResponseHeaders(206, data.length - from);
                    body.write(data, from, data.length - from);
                }
            } catch (InterruptedException | IOException e) {
                // The client went away.
            }
        });
        server.start();
    }

    /** The values every request had for this header (null where absent). */
    List<String> headers(String name) {
        return requestHeaders.stream().map(h -> h.getFirst(name)).toList();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
