package dl;

import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Defaults for long options from a file, as {@code ~/.wgetrc}, {@code ~/.curlrc} and {@code aria2.conf} give them:
 * {@code $XDG_CONFIG_HOME/download/config} (else {@code ~/.config/download/config}), or {@code --config FILE};
 * none with {@code --no-config}. One {@code option = value} a line, a flag as {@code option} or {@code option = true},
 * {@code #} comments.
 *
 * <p>The file's settings become arguments placed before the typed ones, rather than picocli's default-value
 * provider: picocli applies provided defaults after the command line, so {@code tries = 4} in the file overwrote a
 * typed {@code --retries 2} (two options, one field), and {@code quiet} from the file stood beside a typed
 * {@code --json} of the same exclusive group. Placed first, a typed option overwrites the file's as a later
 * argument does. A setting is left out when the command line has its option, or another of its exclusive group,
 * so that the typed one wins there too (also for repeatable options such as {@code header}).
 */
final class Config {

    /** A configuration file is a few dozen lines: more is another file given by mistake, or a device. */
    static final int MAX_BYTES = 1 << 20;

    /** Options that are no default of anything: they ask for something else than a download, or name this file. */
    private static final Set<String> NOT_DEFAULTS = Set.of("--help", "--version", "--config", "--no-config", "--completion");

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    /** One line of the file that sets an option; {@code value} is null for a flag. */
    record Setting(int line, OptionSpec option, String value) {}

    private final Path file;
    private final List<Setting> settings;

    private Config(Path file, List<Setting> settings) {
        this.file = file;
        this.settings = settings;
    }

    static final Config NONE = new Config(null, List.of());

    /** The file read, or null. */
    Path file() {
        return file;
    }

    /**
     * The file this command line asks for: {@code --config FILE}, none for {@code --no-config}, else the user's
     * own when it exists. {@code env} is the process environment (a test's own), never read from the JVM here.
     */
    static Path where(String[] args, Map<String, String> env) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                break;
            }
            if (arg.equals("--no-config")) {
                return null;
            }
            if (arg.equals("--config") && i + 1 < args.length) {
                return Path.of(home(args[i + 1], env));
            }
            if (arg.startsWith("--config=")) {
                return Path.of(home(arg.substring("--config=".length()), env));
            }
        }
        Path own = userFile(env);
        return own != null && Files.exists(own) ? own : null;
    }

    /** Whether the command line names a file itself, so that a missing one is an error, not a user without one. */
    static boolean given(String[] args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals("--config") || arg.startsWith("--config=")) {
                return true;
            }
        }
        return false;
    }

    /** The XDG base directory rule: an absolute $XDG_CONFIG_HOME, else $HOME/.config; null without either. */
    static Path userFile(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "download", "config");
        }
        String home = env.get("HOME");
        return home != null && !home.isEmpty() ? Path.of(home, ".config", "download", "config") : null;
    }

    /** {@code ~/x} as the shell would expand it; the file is no shell, but people write paths that way. */
    private static String home(String path, Map<String, String> env) {
        String home = env.get("HOME");
        return path.startsWith("~/") && home != null && !home.isEmpty() ? home + path.substring(1) : path;
    }

    /** Reads the file against the command's options; a line that is not a setting of one is a usage error. */
    static Config read(Path file, CommandSpec spec, Map<String, String> env) throws UsageError {
        String text = text(file);
        List<Setting> settings = new ArrayList<>();
        Map<ArgGroupSpec, Setting> exclusive = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int equals = line.indexOf('=');
            String name = (equals < 0 ? line : line.substring(0, equals)).strip().toLowerCase(Locale.ROOT);
            String value = equals < 0 ? null : unquote(line.substring(equals + 1).strip());
            name = name.startsWith("--") ? name.substring(2) : name;
            String where = file + ":" + n + ": ";
            if (!NAME.matcher(name).matches()) {
                throw new UsageError(where + "not 'option = value': give an option's long name, as --help shows it, without its dashes");
            }
            OptionSpec option = spec.optionsMap().get("--" + name);
            if (option == null || option.hidden()) {
                throw new UsageError(where + "unknown option '" + name + "' (the long options of --help, without their dashes)");
            }
            if (NOT_DEFAULTS.contains(option.longestName()) || NOT_DEFAULTS.contains("--" + name)) {
                throw new UsageError(where + "'" + name + "' is no default of a download; give it on the command line");
            }
            if (option.arity().max() == 0) {
                String flag = value == null ? "true" : value.toLowerCase(Locale.ROOT);
                if (!Set.of("true", "false", "yes", "no", "on", "off").contains(flag)) {
                    throw new UsageError(where + "'" + name + "' is a flag: write '" + name + "' or '" + name + " = true' (or false)");
                }
                if (Set.of("false", "no", "off").contains(flag)) {
                    continue; // no flag is on by default, so off is what leaving it out gives
                }
                value = null;
            } else if (value == null || value.isEmpty()) {
                throw new UsageError(where + "'" + name + "' needs a value: " + name + " = VALUE");
            } else if (option.type() == Path.class) {
                value = home(value, env);
            }
            Setting setting = new Setting(n, option, value);
            ArgGroupSpec group = option.group();
            if (group != null && group.exclusive()) {
                Setting first = exclusive.put(group, setting);
                if (first != null && first.option() != option) {
                    throw new UsageError(where + "'" + name + "' and '" + shortName(first.option()) + "' (line " + first.line()
                            + ") cannot both be set: give one of them");
                }
            }
            settings.add(setting);
        }
        return new Config(file, List.copyOf(settings));
    }

    private static String shortName(OptionSpec option) {
        return option.longestName().replaceFirst("^--", "");
    }

    /** A value in matching quotes keeps its spaces at either end: "X-Token: a b ". */
    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static String text(Path file) throws UsageError {
        // A folder, a device or a pipe would hang or flood the reading (/dev/zero is one endless line).
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new UsageError("the configuration file " + file + " is not a regular file (a folder, device or pipe); give a file, or --no-config");
        }
        byte[] bytes;
        try {
            bytes = SmallFile.read(file, MAX_BYTES, "the configuration file " + file
                    + " holds more than 1 MiB, which no configuration does (option = value lines)");
        } catch (SmallFile.TooLarge e) {
            throw new UsageError(e.getMessage());
        } catch (NoSuchFileException e) {
            throw new UsageError("--config " + file + ": no such file");
        } catch (IOException e) {
            throw new UsageError("cannot read the configuration file " + file + ": " + Format.message(e) + "; or give --no-config");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new UsageError("the configuration file " + file + " is not a text file (bytes that are not UTF-8)");
        }
    }

    /**
     * The arguments to parse: the file's settings whose option the command line does not set (nor another of its
     * exclusive group), then the command line as typed.
     */
    List<String> arguments(String[] args, CommandSpec spec) {
        if (settings.isEmpty()) {
            return List.of(args);
        }
        Set<OptionSpec> typed = typed(args, spec);
        List<String> all = new ArrayList<>();
        for (Setting setting : settings) {
            if (typed.contains(setting.option()) || typed.stream().anyMatch(t -> t.group() != null && t.group() == setting.option().group()
                    && t.group().exclusive())) {
                continue;
            }
            all.add(setting.option().longestName());
            if (setting.value() != null) {
                all.add(setting.value());
            }
        }
        all.addAll(List.of(args));
        return all;
    }

    /**
     * The options the command line sets, read as picocli reads them: {@code --name}, {@code --name=value},
     * {@code -x}, clustered short flags ({@code -qn}), and an option's value skipped; {@code --} ends the options.
     */
    static Set<OptionSpec> typed(String[] args, CommandSpec spec) {
        Set<OptionSpec> typed = new HashSet<>();
        Map<String, OptionSpec> options = spec.optionsMap();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                break;
            }
            OptionSpec exact = options.get(arg.contains("=") && arg.startsWith("--") ? arg.substring(0, arg.indexOf('=')) : arg);
            if (exact != null) {
                typed.add(exact);
                if (exact.arity().min() > 0 && !arg.contains("=")) {
                    i++;
                }
                continue;
            }
            if (arg.startsWith("-") && !arg.startsWith("--")) {
                for (int c = 1; c < arg.length(); c++) {
                    OptionSpec small = options.get("-" + arg.charAt(c));
                    if (small == null) {
                        break;
                    }
                    typed.add(small);
                    if (small.arity().min() > 0) {
                        if (c == arg.length() - 1) {
                            i++; // its value is the next argument
                        }
                        break; // the rest is its value
                    }
                }
            }
        }
        return typed;
    }

    /**
     * Names the line of the file when a message is about an option only the file set: "FILE:LINE: message".
     * Messages of picocli and of {@link Cli}'s checks name the option they refuse as {@code --name}.
     */
    String blame(String message, OptionSpec about, String[] args, CommandSpec spec) {
        if (settings.isEmpty() || message == null) {
            return message;
        }
        Set<OptionSpec> typed = typed(args, spec);
        Setting culprit = null;
        for (Setting setting : settings) {
            if (typed.contains(setting.option())) {
                continue;
            }
            boolean named = about != null ? about == setting.option()
                    : java.util.Arrays.stream(setting.option().names()).anyMatch(n -> n.startsWith("--")
                    && Pattern.compile("(?<![\\w-])" + Pattern.quote(n) + "(?![\\w-])").matcher(message).find());
            if (named) {
                culprit = setting; // the last line for it is the one that counted
            }
        }
        return culprit == null ? message : file + ":" + culprit.line() + ": " + message;
    }
}
