package dl;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import javax.net.ssl.SSLEngine;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.io.IOException;
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

    /**
     * What every HTTPS connection of a run uses: whom to trust (null: the JDK's authorities, read only when a run
     * first needs them), and whether the certificate must name the host (all but --insecure).
     */
    record Trust(X509TrustManager manager, boolean checksHostname) {
        static final Trust JDK = new Trust(null, true);
    }

    /** The TLS engine of a run: its socket factory, and its name for --verbose. */
    record Engine(SSLSocketFactory sockets, String name) {}

    /**
     * BoringSSL through Conscrypt where its native library loads (Linux, macOS, Windows on x86-64 and arm64), else
     * the JDK's own TLS. Conscrypt moves a 64 MiB body for a fraction of JSSE's CPU, and needs no optimising JIT
     * for it (see docs/DESIGN.md); its engine-socket mode keeps each read a Java socket read on the download's own
     * thread, so that a virtual thread never blocks inside native code and never pins its carrier.
     */
    static Engine engine(Trust trust) throws GeneralSecurityException {
        X509TrustManager manager = trust.manager() != null ? trust.manager() : trustManager(null);
        try {
            if (org.conscrypt.Conscrypt.isAvailable()) {
                SSLContext context = SSLContext.getInstance("TLS", org.conscrypt.Conscrypt.newProvider());
                context.init(null, new TrustManager[] {tls13AuthType(manager)}, null);
                SSLSocketFactory sockets = context.getSocketFactory();
                org.conscrypt.Conscrypt.setUseEngineSocket(sockets, true);
                return new Engine(sockets, "Conscrypt " + org.conscrypt.Conscrypt.version().major() + "." + org.conscrypt.Conscrypt.version().minor()
                        + " (BoringSSL)");
            }
        } catch (LinkageError | RuntimeException notHere) {
            // No native library for this platform, or it would not load: the JDK's TLS does the same, slower.
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {manager}, null);
        return new Engine(context.getSocketFactory(), "the JDK's TLS (JSSE; Conscrypt could not load here)");
    }

    /**
     * Conscrypt names a TLS 1.3 server's key exchange "GENERIC", which the JDK's trust manager does not know: it
     * refuses every certificate that a CA signed ("Unknown authType: GENERIC"), that is, every public site. JSSE
     * says "UNKNOWN" there, which the JDK checks as a signing key. This says it for Conscrypt.
     */
    private static X509ExtendedTrustManager tls13AuthType(X509TrustManager manager) {
        return new X509ExtendedTrustManager() {
            private static String jdk(String authType) {
                return "GENERIC".equals(authType) ? "UNKNOWN" : authType;
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    extended.checkServerTrusted(chain, jdk(authType), socket);
                } else {
                    manager.checkServerTrusted(chain, jdk(authType));
                }
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    extended.checkServerTrusted(chain, jdk(authType), engine);
                } else {
                    manager.checkServerTrusted(chain, jdk(authType));
                }
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                manager.checkServerTrusted(chain, jdk(authType));
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
                manager.checkClientTrusted(chain, jdk(authType));
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                manager.checkClientTrusted(chain, jdk(authType));
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                manager.checkClientTrusted(chain, jdk(authType));
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return manager.getAcceptedIssuers();
            }
        };
    }

    /** A bundle of every public authority is about 200 KiB: more is not a certificate file (/dev/zero never ends). */
    static final int MAX_PEM_BYTES = 4 << 20;

    /** The JDK's authorities and the certificates of a PEM file (a private CA, or a server's own certificate). */
    static Trust adding(Path pem) throws IOException, GeneralSecurityException {
        KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
        extra.load(null, null);
        byte[] bytes = SmallFile.read(pem, MAX_PEM_BYTES, "it holds more than 4 MiB, far more than any file of certificates");
        Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
        if (certificates.isEmpty()) {
            throw new CertificateException("no certificate in it (a PEM file starts with -----BEGIN CERTIFICATE-----)");
        }
        int n = 0;
        for (Certificate certificate : certificates) {
            extra.setCertificateEntry("ca-" + n++, certificate);
        }
        X509ExtendedTrustManager ours = trustManager(extra);
        X509ExtendedTrustManager jdk = trustManager(null);
        X509ExtendedTrustManager either = new X509ExtendedTrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
                either(() -> ours.checkServerTrusted(chain, authType, socket), () -> jdk.checkServerTrusted(chain, authType, socket));
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                either(() -> ours.checkServerTrusted(chain, authType, engine), () -> jdk.checkServerTrusted(chain, authType, engine));
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                either(() -> ours.checkServerTrusted(chain, authType), () -> jdk.checkServerTrusted(chain, authType));
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
                jdk.checkClientTrusted(chain, authType, socket);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                jdk.checkClientTrusted(chain, authType, engine);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                jdk.checkClientTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return jdk.getAcceptedIssuers();
            }
        };
        return new Trust(either, true);
    }

    private interface Check {
        void run() throws CertificateException;
    }

    /**
     * Trusted by the PEM file's certificates or by the JDK's authorities. When both refuse, the reason given is
     * the PEM file's unless it did not sign the chain at all: "for another host name" says more than "not signed".
     */
    private static void either(Check ours, Check jdk) throws CertificateException {
        try {
            ours.run();
        } catch (CertificateException notOurs) {
            try {
                jdk.run();
            } catch (CertificateException neither) {
                throw unsigned(notOurs) ? neither : notOurs;
            }
        }
    }

    private static boolean unsigned(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertPathValidatorException || cause instanceof java.security.cert.CertPathBuilderException
                    || String.valueOf(cause.getMessage()).contains("PKIX path")) {
                return true;
            }
        }
        return false;
    }

    /** --insecure: any certificate, any host name. Encrypted, but anyone on the path can read and change it. */
    static Trust anyone() {
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
        return new Trust(all, false);
    }

    private static X509ExtendedTrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager in this JDK");
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
