package dl;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * The {@code NAME.part} file a download writes into, and the one step that makes it {@code NAME}.
 *
 * <p>The URL and the server's validator (ETag or Last-Modified) ride along as an extended attribute of the part
 * file, so that a later run resumes with {@code If-Range} only for the same URL, and never glues two resources
 * or two versions of one together. Where the file system has no extended attributes, a leftover part file
 * cannot be trusted and starts again from zero.
 *
 * <p>A part file is never reached through a link: one planted under its name ({@code NAME.part -> ../x}) would
 * make the download write outside the output folder. Such a name is refused with a reason, and a fresh part
 * file is created with {@code O_EXCL}, which fails rather than follow a link that appears meanwhile.
 */
final class PartFile implements AutoCloseable {

    private static final String RESUME = "download.resume";
    /** On a published file whose name the server chose: the URL it came from, so a rerun knows it is done. */
    private static final String SOURCE = "download.url";

    /** Why a part file cannot be had: another process holds its lock (a second run into this folder). */
    static final String HELD = "another process is downloading into it right now; run again when it has finished";

    /** Below this size a download is cheaper to repeat than to resume, so nothing is saved for resuming. */
    static final long RESUMABLE = 1 << 20;

    /**
     * Bytes written between two writebacks started in the background. Without them the kernel holds a large
     * file in memory until the final flush, and the disk starts only when the network has finished.
     */
    private static final long WRITEBACK_EVERY = 8 << 20;

    private final Path path;
    private final FileChannel channel;
    private final Durability durability;
    private long size;
    private long writtenBackAt;
    /** Bytes written by {@link #writeAt}, for the writebacks: positions say nothing about how much was written. */
    private long segmentBytes;
    private Future<?> writeback;

    private PartFile(Path path, FileChannel channel, Durability durability, long size) {
        this.path = path;
        this.channel = channel;
        this.durability = durability;
        this.size = size;
        this.writtenBackAt = size;
    }

    /**
     * Opens the part file for writing at {@code from}: from 0 it starts empty and, for a large or unknown
     * length, records which URL and which version of the resource it holds.
     */
    static PartFile open(Path part, long from, URI url, String validator, long length, Durability durability) throws IOException {
        return new PartFile(part, channel(part, from, true, url, validator, length), durability, from);
    }

    /**
     * Opens the part file of a download fetched in segments ({@link Segments}): fresh, as {@link #open} from 0, or
     * the one there as it is, {@code keep}: its bytes past {@code from} are the ranges an earlier attempt fetched.
     */
    static PartFile openSegmented(Path part, boolean keep, long from, URI url, String validator, long length, Durability durability)
            throws IOException {
        return new PartFile(part, channel(part, keep ? from : 0, !keep, url, validator, length), durability, from);
    }

    /**
     * Writes {@code n} bytes of {@code bytes} at {@code position}: the segments of one download call this at once,
     * each at its own offset (positional writes on one channel do not disturb each other).
     */
    void writeAt(long position, byte[] bytes, int n) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, n);
        while (buffer.hasRemaining()) {
            channel.write(buffer, position + buffer.position());
        }
        synchronized (this) {
            size = Math.max(size, position + n);
            segmentBytes += n;
            if (segmentBytes - writtenBackAt >= WRITEBACK_EVERY && (writeback == null || writeback.isDone())) {
                writeback = durability.startWriteBack(channel);
                writtenBackAt = segmentBytes;
            }
        }
    }

    /**
     * Saves which ranges of the file are still {@code missing} ({@link SavedRanges}), after its {@code total} bytes,
     * once what was written so far is on the disk: a record never vouches for bytes that a power cut could lose.
     * The flush runs on a platform thread ({@link Durability}), as every flush does, while this thread waits.
     */
    void saveMissing(long total, List<Segments.Range> missing) throws IOException, InterruptedException {
        try {
            durability.startWriteBack(channel).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
        writeRecord(channel, total, missing);
    }

    /**
     * The same without waiting for the disk, before any segment writes: from now on the file is longer than the
     * resource, so that even a file whose record is lost or torn can never pass for one written from its start (a
     * resume from its length asks past the end, and starts again).
     */
    void startSegments(long total, List<Segments.Range> missing) throws IOException {
        writeRecord(channel, total, missing);
    }

    /**
     * The same at the end of an attempt that did not complete, on the thread that ends it, even when that thread is
     * interrupted (Ctrl-C) and an interrupted segment closed the channel: then through a new descriptor, which
     * releases the lock, as closing the channel does next anyway.
     */
    void saveMissingAtTheEnd(long total, List<Segments.Range> missing) {
        boolean interrupted = false;
        // An interrupt closes a channel in the middle of a call, and Ctrl-C may interrupt this thread twice (the
        // run's scope, then its closing): so a few tries, each with the interrupt cleared, else every call fails.
        for (int tries = 0; tries < 3; tries++) {
            interrupted |= Thread.interrupted();
            try {
                if (channel.isOpen()) {
                    channel.force(false);
                    writeRecord(channel, total, missing);
                } else {
                    try (FileChannel again = FileChannel.open(path, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                        again.force(false);
                        writeRecord(again, total, missing);
                    }
                }
                break;
            } catch (java.nio.channels.ClosedByInterruptException again) {
                // interrupted meanwhile: once more, through a new channel
            } catch (IOException e) {
                break; // the ranges of the last checkpoint stay: the next run fetches more again, never less
            }
        }
        if (interrupted || Thread.interrupted()) {
            Thread.currentThread().interrupt();
        }
    }

    private static void writeRecord(FileChannel channel, long total, List<Segments.Range> missing) throws IOException {
        ByteBuffer record = ByteBuffer.wrap(SavedRanges.encode(total, missing));
        while (record.hasRemaining()) {
            channel.write(record, total + record.position());
        }
        channel.truncate(total + record.capacity());
    }

    /**
     * The missing ranges a part file fetched in segments saved, or null: none, or torn. Read through a descriptor of
     * its own, so before the part file is locked.
     */
    static SavedRanges.Saved savedRanges(Path part) {
        BasicFileAttributes existing = attributesOrNull(part);
        if (existing == null || !existing.isRegularFile() || existing.size() <= SavedRanges.FOOTER) {
            return null;
        }
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = channel.size();
            ByteBuffer footer = ByteBuffer.allocate(SavedRanges.FOOTER);
            read(channel, footer, size - SavedRanges.FOOTER);
            int length = SavedRanges.linesLength(footer.array());
            long at = size - SavedRanges.FOOTER - length;
            if (length < 0 || at < 0) {
                return null;
            }
            ByteBuffer lines = ByteBuffer.allocate(length);
            read(channel, lines, at);
            return SavedRanges.decode(lines.array(), footer.array(), at);
        } catch (IOException e) {
            return null;
        }
    }

    private static void read(FileChannel channel, ByteBuffer into, long at) throws IOException {
        while (into.hasRemaining()) {
            if (channel.read(into, at + into.position()) < 0) {
                throw new java.io.EOFException();
            }
        }
    }

    /** Every segment is in: the file is cut to exactly {@code total} bytes (anything after them is not data). */
    synchronized void segmentsDone(long total) throws IOException {
        channel.truncate(total);
        size = total;
    }

    /** Appends {@code n} bytes of {@code bytes}; every few MiB, the disk is asked to start writing them. */
    void write(byte[] bytes, int n) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, n);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        size += n;
        if (size - writtenBackAt >= WRITEBACK_EVERY && (writeback == null || writeback.isDone())) {
            writeback = durability.startWriteBack(channel);
            writtenBackAt = size;
        }
    }

    long size() {
        return size;
    }

    Path path() {
        return path;
    }

    /** The hex digest of what the file holds, read through its own channel (another descriptor would drop the lock). */
    String digest(String algorithm) throws IOException {
        return Job.Checksum.hexDigest(algorithm, channel);
    }

    /** Returns when everything written so far is on the disk. */
    void makeDurable() throws IOException, InterruptedException {
        durability.await(channel);
    }

    /** Removes the part file, still under its lock, and closes it: its download is not wanted after all. */
    void discard() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // Left behind: the next run finds it and starts it again, or resumes it.
        }
        close();
    }

    /** Closes the file and so releases its lock; by then its data is on the disk or no longer wanted. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing is lost: a complete file was made durable before, an incomplete one is resumed or dropped.
        }
    }

    /*
     * The lock is POSIX fcntl's (FileChannel.tryLock): it belongs to the process and the file, and closing ANY
     * descriptor of that file in this process releases it, whichever channel took it. Writing or reading an
     * extended attribute through UserDefinedFileAttributeView, or opening the file as a stream, opens and closes
     * a descriptor. So while a part file is locked it is touched only through its own channel: the checksum and
     * the flush go through it, the saved URL and validator are written before the lock is taken and removed only
     * after publishing. (Once they released it, and another run took over a part file being written.)
     */
    private static FileChannel channel(Path part, long from, boolean truncate, URI url, String validator, long length) throws IOException {
        BasicFileAttributes existing = attributesOrNull(part);
        if (existing != null && !existing.isRegularFile()) {
            throw new IOException(existing.isSymbolicLink() ? "it is a symbolic link; remove it, nothing is written through a link"
                    : existing.isDirectory() ? "it is a folder in the way; remove it" : "it is not a regular file; remove it");
        }
        if (from > 0 || !truncate) { // !truncate: a part file of segments, whose first missing byte may be byte 0
            FileChannel channel = lockExisting(part, existing);
            if (links(part) > 1) {
                channel.close();
                throw new IOException("it has other hard links; remove it, so that no other file is changed");
            }
            if (truncate) {
                channel.truncate(from);
            }
            return channel.position(from);
        }
        // A new inode, never the old one: the old name may be a hard link to a file that must not be truncated.
        if (existing != null) {
            try (FileChannel _ = lockExisting(part, existing)) {
                Files.deleteIfExists(part);
            }
        }
        FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        Object created = fileKey(part);
        if (validator != null && (length < 0 || length > RESUMABLE)) {
            try {
                attributes(part).write(RESUME, StandardCharsets.UTF_8.encode(url + "\n" + validator));
            } catch (UnsupportedOperationException | FileSystemException noAttributes) {
                // The bytes are still good for this run, only not for resuming in the next one.
            }
        }
        return stillNamed(part, created, locked(channel));
    }

    /**
     * Opens the part file that is there (its attributes read before, {@code existing}) and takes its lock. Fails when
     * another process holds it, or when the name no longer leads to the file that was locked: another process
     * published it or put its own in its place meanwhile.
     */
    private static FileChannel lockExisting(Path part, BasicFileAttributes existing) throws IOException {
        FileChannel channel = locked(FileChannel.open(part, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
        return stillNamed(part, existing == null ? null : existing.fileKey(), channel);
    }

    /** The locked channel, if {@code part} still names the file whose key was {@code key}; else it is closed and refused. */
    private static FileChannel stillNamed(Path part, Object key, FileChannel channel) throws IOException {
        BasicFileAttributes now = attributesOrNull(part);
        if (now == null || !Objects.equals(key, now.fileKey())) {
            channel.close();
            throw new IOException(HELD);
        }
        return channel;
    }

    private static Object fileKey(Path part) {
        BasicFileAttributes attributes = attributesOrNull(part);
        return attributes == null ? null : attributes.fileKey();
    }

    /**
     * Takes the part file's lock, held until the channel is closed: two runs into one folder at once must not
     * write one file, nor publish two copies of it. The lock is the kernel's, so it goes when a process dies.
     */
    private static FileChannel locked(FileChannel channel) throws IOException {
        try {
            if (channel.tryLock() != null) {
                return channel;
            }
        } catch (java.nio.channels.OverlappingFileLockException | IOException e) {
            channel.close();
            throw e instanceof IOException io ? io : new IOException("it is being written by another download of this run");
        }
        channel.close();
        throw new IOException(HELD);
    }

    /**
     * The validator saved with this part file for this URL, or null: no file, not a regular file, no attribute
     * (or no support for them), or one saved for another URL that maps to the same name.
     */
    static String validator(Path part, URI url) {
        String saved = attribute(part, RESUME);
        int newline = saved == null ? -1 : saved.indexOf('\n');
        return newline > 0 && saved.substring(0, newline).equals(url.toString()) ? saved.substring(newline + 1) : null;
    }

    /** An extended attribute of a regular file (never of a link), or null: none, or no support for them. */
    static String attribute(Path file, String name) {
        BasicFileAttributes existing = attributesOrNull(file);
        if (existing == null || !existing.isRegularFile()) {
            return null;
        }
        try {
            UserDefinedFileAttributeView view = attributes(file);
            ByteBuffer value = ByteBuffer.allocate(view.size(name));
            view.read(name, value);
            return StandardCharsets.UTF_8.decode(value.flip()).toString();
        } catch (UnsupportedOperationException | IOException e) {
            return null;
        }
    }

    /** The file's own attributes (never a link's target), or null when there is none: without an exception per file. */
    /**
     * Removes a part file that is the published file itself under its old name: publishing links the final name,
     * then unlinks the part name, and a run killed between the two leaves both. Same inode, so nothing is lost.
     */
    static void dropLeftoverLink(Path part, Path published) {
        BasicFileAttributes a = attributesOrNull(part);
        BasicFileAttributes b = attributesOrNull(published);
        if (a != null && b != null && a.isRegularFile() && a.fileKey() != null && a.fileKey().equals(b.fileKey())) {
            try {
                Files.delete(part);
            } catch (IOException stays) {
                // It is still only a second name of a complete file.
            }
        }
    }

    static BasicFileAttributes attributesOrNull(Path part) {
        try {
            return part.getFileSystem().provider().readAttributesIfExists(part, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException unreadable) {
            return null;
        }
    }

    private static int links(Path part) {
        try {
            return (Integer) Files.getAttribute(part, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException notUnix) {
            return 1;
        }
    }

    static long size(Path part) {
        BasicFileAttributes existing = attributesOrNull(part);
        return existing == null || !existing.isRegularFile() ? 0 : existing.size();
    }

    /**
     * Removes the part file; anything else under its name (a link, a folder) is the user's and stays, and so does
     * a part file that another process holds locked.
     */
    static void delete(Path part) {
        BasicFileAttributes existing = attributesOrNull(part);
        if (existing == null || !existing.isRegularFile()) {
            return;
        }
        // Under its lock: a part file another process is writing (a second run into this folder) stays.
        try (FileChannel _ = lockExisting(part, existing)) {
            Files.deleteIfExists(part);
        } catch (IOException | RuntimeException heldOrGone) {
            // Held by another process, or already gone: either way not ours to remove.
        }
    }

    /**
     * Moves the complete part file to the first of {@code names} that is free and returns that name. Without
     * {@code overwrite} this never replaces a file: a hard link fails if the name is taken (then the next of
     * {@code names}; when there is none, {@link FileAlreadyExistsException}), and the part name is removed only
     * after. With {@code overwrite} it is an atomic rename over the file under the first name.
     */
    Path publish(Iterator<Path> names, boolean overwrite, long length) throws IOException {
        Path published = moveTo(names, overwrite);
        // Only now, with the part name gone: touching the attributes closes a descriptor, and so drops the lock.
        if (length < 0 || length > RESUMABLE) {
            try {
                attributes(published).delete(RESUME);
            } catch (UnsupportedOperationException | IOException e) {
                // Nothing was saved, nothing to remove.
            }
        }
        return published;
    }

    private Path moveTo(Iterator<Path> names, boolean overwrite) throws IOException {
        Path part = path;
        if (!names.hasNext()) {
            throw new FileAlreadyExistsException(part.toString(), null, "no free name left");
        }
        Path target = names.next();
        if (overwrite) {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
        while (true) {
            try {
                Files.createLink(target, part);
                Files.delete(part);
                return target;
            } catch (FileAlreadyExistsException taken) {
                if (!names.hasNext()) {
                    throw taken;
                }
                target = names.next();
            } catch (UnsupportedOperationException | FileSystemException noLinks) {
                // A file system without hard links: a move without REPLACE_EXISTING refuses a name that is taken.
                try {
                    Files.move(part, target);
                    return target;
                } catch (FileAlreadyExistsException takenMeanwhile) {
                    if (!names.hasNext()) {
                        throw takenMeanwhile;
                    }
                    target = names.next();
                }
            }
        }
    }

    /** Notes on a published file the URL it came from; where there are no extended attributes, nothing is noted. */
    static void recordSource(Path published, URI url) {
        try {
            attributes(published).write(SOURCE, StandardCharsets.UTF_8.encode(url.toString()));
        } catch (UnsupportedOperationException | IOException noAttributes) {
            // A rerun then downloads it again, under the next free number: nothing is lost.
        }
    }

    /**
     * The file published before from this URL under {@code target}'s name or one of its numbered forms
     * ({@code NAME.1.ext}, ...: where it landed when the name was taken), or null. The search ends at the first
     * form that is missing, unless {@code planned} says another download of the list has that name (it may simply
     * not have been fetched yet).
     */
    static Path publishedFrom(Path target, URI url, Predicate<String> planned) {
        String name = target.getFileName().toString();
        for (int n = 0; n <= 1000; n++) {
            String numbered = n == 0 ? name : FileNames.numbered(name, n);
            Path candidate = target.resolveSibling(numbered);
            if (attributesOrNull(candidate) == null) {
                if (planned.test(numbered)) {
                    continue;
                }
                return null;
            }
            if (url.toString().equals(attribute(candidate, SOURCE))) {
                return candidate;
            }
        }
        return null;
    }

    static UserDefinedFileAttributeView attributes(Path part) {
        return Files.getFileAttributeView(part, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    }
}
