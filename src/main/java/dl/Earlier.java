package dl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** What an earlier run's {@code --manifest} recorded for one URL: its last line there. */
/**
 * {@code outcome} is null for a word that is not one of ours; {@code bytes} -1 and {@code sha256} null where unknown;
 * {@code etag} and {@code lastModified}: the server's validators for the file, null where unknown (for -N).
 */
record Earlier(String url, String file, Outcome outcome, long bytes, String sha256, Validators.ETag etag, java.time.Instant lastModified) {

    /** Its file was published (by this or an earlier run) and its size is known. */
    boolean done() {
        return (outcome == Outcome.COMPLETED || outcome == Outcome.SKIPPED || outcome == Outcome.UP_TO_DATE) && bytes >= 0 && file != null
                && !file.isEmpty() && FileNames.sanitize(file).equals(file) && !file.endsWith(FileNames.PART);
    }

    /** Done, and its file is still in {@code dir}: a regular file (not a link) of the recorded size. */
    boolean stillThere(Path dir) {
        if (!done()) {
            return false;
        }
        try {
            var there = Files.readAttributes(dir.resolve(file), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return there.isRegularFile() && there.size() == bytes;
        } catch (IOException gone) {
            return false;
        }
    }
}
