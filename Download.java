///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25
//PREVIEW
//JAVAC_OPTIONS -XDsuppressNotes
//RUNTIME_OPTIONS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn48m -XX:SurvivorRatio=4 -XX:UserThreadWaitAttemptsAtExit=0 --enable-native-access=ALL-UNNAMED
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-core:2.20.1
//DEPS org.conscrypt:conscrypt-openjdk-uber:2.5.2
//DEPS com.google.guava:guava:33.8.0-jre
//SOURCES src/main/java/**.java
package dl;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Download.java: a parallel batch downloader that gives every download its own thread.
 *
 * <p>The whole pattern is on this page. The main thread opens a {@link StructuredTaskScope}, forks one
 * subtask per download, and then handles the {@link Event}s the downloads put on one {@link BlockingQueue}.
 * Workers never print and never touch the main thread's state; only the main thread renders and tallies. When
 * every download has sent its last event the main thread joins the scope, and no thread outlives it.
 *
 * <p>The machinery lives beside this file, one job a file: {@link Event} is what a download can say,
 * {@link Cli} turns the command line into a plan of {@link Job}s, {@link Transfer} moves one file's bytes,
 * {@link Limits} bounds the connections, {@link Tally} and the {@link View}s keep score and draw.
 *
 * <p>The JVM options above, measured on two cores (see docs/DESIGN.md): {@code TieredStopAtLevel=1} keeps the JIT at
 * its quick first tier, because in a run of seconds the optimising compiler cost more CPU than it saved. The serial
 * collector with a 48 MiB young generation keeps resident memory near what the run holds (G1 grew its heap far past
 * it: 591 MiB for 5,000 waiting downloads, now about 230), and survivor spaces large enough that a request's
 * buffers die young instead of filling the old generation. {@code UserThreadWaitAttemptsAtExit=0} spares the
 * 0.3 s that JDK 25 waits at exit for socket poller threads; native access lets {@link Durability} call syncfs.
 * {@code -XDsuppressNotes} keeps javac's two notes about preview features out of a first run's output.
 */
public final class Download {

    /**
     * How many downloads may be forked and not yet ended: far above any connection bound, so a waiting download is
     * still a waiting thread, but a bound, so a list of millions holds (and Ctrl-C cancels) this many threads, not all.
     */
    static final int WINDOW = Integer.getInteger("dl.window", 10_000);

    /** How long the main thread lets events gather before it handles them: far below what a person notices. */
    private static final Duration BATCH = Duration.ofMillis(5);

    public static void main(String[] args) {
        Interrupts.onSignalInterrupt(Thread.currentThread());
        System.exit(Cli.run(Download::download, args, System.out, System.err));
    }

    /**
     * Runs every job, each on its own thread, and returns the tally the main thread kept.
     * Returns early, with the unfinished downloads marked interrupted, if this thread is interrupted.
     */
    static Tally download(List<Job> jobs, Settings settings, View view) {
        return download(jobs.iterator(), jobs.size(), settings, new Cookies(), view);
    }

    /**
     * The same with this cookie jar, which the downloads share; the main thread may save it once this returns. The
     * jobs are taken as there is room to fork them, so a list of millions is read while it is downloaded, never held;
     * {@code total} is how many {@code jobs} will give (fewer if its list can no longer be read: the run ends there).
     */
    static Tally download(Iterator<Job> jobs, int total, Settings settings, Cookies cookies, View view) {
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Tally tally = new Tally(total, settings.threads());
        ThreadFactory threads = settings.threads().factory();

        try (Transfer transfer = new Transfer(settings, cookies);
             var scope = StructuredTaskScope.open(Joiner.<Void>awaitAll(), cfg -> cfg.withThreadFactory(threads))) {

            while (true) {
                if (!roomToFork(events, tally, view)) {
                    break; // Ctrl-C while planning or forking: fork no more, and cancel what runs below.
                }
                if (!jobs.hasNext()) {
                    if (!Thread.currentThread().isInterrupted()) {
                        tally.allPlanned(); // fewer than planned when the list could not be read again
                    }
                    break;
                }
                Job job = jobs.next();
                scope.fork(() -> {
                    // The terminal event goes out from finally, so a crashed or cancelled worker still reports.
                    Event last = new Event.Failed(job, Failure.INTERRUPTED, "cancelled before it finished");
                    try {
                        last = transfer.fetch(job, events::add);
                    } catch (RuntimeException | Error bug) {
                        last = new Event.Failed(job, Failure.FILE, "internal error: " + bug);
                    } finally {
                        events.add(last);
                    }
                });
                tally.countFork();
                // Starting a platform thread takes a while; meanwhile early downloads end. Take their events now,
                // so the count of live threads is true and the view moves while the rest is forked.
                drain(events, tally, view);
            }

            view.allForked(tally);
            try {
                while (!tally.allDone()) {
                    Event event = events.poll(100, TimeUnit.MILLISECONDS);
                    if (event != null) {
                        handle(event, tally, view);
                        // Let events gather for a moment: one wake-up of this thread per batch, not per event
                        // (20,000 small files send 40,000 events; each wake-up costs a context switch).
                        Thread.sleep(BATCH);
                        drain(events, tally, view);
                    }
                    view.tick(tally);
                }
            } catch (InterruptedException ctrlC) {
                cancel(tally, transfer);
                Thread.currentThread().interrupt(); // so that join() below returns at once
            }
            // join() exactly once (a second call throws). Interrupted, it throws at once; closing the scope then
            // interrupts every worker and waits for them, and their terminal events are still on the queue.
            try {
                scope.join();
            } catch (InterruptedException ctrlC) {
                cancel(tally, transfer);
            }
        }
        drain(events, tally, view);
        if (Thread.interrupted()) {
            tally.markInterrupted(); // Ctrl-C came when the last download had just ended: still a Ctrl-C
        }
        return tally;
    }

    /**
     * Handles events until fewer than {@link #WINDOW} downloads are in flight; false if Ctrl-C came first (the
     * interrupt stays set for the loop below).
     */
    private static boolean roomToFork(BlockingQueue<Event> events, Tally tally, View view) {
        try {
            while (tally.forked() - tally.ended() >= WINDOW && !Thread.currentThread().isInterrupted()) {
                Event event = events.poll(100, TimeUnit.MILLISECONDS);
                if (event != null) {
                    handle(event, tally, view);
                    drain(events, tally, view);
                }
                view.tick(tally);
            }
        } catch (InterruptedException ctrlC) {
            Thread.currentThread().interrupt();
        }
        return !Thread.currentThread().isInterrupted();
    }

    /** Ctrl-C: an interrupt does not wake a platform thread blocked on a socket, so close those connections too. */
    private static void cancel(Tally tally, Transfer transfer) {
        tally.markInterrupted();
        transfer.cancel();
    }

    /** Handles whatever events are waiting, without blocking. */
    private static void drain(BlockingQueue<Event> events, Tally tally, View view) {
        for (Event event; (event = events.poll()) != null; ) {
            handle(event, tally, view);
        }
    }

    /** The main thread's handler: an exhaustive switch, so a new kind of event cannot be forgotten. */
    private static void handle(Event event, Tally tally, View view) {
        switch (event) {
            case Event.Started s -> tally.started(s);
            case Event.Segmented s -> { } // the view lists them; the score counts one download, whatever its connections
            case Event.Progress p -> tally.progress(p);
            case Event.Waiting w -> tally.waiting(w);
            case Event.Retrying r -> tally.retrying(r);
            case Event.Completed c -> tally.completed(c);
            case Event.Failed f -> tally.failed(f);
            case Event.Skipped s -> tally.skipped(s);
            case Event.UpToDate u -> tally.upToDate(u);
        }
        view.show(event, tally);
    }

    private Download() {}
}
