package dl;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a download tries again, and after how long: a pure function of the attempt and what the server said,
 * like {@link Resume}, so that every case is tested without a server. {@link Transfer} only asks it.
 */
record RetryPolicy(int retries, Duration delay, Duration cap) {

    /** Answers that say "not now" rather than "no": worth another try. */
    private static final Set<Integer> TRANSIENT = Set.of(408, 429, 500, 502, 503, 504);

    static RetryPolicy of(Settings settings) {
        return new RetryPolicy(settings.retries(), settings.retryDelay(), settings.maxRetryWait());
    }

    static boolean isTransient(int status) {
        return TRANSIENT.contains(status);
    }

    /** A 429 or 503 with Retry-After speaks for the whole host: every new request to it waits too. */
    static boolean pausesHost(int status, Duration retryAfter) {
        return retryAfter != null && (status == 429 || status == 503);
    }

    /** Whether the download stops after this failed attempt (the first attempt is 1). */
    boolean givesUp(int attempt) {
        return attempt > retries;
    }

    /** The wait before the next attempt, with a random jitter so that a batch does not retry in lockstep. */
    Duration wait(int attempt, Duration retryAfter) {
        return wait(attempt, retryAfter, ThreadLocalRandom.current().nextDouble(0.5, 1.0));
    }

    /**
     * Retry-After when the server gave one, else {@code delay} doubled each attempt; either capped by {@code cap}.
     * {@code jitter} (0.5 to 1) scales the doubled delay only: a server's own wait is taken as it is.
     */
    Duration wait(int attempt, Duration retryAfter, double jitter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(cap) > 0 ? cap : retryAfter;
        }
        double base = delay.toNanos() * Math.pow(2, Math.min(attempt - 1, 30));
        return Duration.ofNanos((long) (Math.min(base, cap.toNanos()) * jitter));
    }
}
