package dl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Credentials from a {@code .netrc} file, as curl and wget read it: {@code machine HOST login USER password PASS},
 * and {@code default} for any other host. They become a Basic {@code Authorization} header of the downloads of
 * that host, which {@link Redirects#mayCarry} then keeps from every other host.
 */
final class Netrc {

    private final Map<String, String> byHost;
    private final String fallback;

    private Netrc(Map<String, String> byHost, String fallback) {
        this.byHost = byHost;
        this.fallback = fallback;
    }

    /** A .netrc is a few lines: more than this is another file given by mistake, or a device that never ends. */
    static final int MAX_BYTES = 1 << 20;

    /** Throws IOException with a message fit for the user for a file that is no .netrc at all. */
    static Netrc read(Path file) throws IOException {
        byte[] bytes = SmallFile.read(file, MAX_BYTES,
                "it holds more than 1 MiB, which no .netrc does (machine HOST login USER password PASS lines)");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("it is not a text file (bytes that are not UTF-8)");
        }
        List<String> tokens = new ArrayList<>();
        for (String line : text.lines().toList()) {
            if (line.strip().startsWith("#")) {
                continue;
            }
            for (String token : line.strip().split("\\s+")) {
                if (!token.isEmpty()) {
                    tokens.add(token);
                }
            }
        }
        Map<String, String> byHost = new HashMap<>();
        String fallback = null;
        String machine = null;
        String login = null;
        String password = null;
        boolean isDefault = false;
        for (int i = 0; i <= tokens.size(); i++) {
            String token = i < tokens.size() ? tokens.get(i) : "machine";
            switch (token) {
                case "machine", "default", "macdef" -> {
                    if ((machine != null || isDefault) && login != null && password != null) {
                        if (isDefault) {
                            fallback = Headers.basic(login, password);
                        } else {
                            byHost.putIfAbsent(machine.toLowerCase(Locale.ROOT), Headers.basic(login, password));
                        }
                    }
                    isDefault = token.equals("default");
                    machine = token.equals("machine") && i + 1 < tokens.size() ? tokens.get(++i) : null;
                    login = null;
                    password = null;
                    if (token.equals("macdef")) {
                        return new Netrc(byHost, fallback); // a macro runs to the end of its paragraph: nothing we use follows
                    }
                }
                case "login" -> login = i + 1 < tokens.size() ? tokens.get(++i) : null;
                case "password" -> password = i + 1 < tokens.size() ? tokens.get(++i) : null;
                default -> { }
            }
        }
        return new Netrc(byHost, fallback);
    }

    /** The Authorization header for this host, or null. */
    String authorization(String host) {
        String credentials = byHost.getOrDefault(host.toLowerCase(Locale.ROOT), fallback);
        return credentials == null ? null : "Authorization: " + credentials;
    }

    /** Adds the host's credentials to every entry that has no Authorization header of its own. */
    List<UrlList.Entry> apply(List<UrlList.Entry> entries) {
        List<UrlList.Entry> out = new ArrayList<>(entries.size());
        entries.forEach(e -> out.add(apply(e)));
        return out;
    }

    /** The entry with its host's credentials, unless it has an Authorization header of its own. */
    UrlList.Entry apply(UrlList.Entry e) {
        String header = authorization(e.url().getHost());
        boolean given = e.headers().stream().anyMatch(h -> Headers.name(h).equalsIgnoreCase("Authorization"));
        if (header == null || given) {
            return e;
        }
        List<String> headers = new ArrayList<>(e.headers());
        headers.add(header);
        return new UrlList.Entry(e.line(), e.url(), e.out(), e.checksum(), headers);
    }
}
