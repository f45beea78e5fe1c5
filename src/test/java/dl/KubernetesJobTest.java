package dl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * scale/k8s/job.yaml cannot run here (no cluster), so its mechanics run instead: N processes started as the
 * kubelet starts the pods, each with JOB_COMPLETION_INDEX in its environment and the manifest's own args, with
 * $(VAR) expanded from that environment and the volume's /data mapped to a folder of the test.
 */
class KubernetesJobTest {

    static final Path JOB = Path.of("scale/k8s/job.yaml");

    @TempDir Path data;

    @Test
    @SuppressWarnings("unchecked")
    void theIndexedJobsPodsShareTheListAndFetchEveryUrlOnce() throws Exception {
        Map<String, Object> job = new Yaml().load(Files.readString(JOB));
        Map<String, Object> spec = (Map<String, Object>) job.get("spec");
        int pods = (Integer) spec.get("completions");
        assertEquals(pods, spec.get("parallelism"));
        assertEquals("Indexed", spec.get("completionMode"));
        Map<String, Object> container = ((List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>) spec.get("template"))
                .get("spec")).get("containers")).getFirst();
        List<String> args = (List<String>) container.get("args");

        try (CountingServer server = new CountingServer()) {
            List<URI> urls = server.urls(300);
            Files.write(data.resolve("urls.txt"), urls.stream().map(URI::toString).toList());
            List<Process> running = new ArrayList<>();
            for (int index = 0; index < pods; index++) {
                Map<String, String> env = Map.of("JOB_COMPLETION_INDEX", Integer.toString(index));
                List<String> command = new ArrayList<>(image());
                args.forEach(arg -> command.add(kubelet(arg, env).replace("/data", data.toString())));
                ProcessBuilder pod = new ProcessBuilder(command)
                        .redirectOutput(data.resolve("pod-" + index + ".out").toFile())
                        .redirectError(data.resolve("pod-" + index + ".err").toFile());
                pod.environment().putAll(env);
                running.add(pod.start());
            }
            for (int index = 0; index < pods; index++) {
                Process pod = running.get(index);
                assertTrue(pod.waitFor(2, TimeUnit.MINUTES), "pod " + index + " did not end");
                assertEquals(0, pod.exitValue(), Files.readString(data.resolve("pod-" + index + ".err")));
                Path manifest = data.resolve("manifests/manifest-" + new Shard(index, pods).label() + ".ndjson");
                assertTrue(Files.readString(manifest).contains("\"type\":\"summary\""), manifest.toString());
            }
            for (URI url : urls) {
                assertEquals(1, server.requests(url), url.toString());
            }
            assertEquals(300, Runs.files(data.resolve("files")).size());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePodFailurePolicyMatchesTheExitStatuses() throws IOException {
        Map<String, Object> spec = (Map<String, Object>) ((Map<String, Object>) new Yaml().load(Files.readString(JOB))).get("spec");
        List<Map<String, Object>> rules = (List<Map<String, Object>>) ((Map<String, Object>) spec.get("podFailurePolicy")).get("rules");
        assertEquals(List.of(ExitStatus.USAGE, ExitStatus.INTERNAL), exitCodes(rules, "FailJob"), "failing the job: what no retry mends");
        assertEquals(List.of(ExitStatus.CHECKSUM), exitCodes(rules, "FailIndex"));
        assertTrue(spec.containsKey("backoffLimitPerIndex"), "a shard with failed URLs (1) is retried alone");
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> exitCodes(List<Map<String, Object>> rules, String action) {
        return rules.stream().filter(rule -> rule.get("action").equals(action))
                .map(rule -> (List<Integer>) ((Map<String, Object>) rule.get("onExitCodes")).get("values"))
                .findFirst().orElseThrow();
    }

    /** What the kubelet does to args: $(NAME) becomes the container's variable NAME. */
    private static String kubelet(String arg, Map<String, String> env) {
        Matcher m = Pattern.compile("\\$\\((\\w+)\\)").matcher(arg);
        return m.replaceAll(r -> Matcher.quoteReplacement(env.getOrDefault(r.group(1), r.group())));
    }

    /** The image's entry point (scale/k8s/Dockerfile): java with Download.java's //RUNTIME_OPTIONS, then dl.Download. */
    private static List<String> image() throws IOException {
        String options = Files.readAllLines(Path.of("Download.java")).stream()
                .filter(line -> line.startsWith("//RUNTIME_OPTIONS ")).findFirst().orElseThrow().substring("//RUNTIME_OPTIONS ".length());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(Arrays.asList(options.strip().split("\\s+")));
        command.addAll(List.of("--enable-preview", "-cp", System.getProperty("java.class.path"), "dl.Download"));
        return command;
    }
}
