package dl;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Run as its own process by a test: another downloader trying a part file's lock. For each path read from standard
 * input it prints "held" (another process has the lock) or "free" (it could take it; it lets it go at once).
 */
final class TryLock {
    public static void main(String[] args) throws Exception {
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            try (FileChannel channel = FileChannel.open(Path.of(line), StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                System.out.println(lock == null ? "held" : "free");
                if (lock != null) {
                    lock.release();
                }
            }
            System.out.flush();
        }
    }
}
