package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RulesCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new RulesCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    private static Path stock(String name) {
        return Path.of(System.getProperty("vigil.shared.dir", "../../shared"), "falco-rules", name);
    }

    @Test
    void check_accepts_the_vigil_rules_and_prints_a_summary() {
        int rc = run("check", "../rules/vigil_rules.yaml");
        assertThat(rc).as(err.toString()).isZero();
        assertThat(out.toString()).contains("rules loaded", "0 error(s)", "syscalls: ").contains("connect");
    }

    @Test
    void check_accepts_the_three_stock_files_together() {
        Path f = stock("falco_rules.yaml");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(f), "stock rules not available");
        int rc = run("check", f.toString(), stock("falco-incubating_rules.yaml").toString(), stock("falco-sandbox_rules.yaml").toString());
        assertThat(rc).as(err.toString()).isZero();
        assertThat(out.toString()).contains("93 rules loaded");
    }

    @Test
    void check_reports_every_error_with_file_line_and_rule_and_exits_1(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                - rule: Typo field
                  desc: d
                  condition: evt.type = execve and proc.nme = bash
                  output: o
                  priority: WARNING
                - rule: Missing macro
                  desc: d
                  condition: evt.type = execve and no_such_macro
                  output: o
                  priority: WARNING
                """);
        int rc = run("check", bad.toString());
        assertThat(rc).isEqualTo(RulesCommand.EXIT_RULE_ERRORS);
        assertThat(err.toString())
                .contains(bad + ":3:36: error[unknown-field]: rule 'Typo field': unknown field 'proc.nme'")
                .contains(bad + ":8:36: error[undefined-macro]: rule 'Missing macro': undefined macro 'no_such_macro'")
                .doesNotContain("Exception");
        assertThat(out.toString()).contains("2 error(s)");
    }

    @Test
    void check_of_a_missing_file_fails_cleanly() {
        assertThat(run("check", "/nonexistent/rules.yaml")).isEqualTo(RulesCommand.EXIT_RULE_ERRORS);
        assertThat(err.toString()).contains("/nonexistent/rules.yaml: error: cannot read rules file");
    }

    @Test
    void list_prints_one_line_per_rule() {
        assertThat(run("list", "../rules/vigil_rules.yaml")).isZero();
        assertThat(out.toString()).contains("Vigil Fileless Execution", "Critical", "Vigil Memory-Backed File Created");
        out.getBuffer().setLength(0);
        assertThat(run("list", "--enabled", "../rules/vigil_rules.yaml")).isZero();
        assertThat(out.toString()).doesNotContain("Vigil Memory-Backed File Created");
    }

    @Test
    void fields_lists_type_and_whether_vigil_fills_each_field() {
        assertThat(run("fields")).isZero();
        assertThat(out.toString()).containsPattern("proc\\.name\\s+string\\s+yes")
                .containsPattern("k8s\\.ns\\.name\\s+string\\s+no")
                .containsPattern("proc\\.aname\\s+string\\s+\\[n\\] or any\\s+yes");
        out.getBuffer().setLength(0);
        assertThat(run("fields", "--markdown")).isZero();
        assertThat(out.toString()).startsWith("| Field | Type |").contains("| `fd.sip` | ipaddr |");
    }
}
