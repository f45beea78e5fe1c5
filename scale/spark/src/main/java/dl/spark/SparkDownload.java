package dl.spark;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Download.java on Spark: Spark schedules, Download.java downloads. The list is split into N partitions by the
 * same hash as {@code --shard} (so a rerun sends every URL to the same partition), each partition is piped into
 * one Download.java process ({@code - --json}) that downloads it into its own folder, and the NDJSON events that
 * come back become the run's manifest, a DataFrame written as Parquet.
 *
 * <p>Each partition plans its own names, so each gets a folder of its own: {@code OUT/files/00003-of-00008/}.
 * It also keeps a Download.java manifest ({@code OUT/manifests/}), so that a rerun of the job skips, without a
 * request, what a partition had already finished. The list is one URL a line (per-URL option lines are not
 * carried across partitions).
 *
 * <pre>spark-submit --class dl.spark.SparkDownload download-spark.jar LIST OUT PARTITIONS</pre>
 * The command that runs Download.java on the executors is {@code jbang Download.java} unless the system property
 * {@code download.command} says otherwise (words separated by spaces).
 */
public final class SparkDownload {

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: SparkDownload LIST OUT PARTITIONS   (LIST: any path Spark can read; OUT: a folder every executor can write)");
            System.exit(2);
        }
        List<String> command = List.of(System.getProperty("download.command", "jbang Download.java").split(" "));
        try (SparkSession spark = SparkSession.builder().appName("Download.java").getOrCreate()) {
            Dataset<Row> manifest = run(spark, args[0], Path.of(args[1]).toAbsolutePath(), Integer.parseInt(args[2]), command);
            manifest.groupBy("outcome").count().show();
        }
    }

    /** Runs the list and returns its manifest, also written to {@code OUT/manifest} as Parquet. */
    public static Dataset<Row> run(SparkSession spark, String list, Path out, int partitions, List<String> command) {
        JavaRDD<String> urls = spark.read().textFile(list).javaRDD()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"));
        String folder = out.toString(); // a Path is not serializable: tasks get the text
        JavaRDD<String> events = urls
                .mapToPair(url -> new Tuple2<>(shard(url, partitions), url))
                .partitionBy(new HashPartitioner(partitions)) // key k in 0..N-1 lands in partition k
                .values()
                .mapPartitionsWithIndex((index, part) -> pipe(command, part, Path.of(folder), index, partitions), true);
        // A schema given, not inferred: inferring would read the events once more, and so run every download twice.
        StructType schema = new StructType().add("type", "string").add("url", "string").add("file", "string")
                .add("bytes", "long").add("sha256", "string").add("reason", "string");
        Dataset<Row> manifest = spark.read().schema(schema).json(spark.createDataset(events.rdd(), Encoders.STRING()))
                .filter("type in ('completed', 'failed', 'skipped')")
                .selectExpr("url", "file", "type as outcome", "bytes", "sha256", "reason");
        manifest.write().mode(SaveMode.Overwrite).parquet(out.resolve("manifest").toString());
        return spark.read().parquet(out.resolve("manifest").toString());
    }

    /** Download.java's shard of a URL (docs/SCALE.md): SHA-256, first 8 bytes unsigned, mod N. */
    static int shard(String url, int count) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
            return (int) Long.remainderUnsigned(ByteBuffer.wrap(digest).getLong(), count);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** One partition: its URLs into one Download.java process, its JSON lines back. */
    private static Iterator<String> pipe(List<String> command, Iterator<String> urls, Path out, int index, int count)
            throws IOException, InterruptedException {
        if (!urls.hasNext()) {
            return urls; // an empty list is a usage error to Download.java: start none
        }
        String label = String.format(Locale.ROOT, "%05d-of-%05d", index, count);
        Files.createDirectories(out.resolve("manifests"));
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of("-", "--json", "--manifest", out.resolve("manifests/" + label + ".ndjson").toString(),
                "-o", out.resolve("files/" + label).toString()));
        Process process = new ProcessBuilder(full).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        // The list goes in from another thread, so that a full stdout pipe can never stall both sides.
        Thread feeder = new Thread(() -> {
            try (var in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8))) {
                while (urls.hasNext()) {
                    in.write(urls.next());
                    in.newLine();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("writing the list to Download.java", e);
            }
        });
        feeder.start();
        List<String> lines = new ArrayList<>();
        try (var events = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = events.readLine()) != null; ) {
                if (!line.startsWith("{\"type\":\"progress\"")) {
                    lines.add(line);
                }
            }
        }
        feeder.join();
        int status = process.waitFor();
        // 0 and 1 (some URLs failed: the manifest says which) are results, if Download.java got as far as its
        // summary line; anything else fails the task, and Spark retries it.
        boolean summary = !lines.isEmpty() && lines.get(lines.size() - 1).startsWith("{\"type\":\"summary\"");
        if (status != 0 && status != 1 || !summary) {
            throw new IllegalStateException("Download.java ended with status " + status + (summary ? "" : " and no summary")
                    + " for partition " + label);
        }
        return lines.iterator();
    }

    private SparkDownload() {}
}
