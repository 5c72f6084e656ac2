package dev.vigil.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.event.Workload;
import dev.vigil.rules.engine.VigilExtension.Action;
import dev.vigil.rules.engine.VigilExtension.Action.Kind;
import dev.vigil.rules.load.LoadProblem;
import dev.vigil.rules.testing.TestEngine;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code vigil:} key: actions with their targets, scopes with globs, and errors that name the rule's place. */
class VigilExtensionTest {
    private static RuleEngine rule(String vigil) {
        return TestEngine.yaml("""
                - rule: R
                  desc: d
                  condition: evt.type = execve
                  output: o
                  priority: WARNING
                  vigil:
                """ + vigil.indent(4));
    }

    private static VigilExtension vigilOf(String vigil) {
        RuleEngine e = rule(vigil);
        assertThat(e.errors()).isEmpty();
        return e.rule("R").vigil();
    }

    private static Workload workload(String name, String image, String tag, String project, String env, Map<String, String> labels) {
        return new Workload(name, "c1", name, image, tag, project, env, null, labels);
    }

    @Test
    void actions_carry_their_targets_and_defaults() {
        VigilExtension vx = vigilOf("""
                actions: [alert, {block: eacces}, {kill: group}, {webhook: tracker},
                          {webhook: "https://hooks.example/x"}, dry-run, dry_run]
                """);
        assertThat(vx.actions()).containsExactly(new Action(Kind.ALERT, null), new Action(Kind.BLOCK, "EACCES"),
                new Action(Kind.KILL, "group"), new Action(Kind.WEBHOOK, "tracker"),
                new Action(Kind.WEBHOOK, "https://hooks.example/x"), new Action(Kind.DRY_RUN, null),
                new Action(Kind.DRY_RUN, null));
        assertThat(vx.actions().get(1).errno()).isEqualTo(13);
        assertThat(vigilOf("actions: [block, kill]").actions())
                .containsExactly(new Action(Kind.BLOCK, "EPERM"), new Action(Kind.KILL, "process"));
        assertThat(vigilOf("actions: [block]").actions().getFirst().errno()).isEqualTo(1);
    }

    @Test
    void no_actions_key_means_alert_and_an_empty_list_means_silence() {
        assertThat(vigilOf("scope: {environment: prod}").actions()).containsExactly(new Action(Kind.ALERT, null));
        assertThat(vigilOf("actions: []").actions()).isEmpty();
    }

    @Test
    void scope_matches_globs_on_every_key_and_labels() {
        VigilExtension vx = vigilOf("""
                scope:
                  project: shop
                  environment: [prod*, live]
                  workload: ["api-?"]
                  image: ["registry/shop/*"]
                  labels: {team: pay*}
                """);
        Map<String, String> team = Map.of("team", "payments");
        assertThat(vx.appliesTo(workload("api-1", "registry/shop/api", "1.2", "shop", "production", team))).isTrue();
        assertThat(vx.appliesTo(workload("api-1", "registry/shop/api", "1.2", "shop", "live", team))).isTrue();
        assertThat(vx.appliesTo(workload("api-12", "registry/shop/api", "1.2", "shop", "prod", team))).isFalse();
        assertThat(vx.appliesTo(workload("api-1", "registry/other/api", "1.2", "shop", "prod", team))).isFalse();
        assertThat(vx.appliesTo(workload("api-1", "registry/shop/api", "1.2", "shop", "staging", team))).isFalse();
        assertThat(vx.appliesTo(workload("api-1", "registry/shop/api", "1.2", "shop", "prod", Map.of()))).isFalse();
        assertThat(vx.appliesTo(workload("api-1", "registry/shop/api", "1.2", null, "prod", team))).isFalse();
    }

    @Test
    void image_patterns_see_the_tag_and_an_empty_scope_applies_everywhere() {
        VigilExtension vx = vigilOf("scope: {image: '*:1.2'}");
        assertThat(vx.appliesTo(workload("w", "registry/shop/api", "1.2", null, null, null))).isTrue();
        assertThat(vx.appliesTo(workload("w", "registry/shop/api", "1.3", null, null, null))).isFalse();
        VigilExtension all = vigilOf("actions: [alert]");
        assertThat(all.appliesTo(workload("w", null, null, null, null, null))).isTrue();
        assertThat(all.appliesTo(null)).isTrue();
    }

    @Test
    void bad_actions_and_scope_keys_are_errors_at_the_rule() {
        RuleEngine e = rule("""
                actions: [alert, explode, {block: EWHAT}, {kill: thread}, {webhook: "ftp://x/y"}, webhook, block, {block: EIO}]
                scope: {region: [eu], project: []}
                colour: red
                """);
        assertThat(e.errors()).extracting(LoadProblem::message).containsExactly(
                "vigil.actions: unknown action 'explode' (" + ResponseSyntax.ACTIONS_HINT + ")",
                "vigil.actions: block: unknown errno 'EWHAT' (e.g. EPERM, EACCES, ENOENT, ECONNREFUSED)",
                "vigil.actions: kill: expected process or group, not 'thread'",
                "vigil.actions: 'ftp://x/y': only http and https URLs are supported",
                "vigil.actions: webhook needs a target: {webhook: URL-or-name}",
                "vigil.actions: more than one block action",
                "vigil.scope: unknown scope key 'region' (use project, environment, workload, image, labels)",
                "vigil.scope: project: an empty list matches nothing; leave the key out",
                "vigil: unknown key 'colour' (use actions, scope)");
        assertThat(e.errors()).allSatisfy(p -> assertThat(p.where().position()).startsWith("test.yaml:1:"));
        assertThat(e.rule("R")).isNull();
    }
}
