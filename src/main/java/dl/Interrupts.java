package dl;

import sun.misc.Signal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C and SIGTERM become an interrupt of the main thread, which cancels the scope so that downloads stop
 * and keep their part files for the next run. A second signal ends the process at once.
 */
final class Interrupts {

    static void onSignalInterrupt(Thread main) {
        AtomicBoolean once = new AtomicBoolean();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (once.compareAndSet(false, true)) {
                        main.interrupt();
                    } else {
                        Runtime.getRuntime().halt(128 + signal.getNumber());
                    }
                });
            } catch (IllegalArgumentException notOnThisPlatform) {
                // The JVM keeps its default handling of that signal.
            }
        }
    }

    private Interrupts() {}
}
