package dl;

import java.io.IOException;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.Locale;
import java.util.Set;

/**
 * The rules for following a redirect ourselves: where it leads, when to stop, and which of the user's headers
 * may go along. The HTTP client is told never to follow one, so that every hop passes through these rules.
 */
final class Redirects {

    static final int MAX = 10;

    /** Headers that prove who the user is: sent only where the user sent them (curl's rule). */
    private static final Set<String> CREDENTIALS = Set.of("authorization", "cookie", "proxy-authorization");

    /** A redirect that is not followed, and why. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Sends a GET to {@code url} and follows its redirects, at most {@value #MAX}, each hop with the headers
     * {@code headersFor} gives for its URL; returns the first answer that is not a redirect. The cookies every
     * answer sets go into {@code cookies} before the next hop asks for its headers: a login redirect's session
     * cookie reaches its target.
     */
    static Http.Response follow(Http http, URI url, Function<URI, Map<String, String>> headersFor, Cookies cookies)
            throws IOException, Refused {
        Set<URI> seen = new HashSet<>(List.of(url));
        for (int hop = 0; ; hop++) {
            Http.Response response = http.get(url, headersFor.apply(url));
            cookies.remember(url, response.headers("Set-Cookie"));
            int status = response.status();
            if (!isRedirect(status)) {
                return response;
            }
            String location = response.header("Location");
            response.discard();
            URI next = next(url, status, location, hop);
            if (!seen.add(next)) {
                throw new Refused("redirect loop: " + shown(url) + " leads back to " + shown(next));
            }
            url = next;
        }
    }

    /** A Location may carry a user and password of its own: never printed. */
    private static String shown(URI url) {
        return Format.shorten(UrlText.masked(url.toString()));
    }

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** Where a redirect from {@code from} with this Location leads; {@code hops} redirects were followed before it. */
    static URI next(URI from, int status, String location, int hops) throws Refused {
        if (location == null) {
            throw new Refused("HTTP " + status + " redirect without a Location header");
        }
        URI next;
        try {
            next = from.resolve(location.strip());
        } catch (IllegalArgumentException e) {
            throw new Refused("redirected to an invalid URL: " + Format.shorten(UrlText.masked(location)));
        }
        String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused("redirected to " + shown(next) + ": only http and https redirects are followed");
        }
        if (next.getHost() == null) {
            throw new Refused("redirected to " + shown(next) + ", which has no host");
        }
        if (hops + 1 > MAX) {
            throw new Refused("more than " + MAX + " redirects");
        }
        return next;
    }

    /**
     * Whether a header the user gave for {@code original} may be sent to {@code to}. Credentials go only to the
     * original scheme, host and port; {@code trusted} (--location-trusted) lets them follow to other hosts, but
     * never from https down to plain http, where anyone on the path could read them.
     */
    static boolean mayCarry(String header, URI original, URI to, boolean trusted) {
        if (!CREDENTIALS.contains(header.toLowerCase(Locale.ROOT)) || origin(original).equals(origin(to))) {
            return true;
        }
        boolean downgrade = "https".equalsIgnoreCase(original.getScheme()) && !"https".equalsIgnoreCase(to.getScheme());
        return trusted && !downgrade;
    }

    /** scheme://host:port, with the scheme's default port filled in, for comparing two URLs' servers. */
    static String origin(URI url) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        int port = url.getPort() >= 0 ? url.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + url.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    private Redirects() {}
}
