package dl;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Run as its own process by a test: another downloader holding a part file's lock. */
final class HoldLock {
    public static void main(String[] args) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             var _ = channel.lock()) {
            System.out.println("locked");
            Thread.sleep(30_000);
        }
    }
}
