package dl;

import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which proxy a URL goes through, as curl, wget and Python decide it: {@code --proxy URL} or {@code http_proxy} /
 * {@code https_proxy} from the environment (lower or upper case), except the hosts {@code no_proxy} names (domains
 * with their subdomains, IP addresses, {@code *} for all); {@code --no-proxy} for none. Without any of them the
 * JVM's own settings ({@code -Dhttp.proxyHost=...}) decide, as before. HTTPS goes through an HTTP proxy with
 * CONNECT. Credentials in a proxy URL ({@code http://user:pass@proxy:3128}) are used for it and never printed.
 */
record Proxies(Route http, Route https, List<String> noProxy, boolean jvmDecides) {

    /** One proxy and its credentials (user may be null). */
    record Route(Proxy proxy, String user, String password) {
        PasswordAuthentication credentials() {
            return user == null ? null : new PasswordAuthentication(user, password.toCharArray());
        }
    }

    /** No proxy for anything: --no-proxy. */
    static final Proxies NONE = new Proxies(null, null, List.of(), false);
    /** The JVM's settings decide: nothing in the environment or on the command line. */
    static final Proxies JVM = new Proxies(null, null, List.of(), true);

    /**
     * From the command line and the environment. Throws IllegalArgumentException, with a message fit for the
     * user (the password masked), for a proxy that is not an http://host:port URL.
     */
    static Proxies of(String proxyOption, boolean noProxyOption, Map<String, String> env) {
        if (noProxyOption) {
            return NONE;
        }
        List<String> noProxy = new ArrayList<>();
        String list = first(env, "no_proxy", "NO_PROXY");
        if (list != null) {
            for (String entry : list.split(",")) {
                if (!entry.isBlank()) {
                    noProxy.add(entry.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        if (proxyOption != null) {
            Route route = route(proxyOption, "--proxy");
            return new Proxies(route, route, noProxy, false);
        }
        String http = first(env, "http_proxy", "HTTP_PROXY");
        String https = first(env, "https_proxy", "HTTPS_PROXY");
        if (http == null && https == null) {
            return JVM;
        }
        return new Proxies(http == null ? null : route(http, "http_proxy"), https == null ? null : route(https, "https_proxy"),
                noProxy, false);
    }

    /** The route for this URL: null when the JVM's settings decide, else a proxy (possibly Proxy.NO_PROXY). */
    Route routeFor(URI url) {
        if (jvmDecides) {
            return null;
        }
        Route route = "https".equalsIgnoreCase(url.getScheme()) ? https : http;
        if (route == null || bypassed(url.getHost())) {
            return new Route(Proxy.NO_PROXY, null, null);
        }
        return route;
    }

    /** no_proxy: "*", an exact host or IP, or a domain that matches itself and its subdomains (".example.com" too). */
    boolean bypassed(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String entry : noProxy) {
            String e = entry.startsWith(".") ? entry.substring(1) : entry;
            int colon = e.lastIndexOf(':');
            if (colon > 0 && !e.contains("]") && e.indexOf(':') == colon) {
                e = e.substring(0, colon); // a port in no_proxy: compared by host only, as wget does
            }
            if (e.equals("*") || h.equals(e) || h.endsWith("." + e)) {
                return true;
            }
        }
        return false;
    }

    private static Route route(String text, String from) {
        String withScheme = text.contains("://") ? text : "http://" + text;
        URI uri;
        try {
            uri = URI.create(withScheme);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(from + " '" + UrlText.masked(withScheme) + "' is not a URL like http://proxy.example:3128");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(from + " '" + UrlText.masked(withScheme) + "' must be an http:// proxy with a host, like http://proxy.example:3128");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        Proxy proxy = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(uri.getHost(), port));
        String info = uri.getRawUserInfo();
        if (info == null) {
            return new Route(proxy, null, null);
        }
        int colon = info.indexOf(':');
        return new Route(proxy, UrlText.percentDecode(colon < 0 ? info : info.substring(0, colon)),
                colon < 0 ? "" : UrlText.percentDecode(info.substring(colon + 1)));
    }

    private static String first(Map<String, String> env, String lower, String upper) {
        String value = env.get(lower);
        if (value == null || value.isBlank()) {
            value = env.get(upper);
        }
        return value == null || value.isBlank() ? null : value.strip();
    }
}
