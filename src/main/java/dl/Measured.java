package dl;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One child run of {@code --compare}: the fields of its summary (from its {@code --json} output, with its
 * {@code held} line), or the error that stopped it; {@code process} is the child JVM's whole wall time.
 */
record Measured(String mode, int downloads, Map<String, Object> summary, String error, Duration process) {

    /** The thread modes a comparison runs, in the order of its table and chart. */
    static final List<String> MODES = List.of("virtual", "platform");

    /** A whole-number field of the child's summary; -1 where it is missing. */
    long number(String field) {
        return summary != null && summary.get(field) instanceof Long n ? n : -1;
    }

    boolean ran() {
        return error == null;
    }

    /** Resident memory the blocked downloads held (after a GC, at the peak), per download thread alive then. */
    long heldPerLive() {
        long live = number(Json.HELD_LIVE);
        return live <= 0 ? -1 : Math.max(0, number(Json.HELD_RSS) - number(Json.BASELINE_RSS)) / live;
    }
}
