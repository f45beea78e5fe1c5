package dl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file a user names beside the list (a .netrc, the configuration, cookies, certificates), read whole but never
 * past a bound: a wrong file given by mistake, or a device that never ends (/dev/zero), must not fill the memory.
 */
final class SmallFile {

    /** More than {@code max} bytes: {@code message} says which file it was meant to be, for the user. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message, null);
        }
    }

    /** All of the file's bytes; more than {@code max} of them is a {@link TooLarge} that says {@code tooLarge}. */
    static byte[] read(Path file, int max, String tooLarge) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(max + 1);
        }
        if (bytes.length > max) {
            throw new TooLarge(tooLarge);
        }
        return bytes;
    }

    private SmallFile() {}
}
