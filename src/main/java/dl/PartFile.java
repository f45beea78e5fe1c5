package dl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;

/**
 * The {@code NAME.part} file a download writes into, and the one step that makes it {@code NAME}.
 *
 * <p>The server's validator (ETag or Last-Modified) rides along as an extended attribute of the part file, so
 * that a later run can resume with {@code If-Range} and never glue two versions of a file together. Where the
 * file system has no extended attributes, a leftover part file cannot be trusted and starts again from zero.
 */
final class PartFile {

    private static final String VALIDATOR = "download.validator";

    /** Below this size a download is cheaper to repeat than to resume, so no validator is saved with it. */
    static final long RESUMABLE = 1 << 20;

    /**
     * Opens the part file for writing at {@code from}: from 0 it starts empty and, for a large or unknown
     * length, records which version of the resource it holds. Returns whether a validator was saved.
     */
    static FileChannel open(Path part, long from, String validator, long length) throws IOException {
        if (from > 0) {
            FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE);
            channel.truncate(from);
            return channel.position(from);
        }
        FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        if (validator != null && (length < 0 || length > RESUMABLE)) {
            try {
                attributes(part).write(VALIDATOR, StandardCharsets.UTF_8.encode(validator));
            } catch (UnsupportedOperationException | FileSystemException noAttributes) {
                // The bytes are still good for this run, only not for resuming in the next one.
            }
        }
        return channel;
    }

    /** The validator saved with this part file, or null (no file, no attribute, or no support for them). */
    static String validator(Path part) {
        if (!Files.exists(part)) {
            return null;
        }
        try {
            UserDefinedFileAttributeView view = attributes(part);
            ByteBuffer value = ByteBuffer.allocate(view.size(VALIDATOR));
            view.read(VALIDATOR, value);
            return StandardCharsets.UTF_8.decode(value.flip()).toString();
        } catch (UnsupportedOperationException | IOException | NullPointerException e) {
            return null;
        }
    }

    static long size(Path part) {
        try {
            return Files.size(part);
        } catch (IOException e) {
            return 0;
        }
    }

    static void delete(Path part) {
        try {
            Files.deleteIfExists(part);
        } catch (IOException e) {
            // Left for the user to see; the summary names the failure anyway.
        }
    }

    /**
     * Moves the complete part file to its final name and returns that name. Without {@code overwrite} this never
     * replaces a file: a hard link fails if the name is taken (then {@code NAME.1.ext}, ...), and the part name
     * is removed only after. With {@code overwrite} it is an atomic rename over the old file.
     */
    static Path publish(Path part, Path target, boolean overwrite, long length) throws IOException {
        if (length < 0 || length > RESUMABLE) {
            try {
                attributes(part).delete(VALIDATOR);
            } catch (UnsupportedOperationException | IOException e) {
                // Nothing was saved, nothing to remove.
            }
        }
        if (overwrite) {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
        String name = target.getFileName().toString();
        for (int n = 1; ; n++) {
            try {
                Files.createLink(target, part);
                Files.delete(part);
                return target;
            } catch (FileAlreadyExistsException taken) {
                if (n > 1000) {
                    throw taken;
                }
                target = target.resolveSibling(FileNames.numbered(name, n));
            } catch (UnsupportedOperationException | FileSystemException noLinks) {
                // A file system without hard links: a plain rename that refuses an existing target.
                if (Files.exists(target)) {
                    target = target.resolveSibling(FileNames.numbered(name, n));
                    continue;
                }
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
                return target;
            }
        }
    }

    private static UserDefinedFileAttributeView attributes(Path part) {
        return Files.getFileAttributeView(part, UserDefinedFileAttributeView.class);
    }

    private PartFile() {}
}
