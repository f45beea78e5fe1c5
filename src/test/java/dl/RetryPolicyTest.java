package dl;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retry policy as the pure function it is: no server, no Transfer. */
class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(1000));

    @Test
    void theWaitDoublesWithJitterUpToItsCap() {
        for (int attempt = 1; attempt <= 6; attempt++) {
            long base = Math.min(100L << (attempt - 1), 1000);
            assertEquals(base, policy.wait(attempt, null, 1.0).toMillis(), "attempt " + attempt);
            assertEquals(base / 2, policy.wait(attempt, null, 0.5).toMillis(), "attempt " + attempt);
            for (int i = 0; i < 50; i++) {
                long wait = policy.wait(attempt, null).toMillis();
                assertTrue(wait >= base / 2 && wait <= base, "attempt " + attempt + ": " + wait + " ms");
            }
        }
        assertEquals(1000, policy.wait(60, null, 1.0).toMillis(), "no overflow far past the cap");
    }

    @Test
    void retryAfterIsTakenAsItIsButCapped() {
        assertEquals(1000, policy.wait(1, Duration.ofSeconds(30), 0.5).toMillis());
        assertEquals(300, policy.wait(1, Duration.ofMillis(300), 0.5).toMillis());
    }

    @Test
    void whatIsRetriedAndWhenItStops() {
        for (int status : new int[] {408, 429, 500, 502, 503, 504}) {
            assertTrue(RetryPolicy.isTransient(status), String.valueOf(status));
        }
        for (int status : new int[] {400, 401, 403, 404, 407, 410, 501}) {
            assertFalse(RetryPolicy.isTransient(status), String.valueOf(status));
        }
        assertTrue(RetryPolicy.pausesHost(429, Duration.ofSeconds(1)) && RetryPolicy.pausesHost(503, Duration.ZERO));
        assertFalse(RetryPolicy.pausesHost(500, Duration.ofSeconds(1)) || RetryPolicy.pausesHost(429, null));
        assertFalse(policy.givesUp(5));
        assertTrue(policy.givesUp(6));
    }
}
