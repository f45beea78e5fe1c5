package dl;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;

/**
 * For {@code --compare}'s children (the hidden --measure-held): when every download is forked, so the most
 * download threads are alive and blocked, a full GC and a reading of what stays resident. Peak RSS alone mostly
 * shows how far the collector let the heap grow; this shows what the waiting downloads themselves hold. It wraps
 * the run's view and adds one JSON line, {@code {"type":"held",...}}, just before the summary line.
 */
final class HeldMemory implements View {

    private final View inner;
    private final PrintStream out;
    private long rss = -1;
    private long heap = -1;
    private int live;

    HeldMemory(View inner, PrintStream out) {
        this.inner = inner;
        this.out = out;
    }

    @Override
    public void allForked(Tally tally) {
        System.gc();
        rss = ProcessUsage.rss();
        heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        live = tally.live();
        inner.allForked(tally);
    }

    @Override
    public void show(Event event, Tally tally) {
        inner.show(event, tally);
    }

    @Override
    public void tick(Tally tally) {
        inner.tick(tally);
    }

    @Override
    public void finish(Tally tally, Summary summary) {
        out.println(Json.held(rss, heap, live));
        inner.finish(tally, summary);
    }
}
