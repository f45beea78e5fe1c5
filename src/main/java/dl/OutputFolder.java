package dl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The output folder, made before the first download: each way it cannot be is one line that says what to do. */
final class OutputFolder {

    /** {@code dir} made (with its parents), absolute and normalised; a usage error when it cannot be written into. */
    static Path make(Path dir) throws UsageError {
        Path absolute = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new UsageError("cannot create the output folder " + absolute + ": " + e.getFile() + " is a file, not a folder. Pick another with -o.");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new UsageError("cannot create the output folder " + absolute + ": permission denied for " + e.getFile() + ". Pick another with -o.");
        } catch (NoSuchFileException e) {
            throw new UsageError("cannot create the output folder " + absolute + ": " + e.getFile() + " cannot hold folders. Pick another with -o.");
        } catch (IOException e) {
            throw new UsageError("cannot create the output folder " + absolute + ": " + Format.message(e));
        }
        if (!Files.isWritable(absolute)) {
            throw new UsageError("cannot write into the output folder " + absolute + ": permission denied. Pick another with -o.");
        }
        return absolute;
    }

    private OutputFolder() {}
}
