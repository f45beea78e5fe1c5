package dl;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How many connections one host gets at once. With {@code --per-host N} it is N. Without, it is a window that
 * starts as small as wget2's and aria2c's (a few connections) and adapts to how the host answers, in the manner of
 * TCP Vegas: the time from asking (connecting included) to the answer's head tells a host that is far away from a
 * host that is busy.
 * <ul>
 *   <li>Grow by one when the window is full and a window's worth of answers in a row took long (at least
 *       {@link #LATENCY}) but no longer than the quickest answer yet by more than a connection's share
 *       ({@code 1/size}): the time is distance, not a queue, and another connection hides it. Were the host serving one request after another, each
 *       connection more would add that share to every answer. On loopback or a near server answers come in a
 *       millisecond, and more connections gain nothing.</li>
 *   <li>Halve on strain: an answer half a second slower than twice the quickest (a connection that waited for
 *       the server's listen queue: the kernel resends a dropped SYN after a second), or a download that could not
 *       connect, was refused, had no answer, or got a 429 or 503. The window never grows back to the size that
 *       strained the host: a batch is short, and one more try at a size the server refused costs it again.</li>
 *   <li>Otherwise hold: a host that answers more slowly as it gets more connections is queueing them.</li>
 * </ul>
 * Answers to the requests sent before the host's first answer came are not judged, nor taken for the quickest:
 * they include this process's own start (classes loaded on first use, 100 to 200 ms here), not the host's.
 *
 * <p>A window that shrinks closes no connection: it opens none until fewer are open than it allows. Strain reported
 * by connections opened before the last halving does not halve it again, since it is the same strain.
 *
 * <p>A lock and a condition rather than a {@link java.util.concurrent.Semaphore}: the window's size changes while
 * threads wait, and both block a virtual thread without pinning its carrier.
 */
final class HostWindow {

    /** Where an adaptive window starts: wget2 runs 5 threads, aria2c 5 downloads of one connection each. */
    static final int START = 4;
    /** As far as an adaptive window grows: aria2c's own cap on connections to one server. */
    static final int CEILING = 16;
    static final long LATENCY = Duration.ofMillis(20).toNanos();
    static final long STALL = Duration.ofMillis(500).toNanos();

    private final boolean adaptive;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    /** Guarded by lock, as are the fields below it. */
    private int size;
    /** Below the size at which the host last strained; {@link #CEILING} until it does. */
    private int cap = CEILING;
    private int open;
    private long quickest = Long.MAX_VALUE;
    /** Answers in a row, since the size last changed, that would let the window grow. */
    private int steady;
    /** When the host's first answer came ({@link System#nanoTime}); until then, {@code Long.MAX_VALUE}. */
    private long firstAnswer = Long.MAX_VALUE;

    private HostWindow(int size, boolean adaptive) {
        this.size = size;
        this.adaptive = adaptive;
    }

    /** {@code --per-host N}: N connections, whatever the host does. */
    static HostWindow fixed(int size) {
        return new HostWindow(size, false);
    }

    /**
     * The default: {@code start} connections (at least {@link #START}: more when -x asks that many for one file),
     * then as many as the host's answers justify.
     */
    static HostWindow adaptive() {
        return adaptive(START);
    }

    static HostWindow adaptive(int start) {
        return new HostWindow(Math.clamp(start, START, CEILING), true);
    }

    /** Opens a connection if the window has room now. */
    boolean tryOpen() {
        lock.lock();
        try {
            if (open >= size) {
                return false;
            }
            open++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Opens a connection for one more segment of a download that holds one already, if the window has room now
     * and no other download waits for it: a waiting download comes before a second connection of another.
     */
    boolean tryOpenSpare() {
        lock.lock();
        try {
            if (open >= size || lock.hasWaiters(room)) {
                return false;
            }
            open++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the window has room, then opens a connection. */
    void open() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (open >= size) {
                room.await();
            }
            open++;
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            open--;
            room.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The window's size now, for messages. */
    int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the window changes with the host's answers (no --per-host). */
    boolean adapts() {
        return adaptive;
    }

    /**
     * A download holding one of this window's connections asked at {@code asked} and got its answer's head at
     * {@code answered} (both {@link System#nanoTime}).
     */
    void answered(long asked, long answered) {
        lock.lock();
        try {
            if (firstAnswer == Long.MAX_VALUE) {
                firstAnswer = answered;
            }
            if (!adaptive || asked < firstAnswer) {
                return;
            }
            long nanos = answered - asked;
            quickest = Math.min(quickest, nanos);
            if (nanos > 2 * quickest + STALL) {
                halve();
            } else if (nanos >= LATENCY && nanos * size <= quickest * (size + 1) && open >= size && size < cap) {
                // A whole window's worth of such answers, not one: a single quick answer is as often the luck of
                // the queue (or of a loaded machine) as the host's distance.
                if (++steady >= size) {
                    size++;
                    steady = 0;
                    room.signal();
                }
            } else {
                steady = 0;
            }
        } finally {
            lock.unlock();
        }
    }

    /** A download to this host could not connect, was refused, had no answer, or was told 429 or 503. */
    void strained() {
        lock.lock();
        try {
            if (adaptive) {
                halve();
            }
        } finally {
            lock.unlock();
        }
    }

    private void halve() {
        // More open than allowed: the window was halved since these connections opened; their strain is counted.
        if (open <= size) {
            steady = 0;
            cap = Math.max(1, size - 1);
            size = Math.max(1, size / 2);
        }
    }
}
