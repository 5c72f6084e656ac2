package dev.vigil.response.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.event.Workload;
import dev.vigil.rules.engine.CompiledRule;
import dev.vigil.rules.engine.RuleEngine;
import dev.vigil.rules.engine.RuleOptions;
import dev.vigil.rules.engine.RulesSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policy files: resolution order, scopes, actions, and load errors with their line and column. */
class PolicyTest {
    private static RuleEngine rules;

    @BeforeAll
    static void loadRules() {
        rules = RuleEngine.loadSources(List.of(RulesSource.text("rules.yaml", """
                - rule: Vigil Reverse Shell
                  desc: d
                  condition: evt.type = connect
                  output: o
                  priority: CRITICAL
                  tags: [mitre_execution]
                - rule: Write below etc
                  desc: d
                  condition: evt.type = openat
                  output: o
                  priority: ERROR
                  tags: [filesystem]
                - rule: Read shadow
                  desc: d
                  condition: evt.type = openat
                  output: o
                  priority: WARNING
                  tags: [filesystem]
                  vigil:
                    actions: [alert, {block: EACCES}, {webhook: tracker}, {webhook: "https://hooks.example/x"}, {webhook: nowhere}]
                    scope: {environment: [production]}
                - rule: Plain
                  desc: d
                  condition: evt.type = execve
                  output: o
                  priority: NOTICE
                """)), RuleOptions.defaults());
        assertThat(rules.errors()).isEmpty();
    }

    private static CompiledRule rule(String name) { return rules.rule(name); }

    private static Workload workload(String name, String project, String env, Map<String, String> labels) {
        return new Workload(name, "c1", name, "registry/shop/api", "1.4", project, env, null, labels);
    }

    private static final Workload PROD_API = workload("api-1", "shop", "production", Map.of("team", "payments"));
    private static final Workload STAGING = workload("api-1", "shop", "staging", Map.of());

    static final String POLICY = """
            version: 1
            noise:
              dedup_window: 30s
              rate_limit: 600/m
              burst: 5
            webhooks:
              tracker:
                url: https://tracker.example/api/findings
                headers: {Authorization: "Bearer ${env:TRACKER_TOKEN}"}
                timeout: 2s
            policies:
              - name: prod-enforce
                match: {environment: [production], project: [shop], workload: ["api-*"], image: ["registry/shop/*"], labels: {team: payments}}
                rules: ["Vigil Reverse Shell*", "Write below etc"]
                actions: [alert, block, {kill: group}, {webhook: tracker}]
              - name: staging-watch
                match: {environment: [staging]}
                tags: [filesystem]
                actions: [alert, {block: ENOENT}, dry-run]
              - name: quiet
                match: {environment: [staging]}
                rules: [Plain]
                actions: []
            """;

    private static Policy policy() throws PolicyException {
        return Policy.parse("policy.yaml", POLICY, Map.of("TRACKER_TOKEN", "s3cret"));
    }

    @Test
    void reads_noise_and_webhooks_with_env_expansion() throws PolicyException {
        Policy p = policy();
        assertThat(p.noise()).isEqualTo(new NoiseSettings(Duration.ofSeconds(30), 10, 5));
        WebhookTarget t = p.webhooks().get("tracker");
        assertThat(t.url()).hasToString("https://tracker.example/api/findings");
        assertThat(t.headers()).containsEntry("Authorization", "Bearer s3cret");
        assertThat(t.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.entryNames()).containsExactly("prod-enforce", "staging-watch", "quiet");
    }

    @Test
    void the_first_matching_entry_gives_the_plan() throws PolicyException {
        Policy p = policy();
        ResponsePlan prod = p.planFor(rule("Vigil Reverse Shell"), PROD_API, false);
        assertThat(prod).isEqualTo(new ResponsePlan(true, true, 1, "EPERM", KillTarget.GROUP,
                List.of(p.webhooks().get("tracker")), false, "policy prod-enforce"));
        assertThat(prod.enforcing()).isTrue();

        ResponsePlan staging = p.planFor(rule("Write below etc"), STAGING, false);
        assertThat(staging.source()).isEqualTo("policy staging-watch");
        assertThat(staging.block()).isTrue();
        assertThat(staging.errnoName()).isEqualTo("ENOENT");
        assertThat(staging.errno()).isEqualTo(2);
        assertThat(staging.dryRun()).isTrue();
    }

    @Test
    void an_entry_without_actions_silences_the_rule() throws PolicyException {
        ResponsePlan plan = policy().planFor(rule("Plain"), STAGING, false);
        assertThat(plan).isEqualTo(new ResponsePlan(false, false, 0, null, null, List.of(), false, "policy quiet"));
        assertThat(plan.enforcing()).isFalse();
    }

    @Test
    void the_rule_extension_applies_in_its_scope_and_only_alerts_outside() throws PolicyException {
        Policy p = policy();
        Workload prodOther = workload("batch", "shop", "production", Map.of());
        ResponsePlan inScope = p.planFor(rule("Read shadow"), prodOther, false);
        assertThat(inScope.source()).isEqualTo("rule file");
        assertThat(inScope.alert()).isTrue();
        assertThat(inScope.errnoName()).isEqualTo("EACCES");
        assertThat(inScope.errno()).isEqualTo(13);
        assertThat(inScope.webhooks()).extracting(WebhookTarget::name).containsExactly("tracker", "https://hooks.example/x");
        assertThat(p.warnings()).singleElement().asString()
                .contains("rule 'Read shadow'").contains("webhook 'nowhere' is not defined in policy.yaml");

        Workload dev = workload("batch", "shop", "dev", Map.of());
        assertThat(p.planFor(rule("Read shadow"), dev, false)).isEqualTo(ResponsePlan.alertOnly("rule file"));
    }

    @Test
    void without_policy_or_extension_a_rule_alerts() throws PolicyException {
        assertThat(policy().planFor(rule("Plain"), PROD_API, false)).isEqualTo(ResponsePlan.alertOnly("default"));
        Policy none = Policy.none();
        assertThat(none.noise()).isEqualTo(NoiseSettings.defaults());
        assertThat(none.planFor(rule("Vigil Reverse Shell"), PROD_API, false)).isEqualTo(ResponsePlan.alertOnly("default"));
        ResponsePlan ext = none.planFor(rule("Read shadow"), PROD_API, false);
        assertThat(ext.block()).isTrue();
        assertThat(ext.webhooks()).extracting(WebhookTarget::name).containsExactly("https://hooks.example/x");
        assertThat(none.warnings()).hasSize(2);
    }

    @Test
    void global_dry_run_keeps_what_would_be_done() throws PolicyException {
        ResponsePlan plan = policy().planFor(rule("Vigil Reverse Shell"), PROD_API, true);
        assertThat(plan.dryRun()).isTrue();
        assertThat(plan.block()).isTrue();
        assertThat(plan.kill()).isEqualTo(KillTarget.GROUP);
        assertThat(plan.enforcing()).isTrue();
    }

    @Test
    void a_workload_outside_the_match_falls_through() throws PolicyException {
        Workload otherTeam = workload("api-1", "shop", "production", Map.of("team", "search"));
        assertThat(policy().planFor(rule("Vigil Reverse Shell"), otherTeam, false)).isEqualTo(ResponsePlan.alertOnly("default"));
        Workload noProject = workload("api-1", null, "production", Map.of("team", "payments"));
        assertThat(policy().planFor(rule("Vigil Reverse Shell"), noProject, false).source()).isEqualTo("default");
    }

    @Test
    void load_reads_a_file(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.yaml");
        Files.writeString(f, "version: 1\n");
        Policy p = Policy.load(f, Map.of());
        assertThat(p.noise()).isEqualTo(NoiseSettings.defaults());
        assertThat(p.entryNames()).isEmpty();
        assertThatThrownBy(() -> Policy.load(dir.resolve("missing.yaml"), Map.of()))
                .isInstanceOf(PolicyException.class).hasMessageStartingWith(dir.resolve("missing.yaml") + ": cannot read");
    }

    @Test
    void zero_disables_noise_control() throws PolicyException {
        Policy p = Policy.parse("p.yaml", """
                version: 1
                noise: {dedup_window: 0, rate_limit: 0, burst: 0}
                """, Map.of());
        assertThat(p.noise().dedupEnabled()).isFalse();
        assertThat(p.noise().rateLimited()).isFalse();
    }

    // ---- errors

    private static List<String> problems(String yaml) {
        try {
            Policy.parse("p.yaml", yaml, Map.of());
        } catch (PolicyException e) {
            assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
            return e.problems();
        }
        throw new AssertionError("expected a PolicyException");
    }

    @Test
    void noise_and_webhook_errors_name_line_and_column() {
        assertThat(problems("""
                version: 1
                noise:
                  dedup_window: 60x
                  rate_limit: fast
                  burst: -1
                  jitter: 2
                webhooks:
                  tracker:
                    url: ftp://tracker.example/x
                    headers: {Authorization: "Bearer ${env:NO_SUCH_TOKEN}"}
                    timeout: 0s
                  other: {headers: {}}
                """)).containsExactly(
                "p.yaml:6:3: unknown key 'jitter' (use burst, dedup_window, rate_limit)",
                "p.yaml:3:17: dedup_window: bad duration '60x' (use e.g. 500ms, 60s, 5m, 1h, or 0 to disable)",
                "p.yaml:4:15: rate_limit: bad rate 'fast' (use e.g. 20/s, 600/m, 1000/h, or 0 to disable)",
                "p.yaml:5:10: burst: expected a whole number >= 0, not '-1'",
                "p.yaml:9:10: webhooks.tracker.url: 'ftp://tracker.example/x': only http and https URLs are supported",
                "p.yaml:10:30: environment variable NO_SUCH_TOKEN is not set",
                "p.yaml:11:14: webhooks.tracker.timeout: must be more than 0",
                "p.yaml:12:10: webhooks.other: missing 'url'");
    }

    @Test
    void policy_entry_errors_name_line_and_column() {
        assertThat(problems("""
                version: 1
                webhooks:
                  tracker: {url: "https://t.example/x"}
                policies:
                  - name: a
                    match: {environment: prod, region: eu}
                    rules: ["*"]
                    actions: [alert, {block: EWHAT}, {webhook: nope}, {kill: thread}, explode]
                  - name: a
                    match: {labels: [x]}
                    actions: [alert]
                  - name: c
                    rules: "*"
                  - rules: [x]
                    actions: alert
                    extra: 1
                  - just a string
                """)).containsExactly(
                "p.yaml:6:32: policy 'a': match: unknown scope key 'region' (use project, environment, workload, image, labels)",
                "p.yaml:8:22: policy 'a': block: unknown errno 'EWHAT' (e.g. EPERM, EACCES, ENOENT, ECONNREFUSED)",
                "p.yaml:8:38: policy 'a': webhook 'nope' is not defined under webhooks:",
                "p.yaml:8:55: policy 'a': kill: expected process or group, not 'thread'",
                "p.yaml:8:71: policy 'a': unknown action 'explode' (use alert, block, {block: ERRNO}, kill, "
                        + "{kill: process|group}, {webhook: URL-or-name}, dry-run)",
                "p.yaml:9:11: duplicate policy name 'a'",
                "p.yaml:10:21: policy 'a': match: labels: expected a mapping of label name to pattern",
                "p.yaml:9:5: policy 'a': missing 'rules' or 'tags' (which rules the entry is for; rules: [\"*\"] for all)",
                "p.yaml:12:5: policy 'c': missing 'actions' (actions: [] silences the rules in this scope)",
                "p.yaml:16:5: unknown key 'extra' (use actions, match, name, rules, tags)",
                "p.yaml:14:5: policy entry: missing 'name'",
                "p.yaml:17:5: policies: each entry is a mapping with name, match, rules/tags, actions");
    }

    @Test
    void structure_errors() {
        assertThat(problems("policies: []\n")).containsExactly("p.yaml:1:1: missing 'version' (use version: 1)");
        assertThat(problems("version: 2\nversion: 1\n")).containsExactly(
                "p.yaml:2:1: duplicate key 'version'", "p.yaml:1:10: unsupported version (only 1 is known)");
        assertThat(problems("")).containsExactly("p.yaml:1:1: empty policy file (expected version: 1)");
        assertThat(problems("- a\n")).containsExactly("p.yaml:1:1: expected a mapping with version, noise, webhooks, policies");
        assertThat(problems("version: 1\npolicies: {a: 1}\n")).containsExactly("p.yaml:2:11: policies: expected a list of policy entries");
        assertThat(problems("version: 1\nnoise: [\n")).singleElement().asString().startsWith("p.yaml:3:1: YAML syntax: ");
    }
}
