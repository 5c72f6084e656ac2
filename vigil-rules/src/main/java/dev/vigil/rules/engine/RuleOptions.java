package dev.vigil.rules.engine;

import dev.vigil.rules.fields.FieldCatalog;
import dev.vigil.rules.fields.UserDb;
import java.util.Set;

/**
 * How rules are loaded and evaluated. Rule names in {@code disabledRules}/{@code enabledRules} may be glob
 * patterns ({@code "Write below*"}).
 *
 * @param minPriority   rules less severe than this are not evaluated
 * @param disabledRules rules disabled by name
 * @param enabledRules  rules enabled by name even when the file disables them (applied last)
 * @param disabledTags  rules with any of these tags are disabled
 * @param enabledTags   when not empty, only rules with at least one of these tags are enabled
 * @param matching      first matching rule per event, or all
 * @param hostname      reported as {@code evt.hostname} and in alerts
 * @param users         user and group names for {@code user.name} and friends
 */
public record RuleOptions(Priority minPriority, Set<String> disabledRules, Set<String> enabledRules,
                          Set<String> disabledTags, Set<String> enabledTags, RuleMatching matching, String hostname,
                          UserDb users, FieldCatalog catalog) {
    public RuleOptions {
        disabledRules = Set.copyOf(disabledRules);
        enabledRules = Set.copyOf(enabledRules);
        disabledTags = Set.copyOf(disabledTags);
        enabledTags = Set.copyOf(enabledTags);
    }

    /** Every rule at every priority, first match, host name "vigil", root only. */
    public static RuleOptions defaults() {
        return new RuleOptions(Priority.DEBUG, Set.of(), Set.of(), Set.of(), Set.of(), RuleMatching.FIRST, "vigil",
                UserDb.rootOnly(), FieldCatalog.standard());
    }

    public RuleOptions withMinPriority(Priority p) { return new RuleOptions(p, disabledRules, enabledRules, disabledTags, enabledTags, matching, hostname, users, catalog); }

    public RuleOptions withDisabledRules(Set<String> s) { return new RuleOptions(minPriority, s, enabledRules, disabledTags, enabledTags, matching, hostname, users, catalog); }

    public RuleOptions withEnabledRules(Set<String> s) { return new RuleOptions(minPriority, disabledRules, s, disabledTags, enabledTags, matching, hostname, users, catalog); }

    public RuleOptions withDisabledTags(Set<String> s) { return new RuleOptions(minPriority, disabledRules, enabledRules, s, enabledTags, matching, hostname, users, catalog); }

    public RuleOptions withEnabledTags(Set<String> s) { return new RuleOptions(minPriority, disabledRules, enabledRules, disabledTags, s, matching, hostname, users, catalog); }

    public RuleOptions withMatching(RuleMatching m) { return new RuleOptions(minPriority, disabledRules, enabledRules, disabledTags, enabledTags, m, hostname, users, catalog); }

    public RuleOptions withHostname(String h) { return new RuleOptions(minPriority, disabledRules, enabledRules, disabledTags, enabledTags, matching, h, users, catalog); }

    public RuleOptions withUsers(UserDb u) { return new RuleOptions(minPriority, disabledRules, enabledRules, disabledTags, enabledTags, matching, hostname, u, catalog); }
}
