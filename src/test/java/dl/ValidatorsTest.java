package dl;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ETags and HTTP-dates as servers send them, and as hostile ones do: pure functions, no server. */
class ValidatorsTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final Instant RFC_EXAMPLE = Instant.parse("1994-11-06T08:49:37Z");

    @Test
    void strongAndWeakEntityTagsAreReadAsSent() {
        var strong = Validators.ETag.parse("\"xyzzy\"");
        assertEquals("\"xyzzy\"", strong.value());
        assertFalse(strong.weak());
        var weak = Validators.ETag.parse("W/\"67ab43-5e1\"");
        assertEquals("W/\"67ab43-5e1\"", weak.value());
        assertTrue(weak.weak());
        assertEquals("\"\"", Validators.ETag.parse("\"\"").value(), "an empty opaque tag is valid");
        assertEquals("\"a,b\"", Validators.ETag.parse("\"a,b\"").value(), "a comma is an etagc: the quotes delimit the tag");
        assertEquals("\"a\"", Validators.ETag.parse("  \"a\"  ").value(), "surrounding whitespace is not part of it");
    }

    @Test
    void whatIsNotAnEntityTagIsDroppedNotSentBack() {
        for (String bad : new String[] {"xyzzy", "\"open", "W/xyzzy", "w/\"lower-case weak\"", "\"a\"b\"", "\"a b\"", "\"caf\u00e9\"",
                "\"line\r\nX-Injected: 1\"", "\"tab\t\"", "\"nul\0\"", "", "W/", "\"" + "x".repeat(Validators.MAX_ETAG) + "\""}) {
            assertNull(Validators.ETag.parse(bad), bad);
        }
        assertNull(Validators.ETag.parse(null));
    }

    @Test
    void theThreeHttpDateFormatsOfRfc9110AreAllRead() {
        assertEquals(RFC_EXAMPLE, Validators.httpDate("Sun, 06 Nov 1994 08:49:37 GMT", NOW), "IMF-fixdate");
        assertEquals(RFC_EXAMPLE, Validators.httpDate("Sunday, 06-Nov-94 08:49:37 GMT", NOW), "RFC 850");
        assertEquals(RFC_EXAMPLE, Validators.httpDate("Sun Nov  6 08:49:37 1994", NOW), "asctime");
        assertEquals(RFC_EXAMPLE, Validators.httpDate("Sun, 6 Nov 1994 08:49:37 GMT", NOW), "a one-digit day, as the JDK's RFC 1123 writes it");
    }

    @Test
    void rfc850sTwoDigitYearIsNeverMoreThanFiftyYearsAhead() {
        assertEquals(Instant.parse("2030-01-01T00:00:00Z"), Validators.httpDate("Tuesday, 01-Jan-30 00:00:00 GMT", NOW));
        assertEquals(Instant.parse("1980-01-01T00:00:00Z"), Validators.httpDate("Tuesday, 01-Jan-80 00:00:00 GMT", NOW),
                "2080 would be 54 years ahead: the most recent past 80 is 1980");
    }

    @Test
    void garbageIsNoDate() {
        for (String bad : new String[] {"yesterday", "0", "-1", "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 1994 08:49:37 UTC",
                "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
                "Xyz, 06 Nov 1994 08:49:37 GMT", "sun, 06 nov 1994 08:49:37 gmt", "Sun, 06 Nov 99999 08:49:37 GMT",
                "Sun, 06 Nov 1994 08:61:37 GMT", "Sun Nov 36 08:49:37 1994", "1994-11-06T08:49:37Z", "", "x".repeat(10_000)}) {
            assertNull(Validators.httpDate(bad, NOW), bad);
        }
        assertNull(Validators.httpDate(null, NOW));
        assertEquals(Instant.parse("1998-12-31T23:59:59Z"), Validators.httpDate("Thu, 31 Dec 1998 23:59:60 GMT", NOW),
                "a leap second is read as the second before it");
    }

    @Test
    void aLastModifiedFarInTheFutureOrBeforeNineteenSeventyIsIgnored() {
        assertNull(Validators.lastModified("Fri, 31 Dec 9999 23:59:59 GMT", NOW), "the year 9999");
        assertNull(Validators.lastModified("Sat, 05 Dec 2026 12:00:00 GMT", NOW), "two days ahead of the clock");
        assertEquals(Instant.parse("2026-12-03T18:00:00Z"), Validators.lastModified("Thu, 03 Dec 2026 18:00:00 GMT", NOW),
                "a few hours ahead is a server's clock, not a lie");
        assertNull(Validators.lastModified("Thu, 01 Jan 1920 00:00:00 GMT", NOW));
        assertNull(Validators.lastModified("garbage", NOW));
        assertEquals(RFC_EXAMPLE, Validators.lastModified("Sun, 06 Nov 1994 08:49:37 GMT", NOW));
    }

    @Test
    void datesAreSentAsImfFixdateAndReadBackTheSame() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", Validators.httpDate(RFC_EXAMPLE));
        assertEquals("Thu, 03 Dec 2026 12:00:00 GMT", Validators.httpDate(NOW.plusMillis(999)), "to the second, rounded down");
        assertEquals(NOW, Validators.httpDate(Validators.httpDate(NOW), NOW));
    }

    @Test
    void anAnswersHeadersBecomeItsValidators() {
        var v = Validators.of("W/\"5e1\"", "Sun, 06 Nov 1994 08:49:37 GMT", NOW);
        assertEquals("W/\"5e1\"", v.etag().value());
        assertEquals(RFC_EXAMPLE, v.lastModified());
        assertTrue(Validators.of(null, "Fri, 31 Dec 9999 23:59:59 GMT", NOW).none());
    }
}
