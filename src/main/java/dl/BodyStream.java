package dl;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body the download thread pulls from, one batch of buffers at a time, with a stall timeout.
 *
 * <p>Why not {@code BodyHandlers.ofInputStream()}: its {@code read()} blocks for ever on a silent server.
 * Here every wait is a {@code poll} with a timeout, so a stall becomes an {@link Stalled} the download can
 * retry, and an interrupt (Ctrl-C) wakes the thread at once. It asks for one batch at a time, so a slow
 * disk slows the socket instead of filling memory.
 */
final class BodyStream implements HttpResponse.BodySubscriber<BodyStream>, AutoCloseable {

    /** No byte arrived within the stall timeout. */
    static final class Stalled extends IOException {
        Stalled(Duration timeout) {
            super("stalled: no data for " + Format.seconds(timeout));
        }
    }

    private static final Object END = new Object();
    private final BlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();
    private final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
    private final Duration stallTimeout;

    BodyStream(Duration stallTimeout) {
        this.stallTimeout = stallTimeout;
    }

    /** The next buffers of the body, or null at its end. */
    @SuppressWarnings("unchecked")
    List<ByteBuffer> next() throws IOException, InterruptedException {
        Object item = arrivals.poll(stallTimeout.toNanos(), TimeUnit.NANOSECONDS);
        if (item == null) {
            throw new Stalled(stallTimeout);
        }
        if (item == END) {
            arrivals.add(END);
            return null;
        }
        if (item instanceof Throwable failure) {
            arrivals.add(failure);
            throw failure instanceof IOException io ? io : new IOException(failure.getMessage(), failure);
        }
        subscription.join().request(1);
        return (List<ByteBuffer>) item;
    }

    /** Gives the connection up if the body was not read to its end. */
    @Override
    public void close() {
        subscription.thenAccept(Flow.Subscription::cancel);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription.complete(s);
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        arrivals.add(buffers);
    }

    @Override
    public void onError(Throwable failure) {
        arrivals.add(failure);
    }

    @Override
    public void onComplete() {
        arrivals.add(END);
    }

    @Override
    public CompletionStage<BodyStream> getBody() {
        return CompletableFuture.completedStage(this);
    }
}
