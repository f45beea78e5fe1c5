package dl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * {@code --json}: every event as one JSON object a line (NDJSON), then a summary object. The field names are
 * the README's schema; a script can read the stream while the run goes on.
 */
final class JsonView implements View {

    private static final JsonFactory JSON = new JsonFactory();
    private final PrintStream out;

    JsonView(PrintStream out) {
        this.out = out;
    }

    @Override
    public void show(Event event, Tally tally) {
        out.println(object(g -> {
            g.writeStringField("type", type(event));
            g.writeStringField("time", Instant.now().toString());
            g.writeNumberField("id", event.job().id());
            g.writeStringField("url", event.job().url().toString());
            switch (event) {
                case Event.Started s -> {
                    g.writeStringField("file", s.file().toString());
                    g.writeNumberField("length", s.length());
                    g.writeNumberField("kept", s.kept());
                    g.writeBooleanField("restarted", s.restarted());
                }
                case Event.Progress p -> g.writeNumberField("bytes", p.bytes());
                case Event.Waiting w -> g.writeStringField("reason", w.why());
                case Event.Retrying r -> {
                    g.writeNumberField("attempt", r.attempt());
                    g.writeStringField("reason", r.reason());
                    g.writeNumberField("delay_ms", r.delay().toMillis());
                }
                case Event.Completed c -> {
                    g.writeStringField("file", c.file().toString());
                    g.writeNumberField("bytes", c.bytes());
                    g.writeNumberField("elapsed_ms", c.elapsed().toMillis());
                    if (c.sha256() != null) {
                        g.writeStringField("sha256", c.sha256());
                    }
                }
                case Event.Failed f -> {
                    g.writeStringField("failure", f.kind().name().toLowerCase(java.util.Locale.ROOT));
                    g.writeStringField("reason", f.reason());
                }
                case Event.Skipped s -> {
                    g.writeStringField("file", s.file().toString());
                    g.writeStringField("reason", s.why());
                }
            }
        }));
    }

    static String type(Event event) {
        return switch (event) {
            case Event.Started s -> "started";
            case Event.Progress p -> "progress";
            case Event.Waiting w -> "waiting";
            case Event.Retrying r -> "retrying";
            case Event.Completed c -> "completed";
            case Event.Failed f -> "failed";
            case Event.Skipped s -> "skipped";
        };
    }

    @Override
    public void finish(Tally tally, Summary s) {
        out.println(object(g -> {
            g.writeStringField("type", "summary");
            g.writeStringField("time", Instant.now().toString());
            g.writeNumberField("total", s.total());
            g.writeNumberField("completed", s.completed());
            g.writeNumberField("failed", s.failed());
            g.writeNumberField("stopped", s.stopped());
            g.writeNumberField("rejected_lines", s.rejectedLines());
            g.writeNumberField("skipped", s.skipped());
            g.writeNumberField("retries", s.retries());
            g.writeNumberField("bytes", s.bytes());
            g.writeNumberField("wall_ms", s.wall().toMillis());
            g.writeStringField("threads", s.threads());
            g.writeNumberField("forked", s.forked());
            g.writeNumberField("peak_live", s.peakLive());
            g.writeNumberField("peak_in_flight", s.peakInFlight());
            g.writeNumberField("peak_platform_threads", s.peakPlatformThreads());
            g.writeNumberField("baseline_rss_bytes", s.baselineRss());
            g.writeNumberField("peak_rss_bytes", s.peakRss());
            g.writeNumberField("cpu_ms", s.cpu().toMillis());
            g.writeBooleanField("interrupted", s.interrupted());
        }));
        out.flush();
    }

    interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /** One JSON object as a line's text, written by {@code fields}. */
    static String object(Fields fields) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string", e);
        }
        return text.toString();
    }
}
