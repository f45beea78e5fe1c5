package dl;

import java.util.Locale;

/** What became of a URL, as a manifest line says it: the {@code outcome} field, in lower case. */
enum Outcome {
    /** {@code UP_TO_DATE}: -N asked, and the server said the file there has not changed (304). */
    COMPLETED, SKIPPED, UP_TO_DATE, FAILED, STOPPED;

    String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome a manifest line names, or null for one that is not ours. */
    static Outcome of(String text) {
        for (Outcome outcome : values()) {
            if (outcome.text().equals(text)) {
                return outcome;
            }
        }
        return null;
    }
}
