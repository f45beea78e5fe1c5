package dl;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C and SIGTERM become an interrupt of the main thread, which cancels the scope so that downloads stop
 * and keep their part files for the next run. A second signal ends the process at once.
 *
 * <p>The JDK's only hook for this is {@code sun.misc.Signal} (module jdk.unsupported). It is reached by
 * reflection because javac warns about it on every build, and jbang shows those warnings to every user.
 */
final class Interrupts {

    static void onSignalInterrupt(Thread main) {
        AtomicBoolean once = new AtomicBoolean();
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(Interrupts.class.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> {
                        if (!method.getName().equals("handle")) {
                            return method.getName().equals("hashCode") ? 0 : method.getName().equals("equals") ? proxy == args[0] : "Interrupts";
                        }
                        if (once.compareAndSet(false, true)) {
                            main.interrupt();
                        } else {
                            Runtime.getRuntime().halt(128 + (int) signal.getMethod("getNumber").invoke(args[0]));
                        }
                        return null;
                    });
            for (String name : new String[] {"INT", "TERM"}) {
                signal.getMethod("handle", signal, handlerType).invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
            }
        } catch (ReflectiveOperationException | RuntimeException notAvailable) {
            // The JVM keeps its default: the process ends at once, and the part files stay for the next run.
        }
    }

    private Interrupts() {}
}
