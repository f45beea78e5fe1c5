package dl;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What is already in the output folder under a job's name, and so whether the job runs: one rule for the run and
 * for {@code --dry-run}, which used to decide apart (a folder under the name was "would be skipped" in the plan
 * and a failure in the run).
 */
sealed interface Existing {

    /** A folder has the file's name: the download fails without a request. */
    record FolderInTheWay(Path folder) implements Existing {}

    /** An earlier run's manifest records this URL as done, and its file is still there (also with --overwrite). */
    record DoneEarlier(Path file) implements Existing {}

    /**
     * -N: a regular file has the name. The server is asked whether it has changed, and the download runs only if
     * it has (it then replaces the file); this comes before the manifest's word, which cannot know.
     */
    record IfChanged(Path file) implements Existing {}

    /** A file (or a link) has the name, and --overwrite is not given: skipped. */
    record AlreadyThere(Path file) implements Existing {}

    /** Nothing in the way: the download runs. */
    record Nothing() implements Existing {}

    static Existing of(Job job, Settings settings) {
        Path dir = settings.dir();
        Path target = dir.resolve(job.name());
        BasicFileAttributes there = PartFile.attributesOrNull(target);
        if (there != null && there.isDirectory()) {
            return new FolderInTheWay(target);
        }
        if (there != null && there.isRegularFile() && settings.timestamping()) {
            return new IfChanged(target);
        }
        Earlier earlier = job.earlier();
        if (earlier != null && earlier.stillThere(dir)) {
            return new DoneEarlier(dir.resolve(earlier.file()));
        }
        if (there != null && !settings.overwrite()) {
            return new AlreadyThere(target);
        }
        return new Nothing();
    }
}
