package dl;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.lang.management.ManagementFactory;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Bounds on open connections: one for the whole batch and one per host, as semaphores the download threads
 * wait on. Every download has its thread from the start; waiting for a connection is a blocked thread, which
 * is the point: with virtual threads that costs a few KB, so there is no need for a queue of pending jobs.
 *
 * <p>Politeness is enforced in the same place: with {@code --wait}, request starts to one host are spaced out
 * (with {@code --random-wait}, by 0.5 to 1.5 times the wait, as wget does); with {@code --limit-rate}, all
 * downloads together take bytes from one budget. A download that must wait sleeps on its own thread.
 *
 * <p>A host can also be paused (it answered 429 or 503 with Retry-After): no new request goes to it until then;
 * and a host whose name does not resolve is remembered, so that its other downloads fail at once.
 */
final class Limits {

    /** Held while a connection is open; closing it gives the connection back. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private static final class Host {
        final HostWindow connections;
        /** When the next request to this host may start (--wait). Guarded by this. */
        long nextStartNanos = Long.MIN_VALUE;
        volatile Instant pausedUntil = Instant.MIN;
        /** Why the host's name does not resolve, once a download found out; null while it is not known. */
        volatile String unresolvable;

        Host(HostWindow connections) {
            this.connections = connections;
        }

        Duration pause() {
            return Duration.between(Instant.now(), pausedUntil);
        }
    }

    private final Semaphore connections;
    /**
     * Downloads that may have a file open: from their connection until their file is published. A download gives its
     * connection back once the body is in, and then waits for the disk with its part file open (and locked); so
     * without this bound, thousands of finished files waiting for one flush would hold thousands of descriptors.
     */
    private final Semaphore files = new Semaphore(filesAtOnce(), true);
    private final int perHost;
    /** Where an adaptive window starts: -x asks for that many connections to a file's server. */
    private final int startWindow;
    private final Duration wait;
    private final boolean randomWait;
    private final long bytesPerSecond;
    /** When the byte budget (--limit-rate) has room again. Guarded by this. */
    private long budgetFreeNanos = Long.MIN_VALUE;
    private final ConcurrentMap<String, Host> hosts = new ConcurrentHashMap<>();

    Limits(Settings settings) {
        this.connections = new Semaphore(settings.maxConnections(), true);
        this.perHost = settings.perHost();
        this.startWindow = settings.segments();
        this.wait = settings.hostWait();
        this.randomWait = settings.randomWait();
        this.bytesPerSecond = settings.limitRate();
    }

    /**
     * How many downloads may have a file open at once: half the descriptors this process may still open (each such
     * download holds at most a socket and its part file), less a margin for the manifest, the output folder and the
     * JVM's own; no bound where the JDK cannot tell.
     */
    static int filesAtOnce() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long free = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount() - FILE_MARGIN;
            return (int) Math.clamp(free / 2, 4, Integer.MAX_VALUE);
        }
        return Integer.MAX_VALUE;
    }

    /** Descriptors kept free for the rest of the run: the manifest, the output folder, a cookie file, the JVM's jars. */
    static final int FILE_MARGIN = 32;

    /**
     * Held from before a download's connection until its file is published (or its attempt ends): waits while as many
     * downloads as the process has descriptors for hold files (see {@link #files}).
     */
    Permit file(Consumer<String> waiting) throws InterruptedException {
        if (!files.tryAcquire()) {
            waiting.accept("for a file descriptor (" + files.availablePermits() + " free; ulimit -n raises the limit)");
            files.acquire();
        }
        return files::release;
    }

    /**
     * Waits for a slot at the URL's host (and for --wait and its pause to end), then for a global slot; tells
     * {@code waiting} why before it blocks (and only then), so that a waiting download is shown as waiting.
     */
    Permit acquire(URI url, Consumer<String> waiting) throws InterruptedException {
        // Host first: a download waiting for a busy host must not sit on a global slot another host could use.
        Host host = host(url);
        if (!host.connections.tryOpen()) {
            waiting.accept(host.connections.adapts()
                    ? "for one of the " + host.connections.size() + " connections to " + url.getHost() + " (as many as it answers well; --per-host N sets it)"
                    : "for one of the " + host.connections.size() + " connections to " + url.getHost() + " (--per-host)");
            host.connections.open();
        }
        try {
            if (wait.isPositive()) {
                long sleep = turn(host);
                if (sleep > 0) {
                    waiting.accept("--wait between requests to " + url.getHost());
                    Thread.sleep(Duration.ofNanos(sleep));
                }
            }
            while (true) {
                for (Duration pause; (pause = host.pause()).isPositive(); ) {
                    waiting.accept(url.getHost() + " asked to wait (Retry-After)");
                    Thread.sleep(pause);
                }
                if (!connections.tryAcquire(0, TimeUnit.SECONDS)) {
                    waiting.accept("for a connection (--max-connections)");
                    connections.acquire();
                }
                // The host may have been paused while this thread waited for a global slot.
                if (!host.pause().isPositive()) {
                    break;
                }
                connections.release();
            }
        } catch (InterruptedException e) {
            host.connections.close();
            throw e;
        }
        return () -> {
            connections.release();
            host.connections.close();
        };
    }

    /**
     * Up to {@code wanted} more connections to the URL's host for a download that holds one already (its
     * segments), as many as are free now, without waiting: a download waiting for one more could wait forever
     * for another that waits the same way. None while the host is paused, nor before another download that
     * waits for a connection. Each permit may be closed more than once (its segment, then its download).
     */
    java.util.List<Permit> spare(URI url, int wanted) {
        Host host = host(url);
        java.util.List<Permit> permits = new java.util.ArrayList<>();
        while (permits.size() < wanted && !host.pause().isPositive() && host.connections.tryOpenSpare()) {
            if (connections.hasQueuedThreads() || !connections.tryAcquire()) {
                host.connections.close();
                break;
            }
            java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
            permits.add(() -> {
                if (closed.compareAndSet(false, true)) {
                    connections.release();
                    host.connections.close();
                }
            });
        }
        return permits;
    }

    /** Takes the next start time at the host; returns how long to sleep until it. */
    private long turn(Host host) {
        long gap = randomWait ? (long) (wait.toNanos() * ThreadLocalRandom.current().nextDouble(0.5, 1.5)) : wait.toNanos();
        synchronized (host) {
            long now = System.nanoTime();
            long start = host.nextStartNanos == Long.MIN_VALUE ? now : Math.max(now, host.nextStartNanos);
            host.nextStartNanos = start + gap;
            return start - now;
        }
    }

    /** Takes {@code bytes} from the run's budget (--limit-rate), sleeping until it has them; at once without a limit. */
    void spend(long bytes) throws InterruptedException {
        if (bytesPerSecond <= 0) {
            return;
        }
        long sleep;
        synchronized (this) {
            long now = System.nanoTime();
            // At most a tenth of a second of unused budget carries over: a pause is not saved up for a burst.
            budgetFreeNanos = Math.max(budgetFreeNanos, now - 100_000_000L) + bytes * 1_000_000_000L / bytesPerSecond;
            sleep = budgetFreeNanos - now;
        }
        if (sleep > 0) {
            Thread.sleep(Duration.ofNanos(sleep));
        }
    }

    /** The size of a read that keeps a limited rate smooth: about a tenth of a second's worth. */
    int chunk(int usual) {
        return bytesPerSecond <= 0 ? usual : Math.clamp(bytesPerSecond / 10, 1024, usual);
    }

    /** A download to the URL's host asked at {@code asked} (before connecting) and got its answer's head now. */
    void answered(URI url, long asked) {
        host(url).connections.answered(asked, System.nanoTime());
    }

    /** A download to the URL's host could not connect, was refused, had no answer, or was told 429 or 503. */
    void strained(URI url) {
        host(url).connections.strained();
    }

    /** Holds back every new request to the URL's host until {@code until}. */
    void pause(URI url, Instant until) {
        Host host = host(url);
        synchronized (host) {
            if (until.isAfter(host.pausedUntil)) {
                host.pausedUntil = until;
            }
        }
    }

    /** Records that the URL's host name does not resolve, so its other downloads fail at once with the reason. */
    void unresolvable(URI url, String reason) {
        host(url).unresolvable = reason;
    }

    /** Why the URL's host does not resolve, when a download found out before; else null. */
    String unresolvable(URI url) {
        return host(url).unresolvable;
    }

    private Host host(URI url) {
        // One origin, one set of slots: http://h/ and http://h:80/ are the same server.
        return hosts.computeIfAbsent(Redirects.origin(url),
                k -> new Host(perHost == Settings.ADAPTIVE ? HostWindow.adaptive(startWindow) : HostWindow.fixed(perHost)));
    }
}
