package dl;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FileNamesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://example.org/data/report.pdf             | report.pdf",
            "https://example.org/a/b%20c.txt                 | b c.txt",
            "https://example.org/caf%C3%A9.csv               | café.csv",
            "https://example.org/a%2F..%2F..%2Fetc%2Fpasswd   | a_.._.._etc_passwd",
            "https://example.org/%2E%2E                      | index.html",
            "https://example.org/                            | index.html",
            "https://example.org                             | index.html",
            "https://example.org/dir/?q=1                    | index.html",
            "https://example.org/x.zip?token=abc             | x.zip",
            "https://example.org/nul.txt                     | _nul.txt",
            "https://example.org/a+b.txt                     | a+b.txt",
            "https://example.org/%00evil%0A.txt              | evil.txt",
            "https://example.org/100%25.txt                  | 100%.txt",
    })
    void urlNamesAreDecodedAndMadeSafe(String url, String name) {
        assertEquals(name, FileNames.fromUrl(URI.create(url)));
    }

    @Test
    void longNamesKeepTheirExtensionWithinTheByteLimit() {
        String name = FileNames.sanitize("é".repeat(300) + ".tar.gz");
        assertEquals(true, name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= FileNames.MAX_BYTES);
        assertEquals(true, name.endsWith(".gz"));
    }

    @Test
    void aBatchNeverPlansTwoDownloadsOntoOneFileOrOneAnothersPartFile() throws InterruptedException {
        List<UrlList.Entry> entries = List.of(
                entry("https://a.example/x.bin"), entry("https://b.example/x.bin"), entry("https://c.example/X.BIN"),
                entry("https://d.example/README"), entry("https://e.example/README"));
        List<String> names = Plan.names(entries).stream().map(Job::name).toList();
        assertEquals(List.of("x.bin", "x.1.bin", "X.2.BIN", "README", "README.1"), names);
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void twoLongNamesAtTheLimitGetNumbersInsteadOfPlanningForEver() throws InterruptedException {
        String segment = "n".repeat(199) + ".bin";
        List<String> names = Plan.names(List.of(entry("https://a.example/" + segment), entry("https://b.example/" + segment),
                entry("https://c.example/" + segment))).stream().map(Job::name).toList();
        assertEquals(3, names.stream().distinct().count(), names.toString());
        assertEquals(true, names.get(1).endsWith(".1.bin") && names.get(2).endsWith(".2.bin"), names.toString());
        names.forEach(n -> assertEquals(true, n.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= FileNames.MAX_BYTES, n));
    }

    @Test
    void aCutNeverLeavesANameEndingInPart() {
        String name = FileNames.sanitize("y".repeat(195) + ".part." + "z".repeat(20));
        assertEquals(false, name.toLowerCase().endsWith(".part"), name);
        assertEquals(true, name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= FileNames.MAX_BYTES, name);
    }

    @Test
    void invisibleFormattingCharactersAreDroppedFromNames() {
        assertEquals("photogpj.exe", FileNames.fromUrl(URI.create("https://example.org/photo%E2%80%AEgpj.exe")));
    }

    private static UrlList.Entry entry(String url) {
        return new UrlList.Entry(1, URI.create(url), null, null, List.of());
    }
}
