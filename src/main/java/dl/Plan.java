package dl;

import java.util.ArrayList;
import java.util.List;

/** From the list's entries to the run's jobs. */
final class Plan {

    static final String PLANNING = "while planning";

    /** Every entry becomes a job with a name of its own in the batch (see {@link FileNames.Unique}). */
    static List<Job> names(List<UrlList.Entry> entries) throws InterruptedException {
        var names = new FileNames.Unique();
        List<Job> jobs = new ArrayList<>(entries.size());
        for (UrlList.Entry entry : entries) {
            if (Thread.interrupted()) {
                throw new InterruptedException(PLANNING); // a million names take seconds: Ctrl-C stops them
            }
            String name = names.take(FileNames.wanted(entry.url(), entry.out()));
            jobs.add(new Job(jobs.size() + 1, entry.url(), name, entry.checksum(), entry.headers(), null, names.taken()));
        }
        return jobs;
    }

    private Plan() {}
}
