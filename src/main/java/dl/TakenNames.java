package dl;

import java.util.Locale;
import java.util.function.Predicate;

/**
 * The names a plan gave its jobs, for the whole list (also when a run downloads only a shard of it): a name the
 * server chooses later must not take one of them, or the list's own URL would lose its name. Read-only once
 * planned; shared by every job of the plan, so equal only to itself.
 */
final class TakenNames {

    /** A job planned on its own: there is no other name to keep free. */
    static final TakenNames NONE = new TakenNames(key -> false);

    /** Whether the plan gave a name of this {@link #key}: asked of the plan once it has taken every name. */
    private final Predicate<String> planned;

    TakenNames(Predicate<String> planned) {
        this.planned = planned;
    }

    /** True when the plan gave {@code name} (or a name a case-insensitive file system would merge with it) to a job named other than {@code own}. */
    boolean forAnother(String name, String own) {
        String key = key(name);
        return planned.test(key) && !key.equals(key(own));
    }

    /** Case-folded, so two names that one case-insensitive file system would merge count as one. */
    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "the plan's names";
    }
}
