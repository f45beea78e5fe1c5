package dl;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Trust for a private CA (--ca-cert) and none at all (--insecure), against a real HTTPS server on 127.0.0.1. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsTest {

    @TempDir
    static Path keys;

    @TempDir
    Path dir;

    static WireMockServer server;
    static Path pem;

    /** A self-signed certificate for 127.0.0.1, made by the JDK's keytool, as a private CA's server would have. */
    @BeforeAll
    static void startAnHttpsServerWithItsOwnCertificate() throws Exception {
        Path store = keys.resolve("server.p12");
        pem = keys.resolve("server.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1",
                "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "secret", "-keypass", "secret");
        run(keytool, "-exportcert", "-rfc", "-alias", "server", "-keystore", store.toString(), "-storepass", "secret",
                "-file", pem.toString());
        server = new WireMockServer(wireMockConfig().dynamicPort().dynamicHttpsPort().bindAddress("127.0.0.1")
                .keystorePath(store.toString()).keystoreType("PKCS12").keystorePassword("secret").keyManagerPassword("secret"));
        server.start();
        server.stubFor(get("/private.bin").willReturn(aResponse().withBody("inside")));
    }

    /** Runs a JDK tool (keytool) to its end; its output is shown only if it fails. */
    static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), String.join(" ", command) + "\n" + output);
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private Runs fetch(String... args) throws Exception {
        Path list = Runs.list(dir, "https://127.0.0.1:" + server.httpsPort() + "/private.bin");
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("-o", dir.resolve("out").toString(), list.toString()));
        return Runs.of(all.toArray(String[]::new));
    }

    @Test
    void aPrivateCaIsNotTrustedByDefault() throws Exception {
        Runs run = fetch();
        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains("not signed by an authority this JDK trusts"), run.err());
    }

    @Test
    void caCertAddsTheCertificatesOfAPemFile() throws Exception {
        Runs run = fetch("--ca-cert", pem.toString());
        assertEquals(0, run.status(), run.toString());
        assertEquals("inside", Files.readString(dir.resolve("out/private.bin")));
        assertTrue(run.reports().isEmpty(), run.err());
    }

    @Test
    void verboseNamesTheTlsEngine() throws Exception {
        Runs run = fetch("--ca-cert", pem.toString(), "--verbose");
        assertEquals(0, run.status(), run.toString());
        // This machine kind (Linux x86-64) loads Conscrypt's BoringSSL; elsewhere the line names the JDK's TLS.
        assertTrue(run.err().lines().anyMatch(l -> l.startsWith("TLS engine: Conscrypt ")), run.err());
    }

    @Test
    void insecureSkipsTheChecksWithOneWarning() throws Exception {
        Runs run = fetch("--insecure");
        assertEquals(0, run.status(), run.toString());
        assertEquals("inside", Files.readString(dir.resolve("out/private.bin")));
        assertEquals(List.of("Download.java: warning: --insecure: TLS certificates are not checked; anyone on the path can read and change these downloads."),
                run.reports());
    }

    @Test
    void aCaCertThatIsNotAPemFileIsAUsageError() throws Exception {
        Path notPem = Files.writeString(dir.resolve("ca.txt"), "hello");
        Runs run = fetch("--ca-cert", notPem.toString());
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains("--ca-cert " + notPem + ": not a PEM certificate file"), run.err());
        Runs missing = fetch("--ca-cert", dir.resolve("nope.pem").toString());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
        // The certificate names 127.0.0.1 only; localhost is the same server under a name it does not carry.
        Path list = Runs.list(dir, "https://localhost:" + server.httpsPort() + "/private.bin");
        Runs run = Runs.of("--ca-cert", pem.toString(), "-o", dir.resolve("out").toString(), list.toString());
        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains("the server's certificate is for another host name"), run.err());
    }
}
