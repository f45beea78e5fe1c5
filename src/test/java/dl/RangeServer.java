package dl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A server of one file, {@code /file.bin}, that answers ranges as nginx does ({@code Accept-Ranges}, a strong
 * ETag, {@code If-Range}, {@code Range: bytes=a-b} and {@code a-}) and counts what it did: the bytes of bodies it
 * sent, the connections it was asked on (client ports), the ranges asked for, and the most requests in flight at
 * once. It can hold each answer to a pace (as nginx's {@code limit_rate}), cut a connection after some bytes, and
 * swap the file for another version once it has sent some bytes.
 */
final class RangeServer implements AutoCloseable {

    private final HttpServer server;
    private volatile byte[] data;
    private volatile String etag = "\"v1\"";
    /** False: a server without ranges, answering every request in full with neither header. */
    volatile boolean ranges = true;
    /** Sleep this many milliseconds after every 64 KiB of a body: a fixed pace per connection. */
    volatile int millisPer64K;
    /** Set: once the first answer's head is sent, the file becomes {@link #next}, with another ETag. */
    volatile byte[] next;
    /** Once the bodies sent add up to this, the next body to send a chunk is cut off, its connection closed (-1: never). */
    volatile long cutAfter = -1;

    final AtomicLong bytesSent = new AtomicLong();
    final List<String> asked = new CopyOnWriteArrayList<>();
    final Set<Integer> ports = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger peakInFlight = new AtomicInteger();

    RangeServer(byte[] data) throws IOException {
        this.data = data;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::answer);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/file.bin";
    }

    byte[] data() {
        return data;
    }

    /** Range requests asked (those with a Range header). */
    long rangeRequests() {
        return asked.stream().filter(a -> !a.equals("null")).count();
    }

    private void answer(HttpExchange exchange) throws IOException {
        ports.add(exchange.getRemoteAddress().getPort());
        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try (exchange) {
            byte[] body = data;
            String tag = etag;
            String range = exchange.getRequestHeaders().getFirst("Range");
            String ifRange = exchange.getRequestHeaders().getFirst("If-Range");
            asked.add(String.valueOf(range));
            long from = 0;
            long to = body.length - 1;
            boolean partial = false;
            if (ranges) {
                exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
                exchange.getResponseHeaders().set("ETag", tag);
                if (range != null && range.startsWith("bytes=") && (ifRange == null || ifRange.equals(tag))) {
                    String[] ends = range.substring(6).split("-", -1);
                    from = Long.parseLong(ends[0]);
                    to = ends[1].isEmpty() ? body.length - 1 : Math.min(Long.parseLong(ends[1]), body.length - 1);
                    if (from >= body.length) {
                        exchange.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
                        exchange.sendResponseHeaders(416, -1);
                        return;
                    }
                    partial = true;
                    exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + body.length);
                }
            }
            long length = to - from + 1;
            exchange.sendResponseHeaders(partial ? 206 : 200, length);
            if (next != null && data != next) {
                data = next; // this answer goes on with the old version, the next ones get the new
                etag = "\"v2\"";
            }
            OutputStream out = exchange.getResponseBody();
            for (long at = from; at <= to; ) {
                int n = (int) Math.min(64 << 10, to + 1 - at);
                long sent = bytesSent.get();
                if (cutAfter >= 0 && sent >= cutAfter) {
                    cutAfter = -1; // once: the connection that sees it is cut, the others go on
                    return; // closing the exchange before the body is complete: the client sees it cut short
                }
                if (millisPer64K > 0) {
                    Thread.sleep(millisPer64K);
                }
                out.write(body, (int) at, n);
                at += n;
                bytesSent.addAndGet(n);
            }
        } catch (IOException | InterruptedException clientGone) {
            // the client closed its end (a segment whose rest was taken by another): nothing more to send
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
