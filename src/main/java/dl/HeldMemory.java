package dl;

import dl.Download.Event;

import java.lang.management.ManagementFactory;

/**
 * For {@code --compare}'s children: right after the last fork, when the most download threads are alive and
 * blocked, a full GC and a reading of what stays resident. Peak RSS alone mostly shows how far the collector
 * let the heap grow under the run's garbage; this shows what the waiting downloads themselves hold.
 */
final class HeldMemory implements View {

    private final View inner;
    long rss = -1;
    long heap = -1;
    int live;

    HeldMemory(View inner) {
        this.inner = inner;
    }

    @Override
    public void show(Event event, Tally tally) {
        inner.show(event, tally);
    }

    @Override
    public void tick(Tally tally) {
        if (rss < 0 && tally.forked() == tally.total()) {
            System.gc();
            rss = ProcessUsage.rss();
            heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            live = tally.live();
        }
        inner.tick(tally);
    }

    @Override
    public void finish(Tally tally, Summary summary) {
        inner.finish(tally, summary);
    }
}
