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
                {"  colour=blue", "unknown option 'colour=***'"},
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
        List<String> reports = run.reports();
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

    /** Issue #22, 6: a line over the limit took the URL above it along, without a word. */
    @Test
    void aLongLineIsSkippedAloneAndEveryOtherLineIsKept() throws Exception {
        String base = "http://127.0.0.1:9";
        String tooLong = "x".repeat(UrlList.MAX_LINE + 100);
        Path file = Runs.list(dir,
                base + "/1.bin",
                base + "/2.bin",                    // 2: right above a long URL line
                "https://example.org/" + tooLong,   // 3
                base + "/3.bin",                    // 4: right above a long comment
                "# " + tooLong,                     // 5
                base + "/4.bin",                    // 6: right above a long option line
                "  header=X-Long: " + tooLong,      // 7
                "  out=four.bin",                   // 8: still an option of line 6
                base + "/5.bin");
        Path out = dir.resolve("out");

        Runs run = Runs.of("--dry-run", "-o", out.toString(), file.toString());

        assertEquals(1, run.status(), run.toString());
        List<String> reports = run.reports();
        assertEquals(2, reports.size(), run.err());
        assertTrue(reports.get(0).startsWith(file + ":3: line is " + (20 + tooLong.length()) + " characters long, more than 8192"), run.err());
        assertTrue(reports.get(1).startsWith(file + ":7: option line is " + (17 + tooLong.length()) + " characters long, more than 8192"), run.err());
        List<String> planned = run.out().lines().filter(l -> l.contains(" -> ")).map(l -> l.substring(l.indexOf(" -> ") + 4).strip()).toList();
        assertEquals(List.of("1.bin", "2.bin", "3.bin", "four.bin", "5.bin").stream().map(n -> out.resolve(n).toString()).toList(), planned, run.out());
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstUrl() throws Exception {
        server.stubFor(get(urlMatching("/good/.*")).willReturn(aResponse().withBody("ok")));
        Path file = Files.write(dir.resolve("bom.txt"), ("\uFEFF" + server.baseUrl() + "/good/first.bin\n").getBytes(StandardCharsets.UTF_8));
        Runs run = Runs.of("-o", dir.resolve("out").toString(), file.toString());
        assertEquals(0, run.status(), run.toString());
        assertEquals(List.of("first.bin"), Runs.files(dir.resolve("out")));
    }

    @Test
    void aBinaryFileGivenAsTheListIsOneLineNotAFlood() throws Exception {
        byte[] garbage = new byte[200_000];
        new java.util.Random(1).nextBytes(garbage);
        Path file = Files.write(dir.resolve("photo.jpg"), garbage);
        Runs run = Runs.of("-o", dir.resolve("out").toString(), file.toString());
        assertEquals(2, run.status(), run.toString());
        assertEquals(List.of("Download.java: " + file + " is not a text file (it holds NUL bytes): give a file with one URL per line"),
                run.err().lines().toList());
    }

    @Test
    void manyBadLinesAreReportedUpToAFewDozenThenCounted() throws Exception {
        server.stubFor(get(urlMatching("/good/.*")).willReturn(aResponse().withBody("ok")));
        List<String> lines = new java.util.ArrayList<>(List.of(server.baseUrl() + "/good/kept.bin"));
        for (int i = 0; i < 500; i++) {
            lines.add("not a url " + i);
        }
        Path file = Runs.list(dir, lines.toArray(String[]::new));
        Runs run = Runs.of("-o", dir.resolve("out").toString(), file.toString());
        assertEquals(1, run.status(), run.toString());
        List<String> reports = run.reports();
        assertEquals(Cli.MAX_PROBLEMS_SHOWN + 1, reports.size(), run.err());
        assertEquals(file + ": 450 more problems not shown (500 in all)", reports.getLast());
        assertEquals(List.of("kept.bin"), Runs.files(dir.resolve("out")));
    }

    @Test
    void portZeroAndARangeHeaderAreRejectedBeforeAnyRequest() throws Exception {
        Path file = Runs.list(dir, "http://127.0.0.1:0/x", server.baseUrl() + "/good/r.bin", "  header=Range: bytes=5-");
        Runs run = Runs.of("-o", dir.resolve("out").toString(), file.toString());
        assertTrue(run.err().contains(file + ":1: port 0 is out of range (1-65535)"), run.err());
        assertTrue(run.err().contains(file + ":3: header 'Range' is set by Download.java itself"), run.err());
        Runs given = Runs.of("-H", "If-Range: x", file.toString());
        assertEquals(2, given.status(), given.toString());
        assertTrue(given.err().contains("--header: header 'If-Range' is set by Download.java itself"), given.err());
    }
}
