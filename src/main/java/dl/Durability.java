package dl;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Gets finished part files onto the disk before they are published, without one {@code fsync} per file.
 *
 * <p>Group commit: a download whose file is complete joins the next flush and waits; one platform thread runs
 * {@code syncfs(2)} on the output folder's file system for everyone who joined, then wakes them all. Files that
 * finish while a flush runs join the one after. 20,000 small files need a few dozen flushes instead of 20,000.
 * {@code syncfs} is reached through the FFM API; where it is missing (not Linux) or native access is not
 * enabled ({@code --enable-native-access=ALL-UNNAMED}), each file is forced on its own, as before.
 *
 * <p>Why platform threads do the flushing: {@code fsync} and {@code syncfs} pin a virtual thread to its carrier
 * for the whole call, and the scheduler does not add a carrier for it. A download thread hands the call over
 * and waits unmounted.
 */
final class Durability implements AutoCloseable {

    /** Forces single files where there is no syncfs, and starts writeback of large files while they arrive. */
    private final ExecutorService flushers = Executors.newFixedThreadPool(16, Thread.ofPlatform().daemon().name("flush-", 0).factory());
    private final SyncFs syncFs;
    private final Object lock = new Object();
    /** The flush that the next round of the syncing thread will complete. Guarded by lock. */
    private Round next = new Round();
    private boolean wanted;
    private boolean closed;
    private final Thread syncer;

    Durability(Path dir) {
        this.syncFs = SyncFs.open(dir);
        this.syncer = syncFs == null ? null : Thread.ofPlatform().daemon().name("syncfs").start(this::syncRounds);
    }

    /** Asks the kernel to start writing what the file has, without waiting: the disk works while more arrives. */
    Future<?> startWriteBack(FileChannel file) {
        return flushers.submit(() -> {
            file.force(false);
            return null;
        });
    }

    /**
     * One flush and the downloads waiting for it. A latch, not a CompletableFuture: its get() spins before it
     * parks, and thousands of waiting downloads spinning cost 12% of the CPU of a run of small files.
     */
    private static final class Round {
        final CountDownLatch done = new CountDownLatch(1);
        volatile IOException failure;
    }

    /**
     * Returns when everything written to {@code file} so far is on the disk. The file's own channel, not its name: a
     * descriptor opened and closed here would release the lock the download holds on it.
     */
    void await(FileChannel file) throws IOException, InterruptedException {
        if (syncFs == null) {
            try {
                flushers.submit(() -> {
                    file.force(true);
                    return null;
                }).get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
            return;
        }
        Round round;
        synchronized (lock) {
            round = next;
            wanted = true;
            lock.notifyAll();
        }
        round.done.await();
        if (round.failure != null) {
            throw round.failure;
        }
    }

    private void syncRounds() {
        while (true) {
            Round round;
            synchronized (lock) {
                while (!wanted && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (!wanted) {
                    return;
                }
                // Whoever joins from now on wrote after this flush began: they wait for the next one.
                round = next;
                next = new Round();
                wanted = false;
            }
            if (syncFs.sync() != 0) {
                round.failure = new IOException("the file system could not write its data to the disk (syncfs failed)");
            }
            round.done.countDown();
        }
    }

    /** Called after every download has ended. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        if (syncer != null) {
            try {
                syncer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            syncFs.close();
        }
        flushers.close();
    }

    /** {@code syncfs(2)} on the file system of one folder, through the FFM API. */
    private record SyncFs(int fd, MethodHandle syncfs, MethodHandle closeFd) {

        static SyncFs open(Path dir) {
            if (!Durability.class.getModule().isNativeAccessEnabled()) {
                return null;
            }
            try {
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                MethodHandle open = linker.downcallHandle(libc.find("open").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                        Linker.Option.firstVariadicArg(2));
                MethodHandle syncfs = linker.downcallHandle(libc.find("syncfs").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                MethodHandle close = linker.downcallHandle(libc.find("close").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                int fd;
                try (Arena arena = Arena.ofConfined()) {
                    fd = (int) open.invokeExact(arena.allocateFrom(dir.toString()), 0 /* O_RDONLY */);
                }
                return fd < 0 ? null : new SyncFs(fd, syncfs, close);
            } catch (Throwable unavailable) {
                // No such function here (not Linux), or no way to call it: files are forced one by one.
                return null;
            }
        }

        /** 0 when everything is on the disk, -1 when the call failed. */
        int sync() {
            try {
                return (int) syncfs.invokeExact(fd) == 0 ? 0 : -1;
            } catch (Throwable e) {
                return -1;
            }
        }

        void close() {
            try {
                int ignored = (int) closeFd.invokeExact(fd);
            } catch (Throwable e) {
                // The process ends soon; the descriptor goes with it.
            }
        }
    }
}
