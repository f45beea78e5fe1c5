package dl;

/** A problem with the command or its input, found before any download: exit status 2, one line with a hint. */
final class UsageError extends Exception {
    UsageError(String message) {
        super(message, null, false, false);
    }
}
