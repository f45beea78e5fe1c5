package dl;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Settings for tests that call Download.download directly: small waits, so failures come fast. */
final class TestSettings {

    static Settings in(Path dir, Threads threads) {
        return new Settings(dir, threads, 100, 100, 1, Duration.ofMillis(10), Duration.ofMillis(200),
                Duration.ofSeconds(5), Duration.ofSeconds(5), 0, false, false, false, List.of(), Settings.USER_AGENT, Tls.Trust.JDK,
                Duration.ZERO, false, 0, Proxies.JVM, false, false, true, 1, Options.MIN_SPLIT_SIZE);
    }

    private TestSettings() {}
}
