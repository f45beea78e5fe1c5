package dl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every JSON line Download.java writes, and the reading of them back: the schema the README documents, in one
 * place. {@code --json} writes an object a line per event and a summary; {@code --manifest} a line per URL as it
 * ends and a summary; {@code --compare}'s children a {@code held} line before their summary; {@code --sweep} its
 * {@code sweep.json}. The manifest's next run and {@code --compare} read lines back by the names below.
 */
final class Json {

    static final String TYPE = "type", URL = "url", FILE = "file", OUTCOME = "outcome", BYTES = "bytes", SHA256 = "sha256",
            ETAG = "etag", LAST_MODIFIED = "last_modified", UP_TO_DATE = "up_to_date";
    static final String COMPLETED = "completed", FAILED = "failed", WALL_MS = "wall_ms", CPU_MS = "cpu_ms",
            PEAK_RSS = "peak_rss_bytes", BASELINE_RSS = "baseline_rss_bytes", PEAK_PLATFORM = "peak_platform_threads",
            PEAK_LIVE = "peak_live", PEAK_IN_FLIGHT = "peak_in_flight";
    static final String HELD_RSS = "held_rss_bytes", HELD_HEAP = "held_heap_bytes", HELD_LIVE = "held_live";
    /** The summary's figures that --sweep keeps for every run, as --compare's children reported them. */
    static final List<String> SWEPT = List.of(WALL_MS, CPU_MS, PEAK_RSS, BASELINE_RSS, HELD_RSS, HELD_HEAP, HELD_LIVE,
            PEAK_PLATFORM, PEAK_LIVE, PEAK_IN_FLIGHT, COMPLETED, FAILED);
    /** The {@code type} of each kind of line. */
    static final String SUMMARY = "summary", HELD = "held", URL_LINE = "url";

    private static final JsonFactory FACTORY = new JsonFactory();

    /** --json: one event. */
    static String event(Event event) {
        return object(g -> {
            g.writeStringField(TYPE, type(event));
            g.writeStringField("time", Instant.now().toString());
            g.writeNumberField("id", event.job().id());
            g.writeStringField(URL, event.job().url().toString());
            switch (event) {
                case Event.Started s -> {
                    g.writeStringField(FILE, s.file().toString());
                    g.writeNumberField("length", s.length());
                    g.writeNumberField("kept", s.kept());
                    g.writeBooleanField("restarted", s.restarted());
                }
                case Event.Segmented s -> {
                    g.writeNumberField("connections", s.connections());
                    g.writeArrayFieldStart("segments");
                    for (Segments.Range range : s.segments()) {
                        g.writeStartObject();
                        g.writeNumberField("from", range.from());
                        g.writeNumberField("to", range.to());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                case Event.Progress p -> g.writeNumberField(BYTES, p.bytes());
                case Event.Waiting w -> g.writeStringField("reason", w.why());
                case Event.Retrying r -> {
                    g.writeNumberField("attempt", r.attempt());
                    g.writeStringField("reason", r.reason());
                    g.writeNumberField("delay_ms", r.delay().toMillis());
                }
                case Event.Completed c -> {
                    g.writeStringField(FILE, c.file().toString());
                    g.writeNumberField(BYTES, c.bytes());
                    g.writeNumberField("elapsed_ms", c.elapsed().toMillis());
                    if (c.sha256() != null) {
                        g.writeStringField(SHA256, c.sha256());
                    }
                    g.writeBooleanField("updated", c.updated());
                    validators(g, c.validators(), false);
                }
                case Event.UpToDate u -> {
                    g.writeStringField(FILE, u.file().toString());
                    g.writeNumberField(BYTES, u.bytes());
                    validators(g, u.validators(), false);
                }
                case Event.Failed f -> {
                    g.writeStringField("failure", f.kind().name().toLowerCase(Locale.ROOT));
                    g.writeStringField("reason", f.reason());
                }
                case Event.Skipped s -> {
                    g.writeStringField(FILE, s.file().toString());
                    g.writeStringField("reason", s.why());
                }
            }
        });
    }

    static String type(Event event) {
        return switch (event) {
            case Event.Started s -> "started";
            case Event.Segmented s -> "segmented";
            case Event.Progress p -> "progress";
            case Event.Waiting w -> "waiting";
            case Event.Retrying r -> "retrying";
            case Event.Completed c -> COMPLETED;
            case Event.Failed f -> FAILED;
            case Event.Skipped s -> "skipped";
            case Event.UpToDate u -> UP_TO_DATE;
        };
    }

    /** {@code etag} and {@code last_modified} (an IMF-fixdate, as HTTP sends it); absent when unknown, or null when {@code nulls}. */
    private static void validators(JsonGenerator g, Validators v, boolean nulls) throws IOException {
        if (v.etag() != null || nulls) {
            g.writeStringField(ETAG, v.etag() == null ? null : v.etag().value());
        }
        if (v.lastModified() != null || nulls) {
            g.writeStringField(LAST_MODIFIED, v.lastModified() == null ? null : Validators.httpDate(v.lastModified()));
        }
    }

    /** --json: the run's summary, with the figures of the process. */
    static String summary(Summary s) {
        return object(g -> {
            counts(g, s);
            g.writeNumberField("rejected_lines", s.rejectedLines());
            g.writeNumberField("retries", s.retries());
            g.writeNumberField(WALL_MS, s.wall().toMillis());
            g.writeStringField("threads", s.threads());
            g.writeNumberField("forked", s.forked());
            g.writeNumberField(PEAK_LIVE, s.peakLive());
            g.writeNumberField(PEAK_IN_FLIGHT, s.peakInFlight());
            g.writeNumberField(PEAK_PLATFORM, s.peakPlatformThreads());
            g.writeNumberField(BASELINE_RSS, s.baselineRss());
            g.writeNumberField(PEAK_RSS, s.peakRss());
            g.writeNumberField(CPU_MS, s.cpu().toMillis());
            g.writeBooleanField("interrupted", s.interrupted());
        });
    }

    /** --manifest: the run's summary line, with the shard that wrote it ({@code I/N}; null for a whole run). */
    static String manifestSummary(Summary s, String shard) {
        return object(g -> {
            counts(g, s);
            g.writeStringField("shard", shard);
            g.writeBooleanField("interrupted", s.interrupted());
        });
    }

    private static void counts(JsonGenerator g, Summary s) throws IOException {
        g.writeStringField(TYPE, SUMMARY);
        g.writeStringField("time", Instant.now().toString());
        g.writeNumberField("total", s.total());
        g.writeNumberField(COMPLETED, s.completed());
        g.writeNumberField(FAILED, s.failed());
        g.writeNumberField("stopped", s.stopped());
        g.writeNumberField("skipped", s.skipped());
        g.writeNumberField(UP_TO_DATE, s.upToDate());
        g.writeNumberField("updated", s.updated());
        g.writeNumberField(BYTES, s.bytes());
    }

    /** --manifest: what became of one URL; {@code bytes} -1 and {@code sha256} null where unknown. */
    static String urlLine(Job job, String file, Outcome outcome, long bytes, String sha256, int attempts, String reason) {
        return urlLine(job, file, outcome, bytes, sha256, attempts, reason, Validators.NONE);
    }

    /** The same with the server's validators for the file ({@code etag}, {@code last_modified}), for a later -N run. */
    static String urlLine(Job job, String file, Outcome outcome, long bytes, String sha256, int attempts, String reason, Validators v) {
        return object(g -> {
            g.writeStringField(TYPE, URL_LINE);
            g.writeStringField("time", Instant.now().toString());
            g.writeStringField(URL, job.url().toString());
            g.writeStringField(FILE, file);
            g.writeStringField(OUTCOME, outcome.text());
            if (bytes >= 0) {
                g.writeNumberField(BYTES, bytes);
            } else {
                g.writeNullField(BYTES);
            }
            g.writeStringField(SHA256, sha256);
            g.writeNumberField("attempts", attempts);
            g.writeStringField("reason", reason);
            validators(g, v, true);
        });
    }

    /** --compare's children: what stayed resident with every download forked (see HeldMemory). */
    static String held(long rss, long heap, int live) {
        return object(g -> {
            g.writeStringField(TYPE, HELD);
            g.writeNumberField(HELD_RSS, rss);
            g.writeNumberField(HELD_HEAP, heap);
            g.writeNumberField(HELD_LIVE, live);
        });
    }

    /** A manifest's URL line, read back; null for a summary line, a torn line or one that is not ours. */
    static Earlier earlier(String line) {
        Map<String, Object> fields = fields(line);
        if (fields == null || !URL_LINE.equals(fields.get(TYPE)) || !(fields.get(URL) instanceof String url)
                || !(fields.get(OUTCOME) instanceof String outcome)) {
            return null;
        }
        try {
            URI.create(url);
        } catch (IllegalArgumentException notAUrl) {
            return null;
        }
        // Read back as strictly as from a server: a manifest is a file anyone may have edited, and these go into headers.
        Instant now = Instant.now();
        return new Earlier(url, fields.get(FILE) instanceof String f ? f : null, Outcome.of(outcome),
                fields.get(BYTES) instanceof Long n ? n : -1, fields.get(SHA256) instanceof String s ? s : null,
                Validators.ETag.parse(fields.get(ETAG) instanceof String e ? e : null),
                Validators.lastModified(fields.get(LAST_MODIFIED) instanceof String m ? m : null, now));
    }

    /**
     * A line's scalar fields: whole numbers as Long, null as null, anything else as its text; nested values are
     * passed over. Null when the line is not a JSON object (a torn last line, or not ours).
     */
    static Map<String, Object> fields(String line) {
        Map<String, Object> fields = new HashMap<>();
        try (JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value.isScalarValue()) {
                    fields.put(name, value == JsonToken.VALUE_NUMBER_INT ? (Object) p.getLongValue()
                            : value == JsonToken.VALUE_NULL ? null : p.getText());
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
        return fields;
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /** One JSON object as a line's text, written by {@code fields}. */
    private static String object(Fields fields) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(text)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string", e);
        }
        return text.toString();
    }

    private Json() {}
}
