package dl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bounded line reader splits lines as BufferedReader does, and never holds more of a line than asked. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LinesTest {

    /** Random texts of short lines, \n, \r and \r\n mixed, also across the reader's 8 KiB buffer. */
    @Test
    void splitsLinesAsBufferedReaderDoes() throws IOException {
        Random random = new Random(22);
        String alphabet = "ab\n\r\r\n\u0000x";
        for (int round = 0; round < 300; round++) {
            StringBuilder text = new StringBuilder();
            int size = random.nextInt(round < 200 ? 40 : 20_000);
            for (int i = 0; i < size; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            List<String> expected = new BufferedReader(new StringReader(text.toString())).lines().toList();
            List<String> got = new ArrayList<>();
            Lines lines = new Lines(new StringReader(text.toString()), 1 << 20);
            for (String line; (line = lines.next()) != null; ) {
                assertFalse(lines.longer());
                got.add(line);
            }
            assertEquals(expected, got, text.toString());
            assertEquals(text.indexOf("\u0000") >= 0, lines.sawNul());
        }
    }

    @Test
    void aLongLineKeepsItsStartAndIsSkippedToItsEnd() throws IOException {
        String text = "short\n" + "y".repeat(10) + "\r\n" + "z".repeat(30_000) + "\r\nafter\n" + "w".repeat(11);
        Lines lines = new Lines(new StringReader(text), 10);
        assertEquals("short", lines.next());
        assertEquals("yyyyyyyyyy", lines.next());
        assertFalse(lines.longer(), "exactly the limit is not longer");
        assertEquals("zzzzzzzzzz", lines.next());
        assertTrue(lines.longer());
        assertFalse(lines.skip(100), "the line goes on");
        assertEquals(110, lines.length());
        assertTrue(lines.skip(Long.MAX_VALUE));
        assertEquals(30_000, lines.length());
        assertEquals("after", lines.next());
        assertEquals("wwwwwwwwww", lines.next());
        assertTrue(lines.longer());
        assertTrue(lines.skip(Long.MAX_VALUE), "the end of the text ends the line");
        assertEquals(11, lines.length());
        assertNull(lines.next());
    }

    /** An endless line (like /dev/zero) is read in bounded steps, never held. */
    @Test
    void anEndlessLineIsReadInSteps() throws IOException {
        Reader zeros = new Reader() {
            @Override
            public int read(char[] cbuf, int off, int len) {
                java.util.Arrays.fill(cbuf, off, off + len, '\0');
                return len;
            }

            @Override
            public void close() {}
        };
        Lines lines = new Lines(zeros, 100);
        assertEquals(100, lines.next().length());
        assertTrue(lines.longer());
        assertFalse(lines.skip(1 << 20));
        assertTrue(lines.sawNul());
        assertTrue(lines.position() > 1 << 20);
    }
}
