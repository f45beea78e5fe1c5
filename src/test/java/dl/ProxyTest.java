package dl;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Proxies from the command line and the environment, against a small forwarding proxy on 127.0.0.1. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().dynamicHttpsPort().bindAddress("127.0.0.1")).build();

    @TempDir
    Path dir;

    private String http(String path) {
        return "http://127.0.0.1:" + server.getPort() + path;
    }

    private String https(String path) {
        return "https://127.0.0.1:" + server.getHttpsPort() + path;
    }

    private Runs fetch(List<String> urls, String... args) throws Exception {
        Path list = Runs.list(dir, urls.toArray(String[]::new));
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("-o", dir.resolve("out").toString(), list.toString()));
        return Runs.of(Runs.fast(all.toArray(String[]::new)));
    }

    @Test
    void httpAndHttpsGoThroughTheProxyGivenWithCredentialsNeverShown() throws Exception {
        server.stubFor(get("/plain.txt").willReturn(aResponse().withBody("plain")));
        server.stubFor(get("/secure.txt").willReturn(aResponse().withBody("secure")));
        try (TestProxy proxy = new TestProxy("Basic dTpzM2NyZXQ=")) {
            String withCredentials = proxy.url().replace("http://", "http://u:s3cret@");
            Runs run = fetch(List.of(http("/plain.txt"), https("/secure.txt")), "--proxy", withCredentials, "--insecure");
            assertEquals(0, run.status(), run.toString());
            assertEquals("plain", Files.readString(dir.resolve("out/plain.txt")));
            assertEquals("secure", Files.readString(dir.resolve("out/secure.txt")));
            assertTrue(proxy.requests.contains("GET " + http("/plain.txt") + " HTTP/1.1"), proxy.requests.toString());
            assertTrue(proxy.requests.contains("CONNECT 127.0.0.1:" + server.getHttpsPort() + " HTTP/1.1"), proxy.requests.toString());
            assertFalse(run.out().contains("s3cret") || run.err().contains("s3cret"), run.toString());
        }
    }

    @Test
    void theEnvironmentChoosesTheProxyAndNoProxyBypassesIt() throws Exception {
        server.stubFor(get("/env.txt").willReturn(aResponse().withBody("env")));
        try (TestProxy proxy = new TestProxy(null)) {
            assertEquals(0, child(Map.of("http_proxy", proxy.url()), "viaenv"));
            assertEquals(List.of("GET " + http("/env.txt") + " HTTP/1.1"), proxy.requests);
            assertEquals(0, child(Map.of("HTTP_PROXY", proxy.url(), "no_proxy", "example.org,127.0.0.1"), "bypassed"));
            assertEquals(1, proxy.requests.size(), "no_proxy kept the second run away from the proxy: " + proxy.requests);
            assertEquals("env", Files.readString(dir.resolve("bypassed/env.txt")));
        }
    }

    /** Runs Download.java in a JVM of its own with this environment; returns its exit status. */
    private int child(Map<String, String> env, String out) throws Exception {
        Path list = Runs.list(dir, http("/env.txt"));
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "--enable-preview", "-cp", System.getProperty("java.class.path"),
                "dl.Download", "-q", "-o", dir.resolve(out).toString(), list.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(out + ".log").toFile());
        builder.environment().keySet().removeIf(k -> k.toLowerCase().endsWith("_proxy"));
        builder.environment().putAll(env);
        Process process = builder.start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the child ends");
        return process.exitValue();
    }

    @Test
    void noProxyNamesDomainsSubdomainsAndAddresses() {
        Proxies p = Proxies.of(null, false, Map.of("https_proxy", "proxy.corp:3128", "NO_PROXY", "internal.corp, .example.com,10.1.2.3"));
        assertEquals("proxy.corp:3128", p.routeFor(URI.create("https://a.b/x")).proxy().address().toString().replace("/<unresolved>", ""));
        assertTrue(p.bypassed("internal.corp") && p.bypassed("git.internal.corp") && p.bypassed("example.com")
                && p.bypassed("www.example.com") && p.bypassed("10.1.2.3"));
        assertFalse(p.bypassed("notinternal.corp") || p.bypassed("10.1.2.30"));
        assertEquals(java.net.Proxy.NO_PROXY, p.routeFor(URI.create("http://a.b/x")).proxy(), "no http_proxy: http goes direct");
        assertTrue(Proxies.of(null, false, Map.of("http_proxy", "http://p:1", "no_proxy", "*")).bypassed("anything"));
        assertNull(Proxies.of(null, false, Map.of()).routeFor(URI.create("http://a.b/")), "nothing set: the JVM's settings decide");
        assertEquals(java.net.Proxy.NO_PROXY, Proxies.of(null, true, Map.of("http_proxy", "http://p:1")).routeFor(URI.create("http://a.b/")).proxy());
    }

    @Test
    void aProxyThatIsNotAnHttpUrlIsAUsageErrorWithThePasswordMasked() throws Exception {
        Runs run = fetch(List.of(http("/x")), "--proxy", "socks5://me:hunter2@proxy:1080");
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains("must be an http:// proxy") && run.err().contains("me:***@"), run.err());
        assertFalse(run.err().contains("hunter2"), run.err());
    }

    @Test
    void aWrongProxyPasswordIsSentOnceAndNamesTheProxy() throws Exception {
        // The JDK's client asked again after every 407, 20 times a URL: on a company proxy that locks the account.
        try (TestProxy proxy = new TestProxy("Basic dTpzM2NyZXQ=")) {
            String wrong = proxy.url().replace("http://", "http://u:wrong@");
            Runs run = fetch(List.of(http("/a.txt"), https("/b.txt")), "--proxy", wrong, "--insecure");
            assertEquals(1, run.status(), run.toString());
            assertEquals(2, proxy.requests.size(), "one request for each URL: " + proxy.requests);
            assertTrue(run.err().contains("the proxy 127.0.0.1:") && run.err().contains("HTTP 407 Proxy Authentication Required"), run.err());
            assertFalse(run.out().contains("wrong") || run.err().contains("wrong"), run.toString());
        }
    }

    @Test
    void aProxyThatRefusesTheTunnelIsFinalAndNamed() throws Exception {
        // squid's stock answer to a CONNECT to a port it does not allow.
        try (RawServer proxy = RawServer.answering("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")) {
            Runs run = fetch(List.of(https("/c.txt")), "--proxy", proxy.url(""), "--insecure");
            assertEquals(1, run.status(), run.toString());
            assertEquals(1, proxy.requests.size(), "not retried: " + proxy.requests);
            assertTrue(proxy.requests.getFirst().startsWith("CONNECT 127.0.0.1:" + server.getHttpsPort() + " HTTP/1.1"), proxy.requests.toString());
            assertTrue(run.err().contains("the proxy 127.0.0.1:") && run.err().contains("answered HTTP 403 Forbidden"), run.err());
        }
    }

    @Test
    void aDeadProxyIsNamedNotTheServerBehindIt() throws Exception {
        Runs run = fetch(List.of(http("/d.txt")), "--proxy", "http://127.0.0.1:1", "--retries", "0");
        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains("cannot connect to the proxy 127.0.0.1:1"), run.err());
    }
}
