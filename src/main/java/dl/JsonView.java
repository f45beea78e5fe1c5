package dl;

import java.io.PrintStream;

/**
 * {@code --json}: every event as one JSON object a line (NDJSON), then a summary object, as {@link Json} writes
 * them; a script can read the stream while the run goes on.
 */
final class JsonView implements View {

    private final PrintStream out;

    JsonView(PrintStream out) {
        this.out = out;
    }

    @Override
    public void show(Event event, Tally tally) {
        out.println(Json.event(event));
    }

    @Override
    public void finish(Tally tally, Summary summary) {
        out.println(Json.summary(summary));
        out.flush();
    }
}
