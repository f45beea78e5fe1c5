package dl;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without --per-host, how many connections a host gets follows how it answers ({@link HostWindow}); with it, it is
 * the number given. The server counts the requests in flight at once, so the tests see what the host saw.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostWindowTest {

    /**
     * Serves {@code /N.bin}; answers after {@code delayMillis}, and 503 to a request that finds {@code busyAbove} in
     * flight; {@code serial}: one request after another.
     */
    private static final class Host implements AutoCloseable {
        final HttpServer server;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final int delayMillis;
        final int busyAbove;
        final java.util.concurrent.locks.ReentrantLock oneAtATime = new java.util.concurrent.locks.ReentrantLock();

        Host(int delayMillis, int busyAbove, boolean serial) throws IOException {
            this.delayMillis = delayMillis;
            this.busyAbove = busyAbove;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                int now = inFlight.incrementAndGet();
                peak.accumulateAndGet(now, Math::max);
                if (serial) {
                    oneAtATime.lock();
                }
                try {
                    Thread.sleep(delayMillis);
                    if (now > busyAbove) {
                        refused.incrementAndGet();
                        exchange.sendResponseHeaders(503, -1);
                        return;
                    }
                    byte[] body = body(exchange.getRequestURI().getPath());
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    if (serial) {
                        oneAtATime.unlock();
                    }
                    inFlight.decrementAndGet();
                    exchange.close();
                }
            });
            server.start();
        }

        String url(int k) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + k + ".bin";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static byte[] body(String path) {
        return ("the bytes of " + path + "\n").repeat(50).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @TempDir
    Path dir;
    private final List<Host> hosts = new ArrayList<>();

    @AfterEach
    void stop() {
        hosts.forEach(Host::close);
    }

    private Host host(int delayMillis, int busyAbove) throws IOException {
        return host(delayMillis, busyAbove, false);
    }

    private Host host(int delayMillis, int busyAbove, boolean serial) throws IOException {
        Host host = new Host(delayMillis, busyAbove, serial);
        hosts.add(host);
        return host;
    }

    private Runs fetch(Host host, int files, String folder, String... options) throws IOException {
        String[] lines = new String[files];
        for (int k = 0; k < files; k++) {
            lines[k] = host.url(k);
        }
        List<String> args = new ArrayList<>(List.of(options));
        args.addAll(List.of("-o", dir.resolve(folder).toString(), Runs.list(dir, lines).toString()));
        Runs run = Runs.of(args.toArray(String[]::new));
        assertEquals(0, run.status(), run.toString());
        for (int k = 0; k < files; k++) {
            assertArrayEquals(body("/" + k + ".bin"), Files.readAllBytes(dir.resolve(folder).resolve(k + ".bin")));
        }
        return run;
    }

    @Test
    void aHostThatServesOneRequestAtATimeIsNotGivenMoreThanItsListenQueueHolds() throws Exception {
        // As python3 -m http.server does: one request after another, 1 to 3 ms each for a small file, so more
        // connections only queue, and its listen queue of five overflows at about seven waiting (the kernel then
        // drops SYNs for a second). Queued answers take a few times as long as one, and still must not look distant.
        // On a loaded machine even 2 ms an answer can become 20 (as slow as a distant host's), which at most one
        // step of growth may mistake for distance.
        Host host = host(2, Integer.MAX_VALUE, true);
        fetch(host, 60, "serial");
        assertTrue(host.peak.get() <= HostWindow.START + 1, "peak in flight " + host.peak.get());
    }

    @Test
    void aDistantHostThatAnswersAsFastWithMoreConnectionsGetsMore() throws Exception {
        // 100 ms an answer whatever the load: the time is distance, and each connection more saves some of it.
        Host host = host(100, Integer.MAX_VALUE);
        Runs run = fetch(host, 80, "far", "-v");
        assertTrue(host.peak.get() > HostWindow.START && host.peak.get() <= HostWindow.CEILING, "peak in flight " + host.peak.get());
        assertTrue((run.out() + run.err()).contains("(as many as it answers well; --per-host N sets it)"), run.toString());
    }

    @Test
    void aHostThatRefusesTheThirdConnectionIsSoonGivenTwo() throws Exception {
        // 503 to any request that finds two in flight: the window halves, and does not grow back to what was refused.
        Host adaptive = host(100, 2);
        fetch(adaptive, 40, "adaptive", "--retry-delay", "0.05", "--tries", "20");
        Host fixed = host(100, 2);
        fetch(fixed, 40, "fixed", "--per-host", "4", "--retry-delay", "0.05", "--tries", "20");
        assertTrue(adaptive.refused.get() <= 6, "503s with an adaptive window: " + adaptive.refused.get());
        assertTrue(fixed.refused.get() >= 2 * adaptive.refused.get() + 4,
                "503s: --per-host 4 " + fixed.refused.get() + ", adaptive " + adaptive.refused.get());
    }

    @Test
    void perHostFixesTheNumberWhateverTheHostDoes() throws Exception {
        Host host = host(100, Integer.MAX_VALUE);
        Runs run = fetch(host, 40, "fixed", "-v", "--per-host", "6");
        assertEquals(6, host.peak.get(), "peak in flight");
        assertTrue((run.out() + run.err()).contains("for one of the 6 connections to 127.0.0.1 (--per-host)"), run.toString());
    }

    @Test
    void aBurstOfStrainHalvesTheWindowOnce() throws Exception {
        HostWindow window = HostWindow.adaptive();
        for (int i = 0; i < HostWindow.START; i++) {
            window.open();
        }
        for (int i = 0; i < HostWindow.START; i++) {
            window.strained(); // all four connections of one burst report the same strain
        }
        assertEquals(HostWindow.START / 2, window.size());
        assertTrue(!window.tryOpen(), "no new connection while more are open than the window allows");
    }
}
