package dl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LimitsTest {

    private final Limits limits = new Limits(TestSettings.in(Path.of("."), Threads.VIRTUAL));

    @Test
    void anotherHostIsNotHeldBackByAPause() throws Exception {
        // Paused far beyond this class's 10 s time-out: acquiring for another host can only pass if it does not wait.
        limits.pause(URI.create("http://a.test/x"), Instant.now().plusSeconds(600));
        try (var permit = limits.acquire(URI.create("http://b.test/x"), why -> { })) {
            assertTrue(permit != null);
        }
    }

    @Test
    void aPausedHostWaitsUntilThePauseEnds() throws Exception {
        Instant until = Instant.now().plusMillis(400);
        limits.pause(URI.create("http://a.test/x"), until);
        try (var _ = limits.acquire(URI.create("http://A.TEST/other"), why -> { })) {
            assertFalse(Instant.now().isBefore(until), "the same host (any case) waited for the pause");
        }
    }

    @Test
    void thePerHostBoundBlocksUntilAPermitComesBack() throws Exception {
        // TestSettings allow 100 per host: take them all, then one more must wait.
        URI url = URI.create("http://c.test/");
        var held = new java.util.ArrayList<Limits.Permit>();
        for (int i = 0; i < 100; i++) {
            held.add(limits.acquire(url, why -> { }));
        }
        AtomicBoolean got = new AtomicBoolean();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try (var _ = limits.acquire(url, why -> { })) {
                got.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.join(Duration.ofMillis(200));
        assertFalse(got.get(), "the 101st waits");
        held.removeFirst().close();
        waiter.join();
        assertTrue(got.get(), "and goes once one is given back");
        held.forEach(Limits.Permit::close);
    }

    @Test
    void theDefaultPortIsTheSameHostAsNoPort() throws Exception {
        var held = new java.util.ArrayList<Limits.Permit>();
        for (int i = 0; i < 100; i++) {
            held.add(limits.acquire(URI.create("http://d.test/" + i), why -> { }));
        }
        AtomicBoolean got = new AtomicBoolean();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try (var _ = limits.acquire(URI.create("http://D.test:80/more"), why -> { })) {
                got.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.join(Duration.ofMillis(200));
        assertFalse(got.get(), "http://d.test:80/ shares the slots of http://d.test/");
        held.forEach(Limits.Permit::close);
        waiter.join();
        assertTrue(got.get());
    }
}
