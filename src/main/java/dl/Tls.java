package dl;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Collection;

/**
 * Which TLS servers a run trusts (the JDK's authorities, plus a private CA given with --ca-cert, or anyone with
 * --insecure), and why a handshake failed, in words instead of "PKIX path building failed: sun.security...".
 */
final class Tls {

    /** What every HTTPS connection of a run uses; nulls mean the JDK's own. */
    record Trust(SSLSocketFactory sockets, HostnameVerifier hostnames) {
        static final Trust JDK = new Trust(null, null);
    }

    /** A bundle of every public authority is about 200 KiB: more is not a certificate file (/dev/zero never ends). */
    static final int MAX_PEM_BYTES = 4 << 20;

    /** The JDK's authorities and the certificates of a PEM file (a private CA, or a server's own certificate). */
    static Trust adding(Path pem) throws IOException, GeneralSecurityException {
        KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
        extra.load(null, null);
        byte[] bytes;
        try (InputStream in = Files.newInputStream(pem)) {
            bytes = in.readNBytes(MAX_PEM_BYTES + 1);
        }
        if (bytes.length > MAX_PEM_BYTES) {
            throw new CertificateException("it holds more than 4 MiB, far more than any file of certificates");
        }
        Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
        if (certificates.isEmpty()) {
            throw new CertificateException("no certificate in it (a PEM file starts with -----BEGIN CERTIFICATE-----)");
        }
        int n = 0;
        for (Certificate certificate : certificates) {
            extra.setCertificateEntry("ca-" + n++, certificate);
        }
        X509TrustManager ours = trustManager(extra);
        X509TrustManager jdk = trustManager(null);
        X509TrustManager either = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                jdk.checkClientTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                try {
                    ours.checkServerTrusted(chain, authType);
                } catch (CertificateException notOurs) {
                    jdk.checkServerTrusted(chain, authType);
                }
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return jdk.getAcceptedIssuers();
            }
        };
        return new Trust(context(either).getSocketFactory(), null);
    }

    /** --insecure: any certificate, any host name. Encrypted, but anyone on the path can read and change it. */
    static Trust anyone() throws GeneralSecurityException {
        X509TrustManager all = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        return new Trust(context(all).getSocketFactory(), (host, session) -> true);
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager in this JDK");
    }

    private static SSLContext context(X509TrustManager trust) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust}, null);
        return context;
    }

    static String inWords(Throwable handshake) {
        for (Throwable cause = handshake; cause != null; cause = cause.getCause()) {
            String text = String.valueOf(cause.getMessage());
            if (cause instanceof CertificateExpiredException) {
                return "the server's certificate has expired";
            }
            if (cause instanceof CertificateNotYetValidException) {
                return "the server's certificate is not valid yet";
            }
            if (text.contains("unable to find valid certification path") || text.contains("PKIX path")
                    || cause instanceof CertPathValidatorException) {
                return "the server's certificate is not signed by an authority this JDK trusts (self-signed or a private CA)";
            }
            if (text.contains("No subject alternative") || text.contains("No name matching")) {
                return "the server's certificate is for another host name";
            }
        }
        return "the handshake failed (" + Format.message(handshake) + ")";
    }

    private Tls() {}
}
