package dl;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Which ranges of a part file fetched in segments are still missing, written into the part file itself, after
 * its last data byte: a few lines of text and a fixed footer. In the file, not beside it: it is written through
 * the part file's own channel (another descriptor would drop the part file's lock, see {@link PartFile}), it
 * cannot be left behind or mixed up with another file's, and publishing cuts it off with the same truncate that
 * ends the data. The saved URL and validator stay where they always were (an extended attribute).
 *
 * <pre>
 *   at byte TOTAL:  "download.java segments\n" TOTAL "\n" then one "FROM-TO\n" per missing range
 *   last 24 bytes:  the length of those lines, their CRC-32, "DLRANGES" (8 bytes each)
 * </pre>
 * A record that is torn (a crash while it was written), or whose offset is not the total it names, is no record:
 * the download starts again rather than trust it.
 */
final class SavedRanges {

    private static final String HEAD = "download.java segments\n";
    private static final byte[] MAGIC = "DLRANGES".getBytes(StandardCharsets.US_ASCII);
    static final int FOOTER = 24;
    /** No more ranges than this are saved (each piece leaves one at most): a bound on what is read back. */
    static final int MOST = 1024;

    /** What a record says: the file's length, and the ranges of it still missing. */
    record Saved(long total, List<Segments.Range> missing) {}

    /** The record for a file of {@code total} bytes of which {@code missing} are missing, to be written at {@code total}. */
    static byte[] encode(long total, List<Segments.Range> missing) {
        List<Segments.Range> saved = missing;
        if (missing.size() > MOST) { // never in practice: the last saved range then covers all the rest
            saved = new ArrayList<>(missing.subList(0, MOST - 1));
            saved.add(new Segments.Range(missing.get(MOST - 1).from(), missing.getLast().to()));
        }
        StringBuilder text = new StringBuilder(HEAD).append(total).append('\n');
        for (Segments.Range range : saved) {
            text.append(range.from()).append('-').append(range.to()).append('\n');
        }
        byte[] lines = text.toString().getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(lines);
        return ByteBuffer.allocate(lines.length + FOOTER).put(lines).putLong(lines.length).putLong(crc.getValue()).put(MAGIC).array();
    }

    /** The length of the lines a footer announces, or -1 when {@code footer} (the file's last 24 bytes) is none. */
    static int linesLength(byte[] footer) {
        ByteBuffer buffer = ByteBuffer.wrap(footer);
        long length = buffer.getLong(0);
        for (int i = 0; i < MAGIC.length; i++) {
            if (footer[16 + i] != MAGIC[i]) {
                return -1;
            }
        }
        return length > 0 && length <= HEAD.length() + 20 + (long) MOST * 41 ? (int) length : -1;
    }

    /**
     * What the record says, or null when it is none: {@code lines} as read at {@code at} (the file's length less the
     * record), {@code footer} the last 24 bytes.
     */
    static Saved decode(byte[] lines, byte[] footer, long at) {
        CRC32 crc = new CRC32();
        crc.update(lines);
        if (ByteBuffer.wrap(footer).getLong(8) != crc.getValue()) {
            return null;
        }
        String text = new String(lines, StandardCharsets.US_ASCII);
        if (!text.startsWith(HEAD) || !text.endsWith("\n")) {
            return null;
        }
        String[] rows = text.substring(HEAD.length(), text.length() - 1).split("\n", -1);
        long total = ResponseHeaders.decimal(rows[0]);
        if (total != at) {
            return null;
        }
        List<Segments.Range> missing = new ArrayList<>();
        long after = 0;
        for (int i = 1; i < rows.length; i++) {
            int dash = rows[i].indexOf('-');
            long from = dash < 0 ? -1 : ResponseHeaders.decimal(rows[i].substring(0, dash));
            long to = dash < 0 ? -1 : ResponseHeaders.decimal(rows[i].substring(dash + 1));
            if (from < after || to <= from || to > total) {
                return null; // sorted, disjoint, inside the file: anything else was not written by us
            }
            missing.add(new Segments.Range(from, to));
            after = to;
        }
        return new Saved(total, missing);
    }

    private SavedRanges() {}
}
