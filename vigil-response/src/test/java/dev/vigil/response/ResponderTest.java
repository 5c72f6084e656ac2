package dev.vigil.response;

import dev.vigil.event.Event;
import dev.vigil.event.EventHeader;
import dev.vigil.event.FileOp;
import dev.vigil.event.NetOp;
import dev.vigil.event.ProcessExec;
import dev.vigil.event.ProcessInfo;
import dev.vigil.event.ResponseAction;
import dev.vigil.event.SockAddr;
import dev.vigil.event.Workload;
import dev.vigil.response.noise.AlertGate;
import dev.vigil.response.policy.NoiseSettings;
import dev.vigil.response.policy.Policy;
import dev.vigil.rules.engine.RuleEngine;
import dev.vigil.rules.engine.RuleOptions;
import dev.vigil.rules.engine.RulesSource;
import dev.vigil.rules.output.Alert;
import dev.vigil.state.EventEmitter;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The responder on hand-built events: attempts judged as if they succeeded, errno and kill targets, dry-run,
 * scopes, first-match never hiding a rule that acts, and action events right after their trigger.
 */
class ResponderTest {
    private static final String RULES = """
            - rule: Write below etc (test)
              desc: d
              condition: evt.type in (open, openat) and evt.dir = < and evt.is_open_write = true and fd.name startswith /etc/ and fd.num >= 0 and not evt.num = 0
              output: write below etc (file=%fd.name)
              priority: ERROR
            - rule: Any connect
              desc: an alert-only rule matching first
              condition: evt.type = connect
              output: connect (to=%fd.rip)
              priority: NOTICE
            - rule: Shell connects out
              desc: d
              condition: evt.type = connect and evt.dir = < and proc.name = bash and (evt.rawres >= 0 or evt.res = EINPROGRESS)
              output: shell connect (to=%fd.rip)
              priority: CRITICAL
              vigil:
                actions: [alert, {block: ECONNREFUSED}]
                scope: {environment: [production]}
            - rule: Dropped binary
              desc: d
              condition: evt.type = execve and proc.exepath startswith /tmp/
              output: dropped (exe=%proc.exepath)
              priority: CRITICAL
              vigil:
                actions: [{kill: group}]
            """;
    private static final String POLICY = """
            version: 1
            policies:
              - name: prod-etc
                match: {environment: [production]}
                rules: ["Write below etc*"]
                actions: [alert, block]
            """;

    private final List<Event> stream = new ArrayList<>();
    private final List<Alert> alerts = new ArrayList<>();
    private final List<Integer> killed = new ArrayList<>();
    private final int sensorGroup = 100;

    private Responder responder(String environment, boolean dryRun) throws Exception {
        Workload w = new Workload("api", "c0ffee", "api", "shop/api", "1", "shop", environment, "none", Map.of());
        RuleEngine engine = RuleEngine.loadSources(List.of(RulesSource.text("rules.yaml", RULES)), RuleOptions.defaults());
        assertThat(engine.errors()).isEmpty();
        Policy policy = Policy.parse("policy.yaml", POLICY, Map.of());
        Responder.ProcessControl control = new Responder.ProcessControl() {
            @Override public int kill(int pid, int signal) { killed.add(pid); return 0; }
            @Override public int ownProcessGroup() { return sensorGroup; }
        };
        Responder r = new Responder(engine, rule -> policy.planFor(rule, w, dryRun), Set.of("openat", "connect"), w,
                List.of(alerts::add), new AlertGate(NoiseSettings.defaults(), System::nanoTime), null, control);
        EventEmitter emitter = new EventEmitter("s", w, e -> {
            r.evaluate(e);
            stream.add(e);
            r.afterWritten(e);
        }, Clock.systemUTC());
        r.setEmitter(emitter);
        this.emitter = emitter;
        this.responderUnderTest = r;
        return r;
    }

    private EventEmitter emitter;
    private Responder responderUnderTest;

    private static ProcessInfo proc(String name, String exe, int pid, int pgid) {
        return new ProcessInfo(pid, pid, 1, name, exe, List.of(name), false, "/", 0, 0, 0, 0, 1, pgid, -1, null, 0,
                List.of());
    }

    private FileOp openAttempt(ProcessInfo p, String path) {
        return emitter.provisional(h -> open(h, p, path, 0));
    }

    private static FileOp open(EventHeader h, ProcessInfo p, String path, long res) {
        return new FileOp(h, p, "openat", FileOp.Op.OPEN, path, null, 01101, 0644, -1, -1, -1, res);
    }

    private NetOp connectEmitted(ProcessInfo p) {
        return emitter.emit(h -> new NetOp(h, p, "connect", NetOp.Op.CONNECT, 3, "inet", "stream", "tcp", null,
                new SockAddr("inet", "203.0.113.9", 4444), List.of(), Event.RES_UNKNOWN));
    }

    private List<ResponseAction> actions() {
        return stream.stream().filter(e -> e instanceof ResponseAction).map(e -> (ResponseAction) e).toList();
    }

    @Test
    void a_provisional_attempt_reads_as_succeeded_and_its_block_follows_the_real_event() throws Exception {
        Responder r = responder("production", false);
        ProcessInfo sh = proc("sh", "/bin/sh", 50, 50);
        FileOp attempt = openAttempt(sh, "/etc/passwd");
        assertThat(r.judges("openat")).isTrue();
        int errno = r.judge(attempt);
        assertThat(errno).isEqualTo(1); // EPERM, the policy's block
        assertThat(actions()).isEmpty(); // waits for the real event
        FileOp recorded = emitter.emit(h -> open(h, sh, "/etc/passwd", -errno));
        assertThat(actions()).singleElement().satisfies(a -> {
            assertThat(a.action()).isEqualTo("block");
            assertThat(a.triggerId()).isEqualTo(recorded.header().eventId());
            assertThat(a.header().seq()).isEqualTo(recorded.header().seq() + 1);
            assertThat(a.policy()).isEqualTo("policy prod-etc");
        });
        // one alert, carrying the recorded event's id; the failed open raised nothing more
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.eventId()).isEqualTo(recorded.header().eventId()));
    }

    @Test
    void a_rule_errno_wins_and_first_match_never_hides_a_rule_that_acts() throws Exception {
        Responder r = responder("production", false);
        NetOp c = connectEmitted(proc("bash", "/bin/bash", 60, 60));
        assertThat(r.judge(c)).isEqualTo(111); // ECONNREFUSED, from the rule's own vigil: key
        assertThat(alerts).extracting(Alert::rule).containsExactlyInAnyOrder("Any connect", "Shell connects out");
        assertThat(actions()).singleElement().satisfies(a -> assertThat(a.errno()).isEqualTo(111));
    }

    @Test
    void outside_the_scope_the_rules_only_alert() throws Exception {
        Responder r = responder("staging", false);
        assertThat(r.judges("openat")).isFalse();
        assertThat(r.judges("connect")).isFalse();
        connectEmitted(proc("bash", "/bin/bash", 60, 60));
        emitter.emit(h -> open(h, proc("sh", "/bin/sh", 50, 50), "/etc/passwd", 3));
        assertThat(alerts).extracting(Alert::rule).contains("Write below etc (test)");
        assertThat(actions()).isEmpty();
    }

    @Test
    void dry_run_reports_what_it_would_do_and_does_nothing() throws Exception {
        Responder r = responder("production", true);
        assertThat(r.judge(openAttempt(proc("sh", "/bin/sh", 50, 50), "/etc/passwd"))).isZero();
        emitter.emit(h -> open(h, proc("sh", "/bin/sh", 50, 50), "/etc/passwd", 3));
        emitter.emit(h -> new ProcessExec(h, proc("x", "/tmp/x", 70, 70), "execve", 0, false));
        assertThat(killed).isEmpty();
        assertThat(actions()).extracting(ResponseAction::action, ResponseAction::outcome, ResponseAction::dryRun)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("block", "would", true),
                        org.assertj.core.groups.Tuple.tuple("kill", "would", true));
    }

    @Test
    void a_judged_attempt_waits_for_its_own_threads_event_not_the_next_one() throws Exception {
        responder("production", true);
        ProcessInfo t1 = proc("sh", "/bin/sh", 50, 50), t2 = proc("sh", "/bin/sh", 51, 51);
        // dry-run: the syscall runs, its event comes at the exit stop; meanwhile another thread's event is written
        Responder r = responderUnderTest;
        assertThat(r.judge(openAttempt(t1, "/etc/passwd"))).isZero();
        emitter.emit(h -> open(h, t2, "/tmp/x", 3));
        assertThat(actions()).isEmpty();
        FileOp t1Event = emitter.emit(h -> open(h, t1, "/etc/passwd", 3));
        assertThat(actions()).singleElement().satisfies(a -> {
            assertThat(a.triggerId()).isEqualTo(t1Event.header().eventId());
            assertThat(a.process().tid()).isEqualTo(50);
        });
    }

    @Test
    void an_exec_is_killed_as_a_group_unless_the_group_is_the_sensors() throws Exception {
        responder("production", false);
        emitter.emit(h -> new ProcessExec(h, proc("x", "/tmp/x", 70, 70), "execve", 0, false));
        emitter.emit(h -> new ProcessExec(h, proc("y", "/tmp/y", 71, sensorGroup), "execve", 0, false));
        assertThat(killed).containsExactly(-70, 71);
        assertThat(actions()).extracting(ResponseAction::targetPid).containsExactly(-70, 71);
        assertThat(actions().get(1).detail()).contains("is the sensor's");
    }
}
