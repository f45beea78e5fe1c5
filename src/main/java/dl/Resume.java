package dl;

/**
 * What an answer means for the part file: continue it, replace it, take it as complete, or drop it and start
 * again. A pure function of what was asked and what came back, so every case is tested without a server.
 * Resuming is allowed only when it can be proved to be the same resource: the server honoured {@code If-Range}
 * with our validator, or (within one run, without a validator) it repeats the total length it announced.
 */
sealed interface Resume {

    /** A 206 at our offset: append the body from {@code from}; the resource has {@code total} bytes (-1: unknown). */
    record Append(long from, long total) implements Resume {}

    /** A 200: the whole resource, from byte 0; {@code total} is its Content-Length, or -1. */
    record Replace(long total) implements Resume {}

    /** A 416 whose total is what we have: the part file is already complete. */
    record Complete(long size) implements Resume {}

    /** The answer cannot continue what we have: drop the part file and ask again from zero. */
    record StartOver(String reason) implements Resume {}

    /**
     * @param have          bytes in the part file that were asked for with a Range request (0: none asked)
     * @param validated     whether the request carried If-Range with a validator
     * @param knownTotal    the total length announced earlier in this run, or -1
     * @param status        200, 206, or 416 (other statuses are not about resuming)
     * @param contentRange  the Content-Range header, or null
     * @param contentLength the Content-Length header, or -1
     */
    static Resume decide(long have, boolean validated, long knownTotal, int status, String contentRange, long contentLength) {
        return switch (status) {
            case 416 -> ResponseHeaders.rangeTotal(contentRange) == have && have > 0
                    ? new Complete(have)
                    : new StartOver("HTTP 416: the server cannot resume at byte " + have + "; starting again from zero");
            case 206 -> {
                long from = ResponseHeaders.rangeStart(contentRange);
                long total = ResponseHeaders.rangeTotal(contentRange);
                if (from != have) {
                    yield new StartOver("the server resumed at byte " + from + " instead of " + have + "; starting again from zero");
                }
                if (have > 0 && !validated && total != knownTotal) {
                    yield new StartOver("the resource changed length (" + knownTotal + " -> " + total + " bytes); starting again from zero");
                }
                yield new Append(from, total);
            }
            case 200 -> new Replace(contentLength);
            default -> throw new IllegalArgumentException("HTTP " + status + " is not an answer about resuming");
        };
    }
}
