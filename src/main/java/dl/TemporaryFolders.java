package dl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removes what the demo and --compare create for themselves: their temporary folders and files. */
final class TemporaryFolders {

    /** Deletes a folder with everything in it, or a file; says so on standard error if it cannot. */
    static void delete(Path path) {
        if (path == null || !Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("Download.java: could not remove the temporary " + path + ": " + e.getMessage());
        }
    }

    private TemporaryFolders() {}
}
