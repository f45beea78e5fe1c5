package dl;

import java.util.concurrent.ThreadFactory;

/** The one switch between the two thread models: which threads the scope and the HTTP client start. */
public enum Threads {
    VIRTUAL, PLATFORM;

    ThreadFactory factory() {
        return switch (this) {
            case VIRTUAL -> Thread.ofVirtual().name("download-", 0).factory();
            case PLATFORM -> Thread.ofPlatform().name("download-", 0).factory();
        };
    }

    /** The threads of one download's segments ({@link Segments}): the same kind as the downloads'. */
    ThreadFactory segmentFactory() {
        return switch (this) {
            case VIRTUAL -> Thread.ofVirtual().name("segment-", 0).factory();
            case PLATFORM -> Thread.ofPlatform().name("segment-", 0).factory();
        };
    }
}
