package dl;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A list full of hostile and broken lines: each is reported with its line number, the good ones download. */
class BadInputTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    @TempDir
    Path dir;

    @Test
    void everyBadLineIsNamedAndEveryGoodLineStillDownloads() throws Exception {
        server.stubFor(get(urlMatching("/good/.*")).willReturn(aResponse().withBody("ok")));
        String base = server.baseUrl();
        // line number -> expected words of its report; null = a good or ignored line.
        Map<Integer, String> expected = new TreeMap<>();
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        String[][] lines = {
                {"  out=orphan.bin", "has no URL line above it"},
                {"# a list that has seen things", null},
                {base + "/good/1.bin", null},
                {"ftp://example.org/file", "unsupported scheme 'ftp'"},
                {"file:///etc/passwd", "unsupported scheme 'file'"},
                {"javascript:alert(1)", "unsupported scheme 'javascript'"},
                {"mailto:someone@example.org", "unsupported scheme 'mailto'"},
                {"data:text/plain,hello", "unsupported scheme 'data'"},
                {"gopher://example.org/", "unsupported scheme 'gopher'"},
                {"example.org/file.zip", "not an absolute URL"},
                {"/just/a/path", "not an absolute URL"},
                {"www.example.org", "not an absolute URL"},
                {"http://", "not a valid URL"},
                {"http:///no-host", "no host"},
                {"https://exa mple.org/x", "contains a space"},
                {base + "/good/two words.bin", "contains a space"},
                {"http://example.org/\tx", "contains control characters"},
                {"http://example.org/a\u0000b", "contains control characters"},
                {"http://[::1", "not a valid URL"},
                {"http://example.org/%zz", "not a valid URL"},
                {"http://example.org/x y z", "contains a space"},
                {"http://exa<mple>.org/", "not a valid URL"},
                {"https://example.org/" + "a".repeat(9000), "characters long"},
                {base + "/good/1.bin", "duplicate of line 3"},
                {base + "/good/2.bin", null},
                {"  out=", "must be a plain file name"},
                {base + "/good/3.bin", null},
                {"  out=../../etc/cron.d/evil", "must be a plain file name"},
                {base + "/good/4.bin", null},
                {"  colour=blue", "unknown option 'colour=blue'"},
                {"  checksum=sha-256=1234", "checksum is 64 hex digits"},
                {base + "/good/5.bin", null},
                {"  checksum=crc32=deadbeef", "checksum needs TYPE=HEX"},
                {base + "/good/6.bin", null},
                {"  header=NoColonHere", "must look like 'Name: value'"},
                {"  header=Host: evil.example", "set by the HTTP client itself"},
                {"  just-a-word", "unknown option 'just-a-word'"},
                {"\theader=X-Tab-Indented: yes", null},
                {"HTTP://EXAMPLE.ORG:99999/", "port 99999 is out of range"},
                {"http://user@:80/", "no host"},
                {"https://example.org/\u202Eevil", "invisible formatting characters"},
                {base + "/good/7.bin", null},
                {"", null},
                {"   ", null},
                {"#" + base + "/good/commented.bin", null},
        };
        for (int i = 0; i < lines.length; i++) {
            list.writeBytes((lines[i][0] + "\n").getBytes(StandardCharsets.UTF_8));
            if (lines[i][1] != null) {
                expected.put(i + 1, lines[i][1]);
            }
        }
        // Binary garbage: bytes that are not UTF-8 at all.
        list.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x01, (byte) 0x80, '\n'});
        expected.put(lines.length + 1, "not UTF-8");
        list.writeBytes(("h\u00e9llo://x/\n").getBytes(StandardCharsets.ISO_8859_1));
        expected.put(lines.length + 2, "not UTF-8");
        Path file = Files.write(dir.resolve("hostile.txt"), list.toByteArray());
        Path out = dir.resolve("out");

        Runs run = Runs.of("-o", out.toString(), file.toString());

        assertEquals(1, run.status(), run.toString());
        assertTrue(expected.size() >= 30, "the corpus has " + expected.size() + " bad lines");
        List<String> reports = run.err().lines().toList();
        for (var e : expected.entrySet()) {
            String prefix = file + ":" + e.getKey() + ": ";
            assertTrue(reports.stream().anyMatch(r -> r.startsWith(prefix) && r.contains(e.getValue())),
                    "line " + e.getKey() + " reported with '" + e.getValue() + "' in:\n" + run.err());
        }
        assertEquals(expected.size(), reports.size(), "one report per bad line, no more:\n" + run.err());
        assertFalse(run.err().contains("Exception"), run.err());
        // out=, bad checksums and bad headers reject their URL or just the option, as the report says.
        assertEquals(List.of("1.bin", "6.bin", "7.bin"), Runs.files(out));
    }
}
