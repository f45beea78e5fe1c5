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

    /** A file (or a link) has the name, and --overwrite is not given: skipped. */
    record AlreadyThere(Path file) implements Existing {}

    /** Nothing in the way: the download runs. */
    record Nothing() implements Existing {}

    static Existing of(Job job, Path dir, boolean overwrite) {
        Path target = dir.resolve(job.name());
        BasicFileAttributes there = PartFile.attributesOrNull(target);
        if (there != null && there.isDirectory()) {
            return new FolderInTheWay(target);
        }
        Earlier earlier = job.earlier();
        if (earlier != null && earlier.stillThere(dir)) {
            return new DoneEarlier(dir.resolve(earlier.file()));
        }
        if (there != null && !overwrite) {
            return new AlreadyThere(target);
        }
        return new Nothing();
    }
}
