package dev.vigil.rules.load;

import static dev.vigil.rules.testing.Events.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rules.engine.RuleEngine;
import dev.vigil.rules.engine.RulesSource;
import dev.vigil.rules.testing.TestEngine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** append, override (append/replace), enabled, exceptions, and later files amending earlier ones. */
class AmendmentsTest {
    private static final String BASE = """
            - list: shells
              items: [bash]
            - macro: spawned
              condition: evt.type = execve
            - rule: Shell
              desc: a shell
              condition: spawned and proc.name in (shells)
              output: shell %proc.name
              priority: WARNING
              tags: [shell]
            """;

    private static RuleEngine load(String second) {
        RuleEngine e = RuleEngine.loadSources(List.of(RulesSource.text("base.yaml", BASE), RulesSource.text("local.yaml", second)),
                TestEngine.options());
        assertThat(e.errors()).isEmpty();
        return e;
    }

    @Test
    void legacy_append_to_a_list() {
        RuleEngine e = load("- list: shells\n  items: [zsh]\n  append: true\n");
        assertThat(TestEngine.fired(e, exec(proc("zsh")))).containsExactly("Shell");
    }

    @Test
    void override_replace_of_list_items() {
        RuleEngine e = load("- list: shells\n  items: [zsh]\n  override:\n    items: replace\n");
        assertThat(TestEngine.fired(e, exec(proc("zsh")))).containsExactly("Shell");
        assertThat(TestEngine.fired(e, exec(proc("bash")))).isEmpty();
    }

    @Test
    void override_append_of_a_rule_condition_and_replace_of_priority() {
        RuleEngine e = load("""
                - rule: Shell
                  condition: and not user.name = root
                  priority: ERROR
                  override:
                    condition: append
                    priority: replace
                """);
        assertThat(TestEngine.fired(e, exec(proc("bash")))).isEmpty();
        assertThat(TestEngine.fired(e, exec(proc("bash").user(1000)))).containsExactly("Shell");
        assertThat(e.rule("Shell").priority().name()).isEqualTo("ERROR");
    }

    @Test
    void override_of_a_macro_condition() {
        RuleEngine e = load("- macro: spawned\n  condition: evt.type = openat\n  override:\n    condition: replace\n");
        assertThat(TestEngine.fired(e, exec(proc("bash")))).isEmpty();
        assertThat(e.rule("Shell").eventTypes().names()).containsExactly("openat");
    }

    @Test
    void enabled_false_disables_and_a_later_enabled_true_restores() {
        RuleEngine off = load("- rule: Shell\n  enabled: false\n");
        assertThat(off.rule("Shell").enabled()).isFalse();
        assertThat(TestEngine.fired(off, exec(proc("bash")))).isEmpty();
        assertThat(off.syscalls()).isEmpty();
        RuleEngine on = load("- rule: Shell\n  enabled: false\n- rule: Shell\n  enabled: true\n");
        assertThat(on.rule("Shell").enabled()).isTrue();
    }

    @Test
    void override_append_of_tags_and_output() {
        RuleEngine e = load("""
                - rule: Shell
                  tags: [mitre_execution]
                  output: (user=%user.name)
                  override:
                    tags: append
                    output: append
                """);
        assertThat(e.rule("Shell").tags()).containsExactly("shell", "mitre_execution");
        assertThat(TestEngine.alerts(e, exec(proc("bash"))).getFirst().message()).isEqualTo("shell bash (user=root)");
    }

    @Test
    void exceptions_with_tuples_single_fields_and_appended_values() {
        RuleEngine e = load("""
                - rule: Shell
                  exceptions:
                    - name: known_parents
                      fields: [proc.pname, user.name]
                      comps: [=, in]
                      values:
                        - [java, [root, app]]
                    - name: shells_by_name
                      fields: proc.exepath
                      comps: in
                      values: [/opt/bin/bash]
                  override:
                    exceptions: append
                - rule: Shell
                  exceptions:
                    - name: known_parents
                      values:
                        - [node, [app]]
                  override:
                    exceptions: append
                """);
        assertThat(TestEngine.fired(e, exec(proc("bash").parent("java", "/usr/bin/java")))).isEmpty();
        assertThat(TestEngine.fired(e, exec(proc("bash").parent("node", "/usr/bin/node")))).containsExactly("Shell");
        assertThat(TestEngine.fired(e, exec(proc("bash").user(1000).parent("node", "/usr/bin/node")))).isEmpty();
        assertThat(TestEngine.fired(e, exec(proc("bash").exe("/opt/bin/bash")))).isEmpty();
        assertThat(TestEngine.fired(e, exec(proc("bash").parent("python3", "/usr/bin/python3")))).containsExactly("Shell");
    }

    @Test
    void the_vigil_extension_can_be_added_from_a_vigil_only_file() {
        RuleEngine e = load("""
                - rule: Shell
                  vigil:
                    actions: [alert, kill, {webhook: "https://hooks.example/x"}]
                    scope: {environment: [prod], labels: {team: payments}}
                  override:
                    vigil: replace
                """);
        var vx = e.rule("Shell").vigil();
        assertThat(vx.actions()).extracting(a -> a.kind().name()).containsExactly("ALERT", "KILL", "WEBHOOK");
        assertThat(vx.actions().get(2).target()).isEqualTo("https://hooks.example/x");
        assertThat(vx.appliesTo(workload("shop", "prod", java.util.Map.of("team", "payments")))).isTrue();
        assertThat(vx.appliesTo(workload("shop", "dev", java.util.Map.of("team", "payments")))).isFalse();
    }

    @Test
    void lists_nest_and_macros_nest() {
        RuleEngine e = load("""
                - list: more_shells
                  items: [shells, fish]
                - macro: shell_proc
                  condition: proc.name in (more_shells)
                - macro: shell_spawn
                  condition: spawned and shell_proc
                - rule: Any shell
                  desc: d
                  condition: shell_spawn
                  output: o
                  priority: NOTICE
                """);
        assertThat(TestEngine.fired(e, exec(proc("fish")))).containsExactly("Any shell");
        assertThat(TestEngine.fired(e, exec(proc("bash")))).containsExactly("Shell", "Any shell");
    }

    private static dev.vigil.event.Workload workload(String project, String environment, java.util.Map<String, String> labels) {
        return new dev.vigil.event.Workload("api", "c1", "api", "img", "1", project, environment, null, labels);
    }
}
