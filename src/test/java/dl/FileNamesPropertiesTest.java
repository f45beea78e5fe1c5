package dl;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Planning names for random and hostile URL lists: it ends, and every name keeps the rules. */
class FileNamesPropertiesTest {

    private static final Path DIR = Path.of("/downloads");

    @Property(tries = 300)
    void planningEndsWithUniqueSafeNames(@ForAll("hostileLists") List<String> segments) throws Exception {
        List<UrlList.Entry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            String raw = "https://h" + i + ".example/" + encode(segments.get(i));
            entries.add(new UrlList.Entry(i + 1, URI.create(raw), null, null, List.of()));
        }
        // Before the fix, two long names with an extension planned for ever: bound it.
        var planning = Executors.newVirtualThreadPerTaskExecutor().submit(() -> Plan.names(entries));
        List<Job> jobs = planning.get(10, TimeUnit.SECONDS);

        Set<String> keys = new HashSet<>();
        for (Job job : jobs) {
            String name = job.name();
            String key = name.toLowerCase(Locale.ROOT);
            assertTrue(keys.add(key), "unique: " + name);
            assertFalse(key.endsWith(FileNames.PART), "ends in .part: " + name);
            assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= FileNames.MAX_BYTES, "too long: " + name);
            assertFalse(name.isEmpty() || name.startsWith(".") || name.contains("/") || name.contains("\\"), name);
            assertEquals(DIR, DIR.resolve(name).normalize().getParent(), "stays in the folder: " + name);
            assertFalse(FileNames.hasFormatCharacters(name), "no invisible characters: " + name);
        }
        for (Job job : jobs) {
            assertFalse(keys.contains(job.name().toLowerCase(Locale.ROOT) + FileNames.PART), "a name is another's part file");
        }
    }

    @Provide
    Arbitrary<List<String>> hostileLists() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.strings().ofMinLength(0).ofMaxLength(260),
                Arbitraries.strings().withChars("aAé.-_/\\%\u202e\u0000\u001b ").ofMaxLength(30),
                Arbitraries.of("..", ".", ".part", "x.part", "CON", "nul.txt", "a.PART", "", " ", "....", "é"));
        Arbitrary<String> extensions = Arbitraries.of("", ".bin", ".tar.gz", ".part", ".PART", ".", ".txt.part");
        Arbitrary<String> name = Combinators.combine(pieces, Arbitraries.integers().between(0, 260), extensions)
                .as((piece, repeat, ext) -> piece + "y".repeat(repeat) + ext);
        // Repeat names often: collisions are what planning must resolve.
        return name.list().ofMaxSize(40).map(list -> {
            List<String> doubled = new java.util.ArrayList<>(list);
            doubled.addAll(list);
            return doubled;
        });
    }

    private static String encode(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (Character.isLetterOrDigit(c) && c < 0x80 || c == '.' || c == '-' || c == '_') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
