package dl;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resume decision alone: what each answer means for the bytes already in the part file. */
class ResumeTest {

    @Test
    void aTwoHundredReplacesWhateverWeHad() {
        assertEquals(new Resume.Replace(10_000), Resume.decide(4000, true, 10_000, 200, null, 10_000));
        assertEquals(new Resume.Replace(-1), Resume.decide(0, false, -1, 200, null, -1));
    }

    @Test
    void aPartialAnswerAtOurOffsetAppends() {
        assertEquals(new Resume.Append(4000, 10_000), Resume.decide(4000, true, -1, 206, "bytes 4000-9999/10000", 6000));
        // Without a validator, only when the server repeats the length it announced earlier in this run.
        assertEquals(new Resume.Append(4000, 10_000), Resume.decide(4000, false, 10_000, 206, "bytes 4000-9999/10000", 6000));
    }

    @Test
    void aPartialAnswerElsewhereOrOfAnotherLengthStartsOver() {
        var elsewhere = assertInstanceOf(Resume.StartOver.class, Resume.decide(4000, true, 10_000, 206, "bytes 0-9999/10000", 10_000));
        assertTrue(elsewhere.reason().contains("resumed at byte 0 instead of 4000"), elsewhere.reason());
        var longer = assertInstanceOf(Resume.StartOver.class, Resume.decide(4000, false, 10_000, 206, "bytes 4000-11999/12000", 8000));
        assertTrue(longer.reason().contains("changed length (10000 -> 12000 bytes)"), longer.reason());
        assertInstanceOf(Resume.StartOver.class, Resume.decide(4000, true, -1, 206, null, 6000));
    }

    @Test
    void fourSixteenWithOurSizeMeansComplete() {
        assertEquals(new Resume.Complete(10_000), Resume.decide(10_000, true, -1, 416, "bytes */10000", -1));
        assertInstanceOf(Resume.StartOver.class, Resume.decide(10_000, true, -1, 416, "bytes */20000", -1));
        assertInstanceOf(Resume.StartOver.class, Resume.decide(10_000, true, -1, 416, null, -1));
    }
}
