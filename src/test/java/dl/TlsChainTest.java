package dl;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server certificate signed by a CA, as every public site has, not a self-signed one: the JDK checks such a
 * certificate's key usage against the handshake's kind, a check a self-signed trust anchor skips. Under
 * Conscrypt every CA-signed certificate was refused ("Unknown authType: GENERIC") while the self-signed tests passed.
 */
class TlsChainTest {

    @TempDir
    static Path keys;

    @TempDir
    Path dir;

    static WireMockServer server;
    static Path ca;

    @BeforeAll
    static void startAServerWhoseCertificateACaSigned() throws Exception {
        Path caStore = keys.resolve("ca.p12");
        Path store = keys.resolve("server.p12");
        ca = keys.resolve("ca.pem");
        Path csr = keys.resolve("server.csr");
        Path signed = keys.resolve("server.pem");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-dname", "CN=Test CA", "-ext", "bc:c", "-validity", "2",
                "-keystore", caStore.toString(), "-storetype", "PKCS12", "-storepass", "secret");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", "secret", "-file", ca.toString());
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "secret");
        keytool("-certreq", "-alias", "server", "-keystore", store.toString(), "-storepass", "secret", "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", "secret", "-infile", csr.toString(),
                "-outfile", signed.toString(), "-validity", "2", "-ext", "san=ip:127.0.0.1", "-ext", "ku:c=digitalSignature",
                "-ext", "eku=serverAuth");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", ca.toString(), "-keystore", store.toString(), "-storepass", "secret");
        keytool("-importcert", "-alias", "server", "-file", signed.toString(), "-keystore", store.toString(), "-storepass", "secret");
        server = new WireMockServer(wireMockConfig().dynamicPort().dynamicHttpsPort().bindAddress("127.0.0.1")
                .keystorePath(store.toString()).keystoreType("PKCS12").keystorePassword("secret").keyManagerPassword("secret"));
        server.start();
        server.stubFor(get("/signed.bin").willReturn(aResponse().withBody("signed")));
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        TlsTest.run(command.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private Runs fetch(String host, String... args) throws Exception {
        Path list = Runs.list(dir, "https://" + host + ":" + server.httpsPort() + "/signed.bin");
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("-o", dir.resolve("out").toString(), list.toString()));
        return Runs.of(all.toArray(String[]::new));
    }

    @Test
    void aCertificateThatTheGivenCaSignedIsTrusted() throws Exception {
        Runs run = fetch("127.0.0.1", "--ca-cert", ca.toString());
        assertEquals(0, run.status(), run.toString());
        assertEquals("signed", Files.readString(dir.resolve("out/signed.bin")));
    }

    @Test
    void withoutTheCaItIsNotTrustedAndForAnotherHostItIsRefused() throws Exception {
        Runs untrusted = fetch("127.0.0.1");
        assertEquals(1, untrusted.status(), untrusted.toString());
        assertTrue(untrusted.err().contains("not signed by an authority this JDK trusts"), untrusted.err());
        Runs otherHost = fetch("localhost", "--ca-cert", ca.toString());
        assertEquals(1, otherHost.status(), otherHost.toString());
        assertTrue(otherHost.err().contains("the server's certificate is for another host name"), otherHost.err());
    }
}
