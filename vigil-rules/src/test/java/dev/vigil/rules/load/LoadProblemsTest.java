package dev.vigil.rules.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rules.engine.RuleEngine;
import dev.vigil.rules.engine.RulesSource;
import dev.vigil.rules.testing.TestEngine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every kind of bad input gives a precise, collected problem: file:line:col, item kind and name, code. */
class LoadProblemsTest {

    private static RuleEngine load(String yaml) {
        return TestEngine.yaml(yaml);
    }

    private static LoadProblem only(RuleEngine e) {
        assertThat(e.errors()).hasSize(1);
        return e.errors().getFirst();
    }

    @Test
    void malformed_yaml_points_at_the_syntax_error() {
        LoadProblem p = only(load("- rule: a\n  condition: [unclosed\n  output: x\n"));
        assertThat(p.code()).isEqualTo(ProblemCode.YAML_SYNTAX);
        assertThat(p.where().file()).isEqualTo("test.yaml");
        assertThat(p.where().line()).isEqualTo(3);
        assertThat(p.format()).startsWith("test.yaml:3:").contains("error[yaml-syntax]");
    }

    @Test
    void a_file_that_is_not_a_sequence_is_rejected() {
        assertThat(only(load("rule: a\n")).code()).isEqualTo(ProblemCode.BAD_STRUCTURE);
    }

    @Test
    void undefined_macro_names_the_rule_and_column() {
        LoadProblem p = only(load("""
                - rule: Shell in container
                  desc: d
                  condition: evt.type = execve and shel_procs
                  output: o
                  priority: WARNING
                """));
        assertThat(p.code()).isEqualTo(ProblemCode.UNDEFINED_MACRO);
        assertThat(p.where()).isEqualTo(new SourceRef("test.yaml", 3, 36, ItemKind.RULE, "Shell in container"));
        String[] lines = p.format().split("\n");
        assertThat(lines[0]).isEqualTo("test.yaml:3:36: error[undefined-macro]: rule 'Shell in container': undefined macro 'shel_procs'");
        assertThat(lines[1]).isEqualTo("    condition: evt.type = execve and shel_procs");
        assertThat(lines[2].indexOf('^')).isEqualTo(lines[1].indexOf("shel_procs"));
    }

    @Test
    void undefined_list_after_a_list_operator() {
        LoadProblem p = only(load("""
                - rule: r
                  desc: d
                  condition: >
                    evt.type = execve and
                    proc.name in shell_binarys
                  output: o
                  priority: WARNING
                """));
        assertThat(p.code()).isEqualTo(ProblemCode.UNDEFINED_LIST);
        assertThat(p.where().line()).isEqualTo(5);
        assertThat(p.where().col()).isEqualTo(18);
        assertThat(p.message()).contains("shell_binarys");
    }

    @Test
    void unknown_field_suggests_the_nearest_name() {
        LoadProblem p = only(load("""
                - rule: Shell in container
                  desc: d
                  condition: evt.type = execve and proc.nme = bash
                  output: o
                  priority: WARNING
                """));
        assertThat(p.code()).isEqualTo(ProblemCode.UNKNOWN_FIELD);
        assertThat(p.format()).startsWith("test.yaml:3:36: error[unknown-field]: rule 'Shell in container': unknown field 'proc.nme'")
                .contains("did you mean 'proc.name'");
    }

    @Test
    void unknown_field_inside_a_macro_points_at_the_macro() {
        LoadProblem p = only(load("""
                - macro: m
                  condition: proc.bogus = 1
                - rule: r
                  desc: d
                  condition: evt.type = execve and m
                  output: o
                  priority: WARNING
                """));
        assertThat(p.where()).isEqualTo(new SourceRef("test.yaml", 2, 14, ItemKind.MACRO, "m"));
        assertThat(p.message()).contains("(in rule 'r')");
    }

    @Test
    void wrong_operator_for_the_field_type() {
        LoadProblem p = only(load("""
                - rule: r
                  desc: d
                  condition: evt.type = openat and fd.num contains 3
                  output: o
                  priority: WARNING
                """));
        assertThat(p.code()).isEqualTo(ProblemCode.BAD_OPERATOR);
        assertThat(p.where().col()).isEqualTo(36);
    }

    @Test
    void duplicate_rule_in_one_file_is_an_error_across_files_a_replacement() {
        String rule = "- rule: r\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: WARNING\n";
        LoadProblem p = only(load(rule + rule));
        assertThat(p.code()).isEqualTo(ProblemCode.DUPLICATE);
        assertThat(p.where().line()).isEqualTo(6);
        RuleEngine two = RuleEngine.loadSources(List.of(RulesSource.text("a.yaml", rule), RulesSource.text("b.yaml",
                rule.replace("WARNING", "ERROR"))), TestEngine.options());
        assertThat(two.errors()).isEmpty();
        assertThat(two.rules()).singleElement().satisfies(r -> assertThat(r.priority().name()).isEqualTo("ERROR"));
        assertThat(two.problems()).anySatisfy(w -> assertThat(w.code()).isEqualTo(ProblemCode.DUPLICATE));
    }

    @Test
    void macro_cycles_are_reported_with_the_path() {
        RuleEngine e = load("""
                - macro: a
                  condition: b and proc.name = x
                - macro: b
                  condition: evt.type = execve and a
                - rule: r
                  desc: d
                  condition: a
                  output: o
                  priority: WARNING
                """);
        assertThat(e.errors()).anySatisfy(p -> {
            assertThat(p.code()).isEqualTo(ProblemCode.MACRO_CYCLE);
            assertThat(p.message()).contains("a -> b -> a");
        });
        assertThat(e.rules()).isEmpty();
    }

    @Test
    void list_cycles_are_reported() {
        RuleEngine e = load("""
                - list: l1
                  items: [a, l2]
                - list: l2
                  items: [l1]
                - rule: r
                  desc: d
                  condition: evt.type = execve and proc.name in (l1)
                  output: o
                  priority: WARNING
                """);
        assertThat(e.errors()).extracting(LoadProblem::code).contains(ProblemCode.LIST_CYCLE);
    }

    @Test
    void condition_syntax_errors_point_into_block_scalars() {
        LoadProblem p = only(load("""
                - rule: r
                  desc: d
                  condition: >
                    evt.type = execve
                    and (proc.name = bash
                  output: o
                  priority: WARNING
                """));
        assertThat(p.code()).isEqualTo(ProblemCode.CONDITION_SYNTAX);
        assertThat(p.message()).contains("expected ')'");
        assertThat(p.where().line()).isEqualTo(5);
    }

    @Test
    void missing_keys_bad_priority_and_bad_output_field() {
        assertThat(only(load("- rule: r\n  condition: evt.type = execve\n  output: o\n")).code()).isEqualTo(ProblemCode.MISSING_KEY);
        LoadProblem prio = only(load("- rule: r\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: LOUD\n"));
        assertThat(prio.code()).isEqualTo(ProblemCode.BAD_PRIORITY);
        LoadProblem out = only(load("- rule: r\n  desc: d\n  condition: evt.type = execve\n  output: user=%user.nam\n  priority: INFO\n"));
        assertThat(out.code()).isEqualTo(ProblemCode.BAD_OUTPUT);
        assertThat(out.where().col()).isEqualTo(16);
    }

    @Test
    void amending_an_item_that_does_not_exist_is_an_error() {
        assertThat(only(load("- list: nope\n  items: [a]\n  append: true\n")).code()).isEqualTo(ProblemCode.NO_SUCH_ITEM);
        assertThat(only(load("- macro: nope\n  condition: x\n  override:\n    condition: append\n")).code()).isEqualTo(ProblemCode.NO_SUCH_ITEM);
        assertThat(only(load("- rule: nope\n  enabled: false\n")).code()).isEqualTo(ProblemCode.NO_SUCH_ITEM);
    }

    @Test
    void engine_version_too_new_is_an_error_and_plugins_a_warning() {
        LoadProblem p = only(load("- required_engine_version: 9.0.0\n"));
        assertThat(p.code()).isEqualTo(ProblemCode.ENGINE_VERSION);
        RuleEngine ok = load("- required_engine_version: 0.26.0\n- required_plugin_versions:\n  - name: container\n    version: 0.4.0\n");
        assertThat(ok.errors()).isEmpty();
        assertThat(ok.problems()).extracting(LoadProblem::code).containsExactly(ProblemCode.PLUGIN_IGNORED);
    }

    @Test
    void other_sources_are_skipped_with_a_warning() {
        RuleEngine e = load("""
                - rule: k8s audit
                  desc: d
                  condition: ka.verb = create
                  output: o
                  priority: WARNING
                  source: k8s_audit
                - rule: k8s audit
                  append: true
                  condition: and ka.user.name = x
                """);
        assertThat(e.errors()).isEmpty();
        assertThat(e.rules()).isEmpty();
        assertThat(e.problems()).extracting(LoadProblem::code).containsExactly(ProblemCode.SOURCE_SKIPPED);
    }

    @Test
    void problems_are_collected_not_thrown_at_the_first() {
        RuleEngine e = load("""
                - rule: a
                  desc: d
                  condition: evt.type = execve and nope1
                  output: o
                  priority: WARNING
                - rule: b
                  desc: d
                  condition: evt.type = execve and proc.nope = 1
                  output: o
                  priority: WARNING
                - rule: c
                  desc: d
                  condition: evt.type = execve
                  output: o
                  priority: WARNING
                """);
        assertThat(e.errors()).extracting(LoadProblem::code).containsExactly(ProblemCode.UNDEFINED_MACRO, ProblemCode.UNKNOWN_FIELD);
        assertThat(e.rules()).extracting(r -> r.name()).containsExactly("c");
    }

    @Test
    void unknown_keys_warn_and_skip_if_unknown_filter_turns_errors_into_warnings() {
        RuleEngine e = load("""
                - rule: r
                  desc: d
                  condition: evt.type = execve and proc.future_field = 1
                  output: o
                  priority: WARNING
                  skip-if-unknown-filter: true
                  colour: blue
                """);
        assertThat(e.errors()).isEmpty();
        assertThat(e.problems()).extracting(LoadProblem::code).contains(ProblemCode.UNKNOWN_KEY, ProblemCode.RULE_SKIPPED);
    }

    @Test
    void bad_exceptions_are_reported() {
        LoadProblem p = only(load("""
                - rule: r
                  desc: d
                  condition: evt.type = execve
                  output: o
                  priority: WARNING
                  exceptions:
                    - name: pairs
                      fields: [proc.name, proc.pname]
                      values:
                        - [onlyone]
                """));
        assertThat(p.code()).isEqualTo(ProblemCode.BAD_EXCEPTION);
        assertThat(p.message()).contains("pairs");
    }

    @Test
    void no_problem_is_a_stack_trace() {
        RuleEngine e = load("- rule: [a\n");
        assertThat(e.problems()).allSatisfy(p -> assertThat(p.format()).doesNotContain("Exception", "\tat "));
    }
}
