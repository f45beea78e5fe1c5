package dl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * -N: a file already in the output folder, and what the server is asked about it. Its validators live where the
 * file lives: the ETag as an extended attribute of the file itself ({@code user.download.etag}, written when it
 * was published), its time as the file's modification time (the server's Last-Modified, unless
 * --no-remote-time). No sidecar file in the folder, no database beside it: a mirror copied or moved elsewhere
 * keeps them. Where the file system has no extended attributes, or the file came from elsewhere, a manifest's
 * line for the file stands in, and else If-Modified-Since alone is asked.
 *
 * @param size       its size now
 * @param validators the ETag to send in If-None-Match (or null), the time to send in If-Modified-Since
 */
record LocalCopy(Path file, long size, Validators validators) {

    /** On a published file: the ETag the server gave it. Java's "download.etag" is Linux's "user.download.etag". */
    static final String ETAG = "download.etag";

    /**
     * What is known of {@code file}, a regular file: its saved ETag, else the one {@code earlier} (its manifest
     * line, or null) recorded for a file of that name and size; the manifest's Last-Modified when it stands in,
     * else the file's modification time.
     */
    static LocalCopy of(Path file, Earlier earlier) {
        BasicFileAttributes there = PartFile.attributesOrNull(file);
        long size = there == null ? 0 : there.size();
        Instant modified = there == null ? null : there.lastModifiedTime().toInstant();
        Validators.ETag etag = Validators.ETag.parse(PartFile.attribute(file, ETAG)); // read back strictly: it goes into a header
        boolean recorded = earlier != null && earlier.bytes() == size && file.getFileName().toString().equals(earlier.file());
        if (etag == null && recorded) {
            etag = earlier.etag();
            modified = earlier.lastModified() != null ? earlier.lastModified() : modified;
        }
        return new LocalCopy(file, size, new Validators(etag, modified));
    }

    /**
     * The request's conditions: If-None-Match with the ETag, If-Modified-Since with the time. With both, the
     * server decides on the ETag alone (RFC 9110 13.2.2); a server that ignores both answers 200, and the new
     * copy replaces this one as any changed file does.
     */
    Map<String, String> conditions() {
        Map<String, String> headers = new LinkedHashMap<>();
        if (validators.etag() != null) {
            headers.put("If-None-Match", validators.etag().value());
        }
        if (validators.lastModified() != null) {
            headers.put("If-Modified-Since", Validators.httpDate(validators.lastModified()));
        }
        return headers;
    }

    /**
     * Notes the server's validators on a file just published (a new inode, with no ETag of an older version): its
     * ETag as an attribute, and with {@code remoteTime} its Last-Modified as the file's time.
     * Best effort: without attributes, -N asks with the time alone; a time that cannot be set leaves the local one.
     */
    static void remember(Path published, Validators validators, boolean remoteTime) {
        try {
            if (validators.etag() != null) {
                PartFile.attributes(published).write(ETAG, StandardCharsets.UTF_8.encode(validators.etag().value()));
            }
        } catch (UnsupportedOperationException | IOException noAttributes) {
            // tmpfs without user xattrs, FAT, some network file systems: If-Modified-Since alone then.
        }
        if (remoteTime && validators.lastModified() != null) {
            try {
                Files.getFileAttributeView(published, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setTimes(FileTime.from(validators.lastModified()), null, null);
            } catch (IOException | UnsupportedOperationException cannot) {
                // The local time stays: If-Modified-Since then asks from when it was downloaded, which is later.
            }
        }
    }
}
