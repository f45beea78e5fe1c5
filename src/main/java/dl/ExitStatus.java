package dl;

/** The exit statuses of a run (the README's table), and the one a run's tally earns. */
final class ExitStatus {

    static final int OK = 0;
    static final int SOME_FAILED = 1;
    static final int USAGE = 2;
    static final int CHECKSUM = 3;
    static final int INTERRUPTED = 130;
    /** A bug in Download.java itself (sysexits' EX_SOFTWARE), told apart from downloads that failed. */
    static final int INTERNAL = 70;
    /** {@code otherTrouble}: rejected list lines, or a manifest that could not be written. */
    static int of(Tally tally, boolean otherTrouble) {
        if (tally.interrupted()) {
            return INTERRUPTED;
        }
        if (tally.anyFailure(Failure.CHECKSUM)) {
            return CHECKSUM;
        }
        return tally.failed() > 0 || otherTrouble ? SOME_FAILED : OK;
    }

    private ExitStatus() {}
}
