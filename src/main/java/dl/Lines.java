package dl;

import java.io.IOException;
import java.io.Reader;

/**
 * Text read a line at a time, holding at most {@code max} characters of a line: one endless line (a device, a
 * binary file, a pipe that never sends a line end) cannot fill the memory, whatever reads it. Lines end at
 * {@code \n}, {@code \r} or {@code \r\n}, as {@link java.io.BufferedReader#readLine} ends them.
 */
final class Lines {

    private final Reader in;
    private final int max;
    private final char[] buffer = new char[8192];
    private int pos;
    private int end;
    /** The last line ended with {@code \r}: a {@code \n} right after it belongs to that line end. */
    private boolean skipLf;
    private final StringBuilder kept = new StringBuilder();
    private long length;
    private boolean longer;
    private long position;
    private boolean nul;

    Lines(Reader in, int max) {
        this.in = in;
        this.max = max;
    }

    /**
     * The next line, or null at the end. When it is longer than {@code max}, only its first {@code max}
     * characters are read: {@link #longer()} is true and {@link #skip} reads on to its end.
     */
    String next() throws IOException {
        kept.setLength(0);
        length = 0;
        longer = false;
        if (!fill()) {
            return null;
        }
        while (true) {
            int start = pos;
            int limit = Math.min(end, pos + max - kept.length());
            scan(limit);
            kept.append(buffer, start, pos - start);
            length += pos - start;
            if (pos < limit) {
                endLine();
                return kept.toString();
            }
            if (!fill()) {
                return kept.toString();
            }
            if (kept.length() == max) {
                if (buffer[pos] == '\n' || buffer[pos] == '\r') {
                    endLine();
                } else {
                    longer = true;
                }
                return kept.toString();
            }
        }
    }

    /**
     * Reads on through a line longer than {@code max}, at most {@code chars} more of it, keeping none; true when
     * its end was reached, false when the line goes on (call again, or stop reading).
     */
    boolean skip(long chars) throws IOException {
        for (long skipped = 0; skipped < chars; ) {
            if (!fill()) {
                longer = false;
                return true;
            }
            int start = pos;
            int limit = chars - skipped < end - pos ? pos + (int) (chars - skipped) : end;
            scan(limit);
            skipped += pos - start;
            length += pos - start;
            if (pos < limit) {
                endLine();
                longer = false;
                return true;
            }
        }
        return false;
    }

    /** The last line is longer than {@code max} and not read to its end yet. */
    boolean longer() {
        return longer;
    }

    /** The length of the last line: all of it once read to its end, else as far as it was read. */
    long length() {
        return length;
    }

    /** Characters read so far, line ends included. */
    long position() {
        return position;
    }

    /** A NUL character was read: text files have none. */
    boolean sawNul() {
        return nul;
    }

    /** Moves {@code pos} to the first line end before {@code limit}, or to {@code limit}. */
    private void scan(int limit) {
        while (pos < limit) {
            char c = buffer[pos];
            if (c == '\n' || c == '\r') {
                return;
            }
            nul |= c == 0;
            pos++;
        }
    }

    private void endLine() {
        skipLf = buffer[pos] == '\r';
        pos++;
    }

    /** At least one character waits at {@code pos}; false at the end of the text. */
    private boolean fill() throws IOException {
        while (true) {
            if (pos == end) {
                int n = in.read(buffer, 0, buffer.length);
                if (n < 0) {
                    return false;
                }
                pos = 0;
                end = n;
                position += n;
                continue;
            }
            if (skipLf) {
                skipLf = false;
                if (buffer[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            return true;
        }
    }
}
