package dl;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ctrl-C, SIGTERM and SIGHUP become an interrupt of the main thread, which cancels the scope so that downloads stop
 * and keep their part files for the next run. A second signal ends the process at once, unless it comes within
 * {@value #BURST_MILLIS} ms of the first: {@code timeout} and a closing terminal signal the process and its group
 * at once, and such a burst is one request to stop, not two.
 *
 * <p>The JDK's only hook for this is {@code sun.misc.Signal} (module jdk.unsupported). It is reached by
 * reflection because javac warns about it on every build, and jbang shows those warnings to every user.
 */
final class Interrupts {

    static final long BURST_MILLIS = 300;

    static void onSignalInterrupt(Thread main) {
        AtomicLong first = new AtomicLong();
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(Interrupts.class.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> {
                        if (!method.getName().equals("handle")) {
                            return method.getName().equals("hashCode") ? 0 : method.getName().equals("equals") ? proxy == args[0] : "Interrupts";
                        }
                        long now = System.nanoTime();
                        if (first.compareAndSet(0, now)) {
                            main.interrupt();
                        } else if (now - first.get() > BURST_MILLIS * 1_000_000) {
                            // halt() runs no finally block: stop --compare's child JVMs here, or they run on.
                            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
                            Runtime.getRuntime().halt(128 + (int) signal.getMethod("getNumber").invoke(args[0]));
                        }
                        return null;
                    });
            // HUP too: a closed terminal is a request to stop like Ctrl-C, with the summary and the manifest's last line.
            for (String name : new String[] {"INT", "TERM", "HUP"}) {
                try {
                    signal.getMethod("handle", signal, handlerType).invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
                } catch (ReflectiveOperationException | RuntimeException refused) {
                    // Ignored at start (nohup ignores HUP) or kept by the JVM (-Xrs): that signal keeps its way.
                }
            }
        } catch (ReflectiveOperationException | RuntimeException notAvailable) {
            // The JVM keeps its default: the process ends at once, and the part files stay for the next run.
        }
    }

    private Interrupts() {}
}
