package dl;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;

/** Says in words why a TLS handshake failed, instead of "PKIX path building failed: sun.security...". */
final class Tls {

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
