package dev.vigil.rules.engine;

import static dev.vigil.rules.testing.Events.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rules.load.LoadProblem;
import dev.vigil.rules.load.ProblemCode;
import dev.vigil.rules.testing.TestEngine;
import org.junit.jupiter.api.Test;

class RuleEngineTest {

    @Test
    void rules_are_indexed_by_event_type_and_export_their_syscalls() {
        RuleEngine e = TestEngine.yaml("""
                - rule: opens
                  desc: d
                  condition: evt.type in (open, openat) and fd.name = /etc/shadow and evt.rawres >= 0
                  output: o
                  priority: WARNING
                - rule: execs
                  desc: d
                  condition: evt.type = execve and proc.name = bash
                  output: o
                  priority: WARNING
                - rule: exits
                  desc: d
                  condition: evt.type = procexit and proc.name = bash
                  output: o
                  priority: INFO
                """);
        assertThat(e.problems()).isEmpty();
        assertThat(e.syscalls()).containsExactly("execve", "open", "openat");
        assertThat(e.syscallsNeedingResult()).containsExactly("open", "openat");
        assertThat(e.eventTypes()).contains("procexit");
        assertThat(e.hasUnrestrictedRules()).isFalse();
        assertThat(e.needsDnsNames()).isFalse();
        assertThat(TestEngine.fired(e, exit(proc("bash"), 0))).containsExactly("exits");
        assertThat(TestEngine.fired(e, dnsQuery(proc("bash"), "x"))).isEmpty();
    }

    @Test
    void a_rule_reading_the_upper_layer_asks_capture_for_written_files() {
        String rule = """
                - rule: drift
                  desc: d
                  condition: evt.type = execve and proc.is_exe_upper_layer = true
                  output: o
                  priority: NOTICE
                """;
        RuleEngine e = TestEngine.yaml(rule);
        assertThat(e.problems()).isEmpty();
        assertThat(e.syscalls()).containsExactly("execve");
        assertThat(e.needsWrittenFiles()).isTrue();
        assertThat(e.needsDnsNames()).isFalse();
        assertThat(TestEngine.fired(e, exec(proc("x").exe("/tmp/x").written()))).containsExactly("drift");
        assertThat(TestEngine.fired(e, exec(proc("true").exe("/usr/bin/true")))).isEmpty();
        assertThat(TestEngine.yaml(rule + "- rule: drift\n  enabled: false\n").needsWrittenFiles()).isFalse();
        assertThat(TestEngine.yaml(rule.replace("proc.is_exe_upper_layer", "proc.is_exe_from_memfd")).needsWrittenFiles())
                .isFalse();
    }

    @Test
    void a_rule_reading_a_dns_name_asks_capture_for_dns_even_through_a_macro() {
        String rule = """
                - macro: api
                  condition: fd.sip.name = "kubernetes.default.svc.cluster.local"
                - rule: k8s
                  desc: d
                  condition: evt.type = connect and api
                  output: o
                  priority: NOTICE
                """;
        RuleEngine e = TestEngine.yaml(rule);
        assertThat(e.syscalls()).containsExactly("connect");
        assertThat(e.needsDnsNames()).isTrue();
        assertThat(TestEngine.yaml(rule + "- rule: k8s\n  enabled: false\n").needsDnsNames()).isFalse();
        assertThat(TestEngine.yaml(rule.replace("fd.sip.name", "fd.sip")
                .replace("kubernetes.default.svc.cluster.local", "10.0.0.1")).needsDnsNames()).isFalse();
    }

    @Test
    void a_rule_without_evt_type_warns_and_sees_every_event() {
        RuleEngine e = TestEngine.yaml("""
                - rule: any bash
                  desc: d
                  condition: proc.name = bash and not evt.type = procexit
                  output: o
                  priority: WARNING
                """);
        assertThat(e.errors()).isEmpty();
        assertThat(e.problems()).extracting(LoadProblem::code).containsExactly(ProblemCode.NO_EVTTYPE);
        assertThat(e.hasUnrestrictedRules()).isTrue();
        assertThat(e.syscalls()).isEmpty();
        assertThat(TestEngine.fired(e, dnsQuery(proc("bash"), "x"))).containsExactly("any bash");
        assertThat(TestEngine.fired(e, exit(proc("bash"), 0))).isEmpty();
        RuleEngine quiet = TestEngine.yaml("- rule: r\n  desc: d\n  condition: proc.name = bash\n  output: o\n  priority: INFO\n  warn_evttypes: false\n");
        assertThat(quiet.problems()).isEmpty();
    }

    @Test
    void negated_event_type_sets_are_exact() {
        RuleEngine e = TestEngine.yaml("""
                - rule: not exec
                  desc: d
                  condition: not evt.type in (execve, execveat) and evt.type in (execve, openat)
                  output: o
                  priority: WARNING
                """);
        assertThat(e.rule("not exec").eventTypes().names()).containsExactly("openat");
        assertThat(e.syscalls()).containsExactly("openat");
    }

    @Test
    void a_connect_result_event_is_falcos_connect_exit() {
        dev.vigil.event.NetOp.Op result;
        try {
            result = dev.vigil.event.NetOp.Op.valueOf("CONNECT_RESULT");
        } catch (IllegalArgumentException notYet) {
            org.junit.jupiter.api.Assumptions.abort("vigil-event has no CONNECT_RESULT op yet");
            return;
        }
        RuleEngine e = TestEngine.yaml("""
                - rule: outbound
                  desc: d
                  condition: evt.type = connect and evt.dir = < and (evt.rawres >= 0 or evt.res = EINPROGRESS) and fd.sip = 203.0.113.9
                  output: o
                  priority: WARNING
                - rule: any connect there
                  desc: d
                  condition: evt.type = connect and fd.sip = 203.0.113.9
                  output: o
                  priority: WARNING
                """);
        var entry = new dev.vigil.event.NetOp(header(), proc("curl").build(), "connect", dev.vigil.event.NetOp.Op.CONNECT, 7,
                "inet", "stream", "tcp", null, new dev.vigil.event.SockAddr("inet", "203.0.113.9", 443), java.util.List.of(),
                dev.vigil.event.Event.RES_UNKNOWN);
        var done = new dev.vigil.event.NetOp(header(), proc("curl").build(), "connect", result, 7,
                "inet", "stream", "tcp", null, new dev.vigil.event.SockAddr("inet", "203.0.113.9", 443), java.util.List.of(), -115);
        assertThat(TestEngine.fired(e, entry)).containsExactly("any connect there");
        assertThat(TestEngine.fired(e, done)).containsExactly("outbound");
    }

    @Test
    void rules_that_need_fields_vigil_never_fills_are_loaded_but_not_indexed() {
        RuleEngine e = TestEngine.yaml("""
                - rule: privileged
                  desc: d
                  condition: evt.type = execve and container.privileged = true
                  output: o
                  priority: WARNING
                - rule: not in kube-system
                  desc: d
                  condition: evt.type = execve and not k8s.ns.name = kube-system and proc.name = bash
                  output: o
                  priority: WARNING
                - rule: env or name
                  desc: d
                  condition: evt.type = execve and (proc.env contains X or proc.name = sh)
                  output: o
                  priority: WARNING
                """);
        assertThat(e.errors()).isEmpty();
        assertThat(e.rule("privileged").neverMatches()).contains("container.privileged");
        assertThat(e.problems()).extracting(LoadProblem::code).containsExactly(ProblemCode.NEVER_MATCHES);
        assertThat(e.rule("not in kube-system").neverMatches()).isNull();
        assertThat(TestEngine.fired(e, exec(proc("bash")))).containsExactly("not in kube-system");
        assertThat(TestEngine.fired(e, exec(proc("sh")))).containsExactly("env or name");
    }

    @Test
    void the_process_name_index_keeps_results_and_order() {
        StringBuilder y = new StringBuilder("- list: shells\n  items: [bash, sh]\n- macro: shell_procs\n  condition: proc.name in (shells)\n");
        String[] conds = {
            "evt.type = execve and shell_procs",
            "evt.type = execve and (proc.name = curl or proc.name in (wget))",
            "evt.type = execve and proc.pname = nginx",
            "evt.type = execve and not proc.name = bash",
            "evt.type = execve and proc.name = sh and user.uid = 0",
            "evt.type = execve and proc.name in (shells, python3)",
        };
        for (int i = 0; i < conds.length; i++) {
            y.append("- rule: r").append(i).append("\n  desc: d\n  condition: ").append(conds[i])
             .append("\n  output: o\n  priority: WARNING\n");
        }
        RuleEngine all = TestEngine.yaml(y.toString());
        assertThat(all.errors()).isEmpty();
        assertThat(TestEngine.fired(all, exec(proc("bash").parent("nginx", "/usr/sbin/nginx")))).containsExactly("r0", "r2", "r5");
        assertThat(TestEngine.fired(all, exec(proc("sh")))).containsExactly("r0", "r3", "r4", "r5");
        assertThat(TestEngine.fired(all, exec(proc("wget")))).containsExactly("r1", "r3");
        assertThat(TestEngine.fired(all, exec(proc("ls").parent("nginx", "/usr/sbin/nginx")))).containsExactly("r2", "r3");
        RuleEngine first = RuleEngine.loadSources(java.util.List.of(RulesSource.text("t.yaml", y.toString())),
                TestEngine.options().withMatching(RuleMatching.FIRST));
        assertThat(TestEngine.fired(first, exec(proc("ls").parent("nginx", "/usr/sbin/nginx")))).containsExactly("r2");
        assertThat(TestEngine.fired(first, exec(proc("python3")))).containsExactly("r3");
    }

    @Test
    void a_failing_extractor_is_counted_not_thrown() {
        RuleEngine e = TestEngine.yaml("""
                - rule: r
                  desc: d
                  condition: evt.type = execve and proc.name = bash
                  output: o
                  priority: WARNING
                """);
        var broken = new dev.vigil.event.ProcessExec(header(), null, "execve", 0, false);
        assertThat(e.evaluate(broken, (r, c) -> { })).isZero();
        assertThat(e.evaluate(exec(proc("bash")), (r, c) -> { })).isEqualTo(1);
    }

    @Test
    void nothing_is_allocated_for_events_that_match_nothing() {
        RuleEngine e = RuleEngine.load(java.util.List.of(StockRules.falco()), TestEngine.options());
        dev.vigil.event.Event[] events = {open(proc("java"), "/app/a.yaml", O_RDONLY), connect(proc("java"), "10.0.0.1", 5432),
                exec(proc("ls").parent("java", "/usr/bin/java"))};
        MatchSink none = (r, c) -> { throw new AssertionError(r.name()); };
        for (int i = 0; i < 20_000; i++) for (int k = 0; k < events.length; k++) e.evaluate(events[k], none);
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) for (int k = 0; k < events.length; k++) e.evaluate(events[k], none);
        long perEvent = (mx.getCurrentThreadAllocatedBytes() - before) / 30_000;
        assertThat(perEvent).isLessThan(2);
    }
}
