package dev.vigil.response;

import dev.vigil.event.Errno;
import dev.vigil.event.Event;
import dev.vigil.event.FileOp;
import dev.vigil.event.IdentityChange;
import dev.vigil.event.NetOp;
import dev.vigil.event.ProcessInfo;
import dev.vigil.event.ProcessTamper;
import dev.vigil.event.ResponseAction;
import dev.vigil.event.Workload;
import dev.vigil.response.noise.AlertGate;
import dev.vigil.response.policy.KillTarget;
import dev.vigil.response.policy.ResponsePlan;
import dev.vigil.response.policy.WebhookTarget;
import dev.vigil.response.webhook.Finding;
import dev.vigil.response.webhook.TakenAction;
import dev.vigil.response.webhook.WebhookSender;
import dev.vigil.rules.engine.CompiledRule;
import dev.vigil.rules.engine.MatchSink;
import dev.vigil.rules.engine.RuleEngine;
import dev.vigil.rules.fields.EvalContext;
import dev.vigil.rules.output.Alert;
import dev.vigil.rules.output.AlertFormatter;
import dev.vigil.rules.output.AlertSink;
import dev.vigil.state.EventEmitter;
import dev.vigil.state.decode.Verdicts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Acts on rule matches. Each rule has a {@link ResponsePlan} for this workload (from the policy): alert, block,
 * kill, webhook, dry-run. Enforcing rules on syscalls that the capture layer holds until a verdict are judged
 * on the attempt ({@link #judge}), before the syscall runs; on other events (an exec, whose old image is
 * already gone) they act when the event is evaluated: the process is killed before its new program runs.
 *
 * <p>Alerts pass through noise control (identical alerts once per window, a rate limit per rule) to the alert
 * sinks and webhooks. Every action becomes a {@link ResponseAction} event, emitted right after the event that
 * triggered it, so hunting sees what was blocked or killed, by which rule and policy.
 *
 * <p>Threading: rules are evaluated by one thread at a time (the engine is not thread-safe), under this
 * object's lock; actions and alerts wait in a per-thread list until the triggering event has been written.
 */
public final class Responder implements Verdicts, AutoCloseable {
    private static final int SIGKILL = 9, EPERM = 1;
    /**
     * Fault injection for the fail-mode tests ({@code -Dvigil.fault=response}): every judgement fails inside the
     * response layer, as a bug would. A JVM property, so nothing in the workload's reach can set it.
     */
    private static final boolean INJECTED_FAULT = "response".equals(System.getProperty("vigil.fault"));

    private final RuleEngine engine;
    /** {@link #onMatch}, bound once rather than for every event evaluated. */
    private final MatchSink matchSink = this::onMatch;
    private final Map<CompiledRule, ResponsePlan> plans;
    private final Workload workload;
    private final List<AlertSink> sinks;
    private final AlertGate gate;
    private final WebhookSender webhooks;
    private final ProcessControl control;
    private final ThreadLocal<List<Pending>> pending = ThreadLocal.withInitial(ArrayList::new);
    /**
     * Matches of judged attempts whose event is not written yet, by thread id: the decoder writes it right
     * after the verdict, or at the syscall's exit stop, and no other event of that thread comes in between.
     */
    private final Map<Integer, List<Pending>> attempts = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_ATTEMPTS_WAITING = 4096;
    private final ThreadLocal<Boolean> flushing = ThreadLocal.withInitial(() -> false);
    private volatile EventEmitter emitter;

    private final AtomicLong alerts = new AtomicLong();
    private final Map<String, AtomicLong> actions = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong actionFailures = new AtomicLong(), errors = new AtomicLong();

    /** Kills processes; an interface so tests can watch what would be killed. */
    public interface ProcessControl {
        /** kill(2): 0 or -errno. */
        int kill(int pid, int signal);

        /** The sensor's own process group (never killed as a group). */
        int ownProcessGroup();

        /** kill(2) through FFM; the sensor's group read once from /proc. */
        static ProcessControl linux() {
            dev.vigil.capture.linux.Libc libc = new dev.vigil.capture.linux.Libc(java.lang.foreign.Arena.ofAuto());
            int own;
            try (dev.vigil.state.ProcFs proc = new dev.vigil.state.ProcFs()) {
                own = proc.read(dev.vigil.capture.linux.Libc.getpid(), false).pgid;
            }
            return new ProcessControl() {
                @Override public synchronized int kill(int pid, int signal) { return libc.kill(pid, signal); }
                @Override public int ownProcessGroup() { return own; }
            };
        }
    }

    /** A match waiting for its triggering event to be written: the alert, the plan, what was done. */
    private record Pending(CompiledRule rule, Alert alert, ResponsePlan plan, List<Done> done, ProcessInfo target) {}

    /** One action carried out (or, in dry-run, not). */
    private record Done(String action, String outcome, int errno, int targetPid, String detail) {
        boolean dryRun() { return outcome.equals("would"); }

        /** The action as findings and counters name it: {@code dry-run:kill} for one not done. */
        String label() { return dryRun() ? "dry-run:" + action : action; }
    }

    /**
     * @param planner      the plan of each rule for this workload (the policy)
     * @param judgedTypes  the syscalls the capture layer can hold for a verdict
     * @param webhooks     delivers findings; null when no plan posts any
     */
    public Responder(RuleEngine engine, Function<CompiledRule, ResponsePlan> planner, Set<String> judgedTypes,
                     Workload workload, List<AlertSink> sinks, AlertGate gate, WebhookSender webhooks,
                     ProcessControl control) {
        this.engine = engine;
        this.workload = workload;
        this.sinks = List.copyOf(sinks);
        this.gate = gate;
        this.webhooks = webhooks;
        this.control = control;
        Map<CompiledRule, ResponsePlan> p = new HashMap<>();
        Set<CompiledRule> enforcing = new java.util.HashSet<>(), acting = new java.util.HashSet<>();
        for (CompiledRule r : engine.rules()) {
            ResponsePlan plan = planner.apply(r);
            p.put(r, plan);
            if (!r.enabled()) continue;
            if (plan.enforcing()) enforcing.add(r);
            if (!plan.webhooks().isEmpty()) acting.add(r);
        }
        this.plans = p;
        engine.setResponses(enforcing, acting, judgedTypes);
    }

    /** The emitter action events go to (the one whose sink calls this responder). */
    public void setEmitter(EventEmitter emitter) {
        this.emitter = emitter;
    }

    private ResponsePlan planOf(CompiledRule rule) {
        return plans.getOrDefault(rule, ResponsePlan.alertOnly("default"));
    }

    /** Whether any rule enforces here (block or kill), i.e. whether any syscall can be judged. */
    public boolean enforces() {
        return plans.entrySet().stream().anyMatch(e -> e.getKey().enabled() && e.getValue().enforcing());
    }

    /** Whether any plan posts to a webhook. */
    public static boolean anyWebhook(java.util.Collection<ResponsePlan> plans) {
        return plans.stream().anyMatch(p -> !p.webhooks().isEmpty());
    }

    // ---- the event stream (called with the emitter's lock held)

    /** Evaluates an emitted event, before it is written. Matches wait until {@link #afterWritten}. */
    public void evaluate(Event e) {
        try {
            synchronized (this) {
                engine.evaluate(e, matchSink);
            }
        } catch (RuntimeException x) {
            errors.incrementAndGet();
        }
    }

    /** After {@code e} was written: its alerts are delivered and its actions become events. */
    public void afterWritten(Event e) {
        if (!attempts.isEmpty() && e.process() != null && !(e instanceof ResponseAction)) {
            List<Pending> waiting = attempts.remove(e.process().tid());
            if (waiting != null) pending.get().addAll(waiting);
        }
        flush(e);
    }

    private void onMatch(CompiledRule rule, EvalContext ctx) {
        Alert alert = AlertFormatter.alert(rule, ctx);
        ResponsePlan plan = planOf(rule);
        ProcessInfo p = ctx.event().process();
        List<Done> done = new ArrayList<>(1);
        if (plan.enforcing()) {
            // Not a held syscall. An exec: the old image is gone, so blocking it means the new program must not
            // run: block and kill both kill the process now, before its first instruction. An exit: too late
            // for anything. Others (accept, a connect's outcome): the syscall completed; kill still applies.
            Event ev = ctx.event();
            boolean exec = ev instanceof dev.vigil.event.ProcessExec;
            if (ev instanceof dev.vigil.event.ProcessExit) {
                done.add(new Done("kill", "failed", 0, p == null ? 0 : p.pid(), "the process had already exited"));
            } else if (plan.kill() != null || exec) {
                done.add(kill(p, plan.kill() == null ? KillTarget.PROCESS : plan.kill(), plan.dryRun(),
                        plan.block() && plan.kill() == null ? "block on " + ev.evtType()
                                + ": the process is killed before the new program runs" : null));
            } else {
                done.add(new Done("block", "failed", 0, 0, ev.evtType() + " had already completed when seen: nothing to block"));
            }
        }
        pending.get().add(new Pending(rule, alert, plan, done, p));
    }

    // ---- verdicts (capture threads, the syscall held)

    @Override public boolean judges(String syscall) {
        return engine.judges(syscall);
    }

    @Override public int judge(Event attempt) {
        int errno = 0;
        try {
            if (INJECTED_FAULT) throw new IllegalStateException("injected fault (vigil.fault=response)");
            Event a = asSucceeded(attempt);
            List<Pending> found = new ArrayList<>(1);
            synchronized (this) {
                engine.evaluateAttempt(a, (rule, ctx) -> found.add(new Pending(rule, AlertFormatter.alert(rule, ctx),
                        planOf(rule), new ArrayList<>(1), attempt.process())));
            }
            for (Pending m : found) {
                ResponsePlan plan = m.plan();
                int e = plan.block() ? (plan.errno() > 0 ? plan.errno() : EPERM) : 0;
                if (plan.kill() != null) {
                    m.done().add(kill(attempt.process(), plan.kill(), plan.dryRun(), null));
                    if (e == 0) e = EPERM; // the syscall never runs for a process being killed
                }
                if (plan.block()) {
                    m.done().add(new Done("block", plan.dryRun() ? "would" : "done", e, 0,
                            plan.dryRun() ? "dry-run: " + attempt.evtType() + " would fail with " + Errno.name(e)
                                    : attempt.evtType() + " failed with " + Errno.name(e)));
                }
                if (!plan.dryRun() && errno == 0) errno = e;
            }
            if (!found.isEmpty()) {
                if (attempt.header().provisional() && attempt.process() != null) {
                    if (attempts.size() >= MAX_ATTEMPTS_WAITING) attempts.clear(); // threads that died mid-syscall
                    attempts.computeIfAbsent(attempt.process().tid(), t -> new ArrayList<>(1)).addAll(found);
                } else {
                    pending.get().addAll(found);
                }
            }
        } catch (RuntimeException x) {
            errors.incrementAndGet();
            errno = 0; // fail-open: a response bug never fails the workload's syscall
        }
        // An attempt already in the stream is its own trigger; a provisional one waits for its thread's event.
        if (!attempt.header().provisional()) flush(attempt);
        return errno;
    }

    /** The attempt as the rules should read it: a syscall about to run, as if it succeeded (exit event, res 0). */
    static Event asSucceeded(Event e) {
        return switch (e) {
            case FileOp f when f.res() == Event.RES_UNKNOWN -> new FileOp(f.header(), f.process(), f.syscall(), f.op(),
                    f.path(), f.target(), f.flags(), f.mode(), f.uid(), f.gid(), f.fd(), 0);
            case NetOp n when n.res() == Event.RES_UNKNOWN -> new NetOp(n.header(), n.process(), n.syscall(), n.op(),
                    n.fd(), n.family(), n.sock(), n.local(), n.remote(), n.remoteNames(), 0); // the kind unread
            case IdentityChange i when i.res() == Event.RES_UNKNOWN -> new IdentityChange(i.header(), i.process(),
                    i.syscall(), i.ruid(), i.euid(), i.suid(), i.rgid(), i.egid(), i.sgid(), i.capEffective(),
                    i.capPermitted(), 0);
            case ProcessTamper t when t.res() == Event.RES_UNKNOWN -> new ProcessTamper(t.header(), t.process(),
                    t.syscall(), t.targetPid(), t.targetCmdline(), t.request(), 0);
            default -> e;
        };
    }

    private Done kill(ProcessInfo p, KillTarget target, boolean dryRun, String why) {
        if (p == null) return new Done("kill", "failed", 0, 0, "no process to kill");
        int pid = p.pid();
        boolean group = target == KillTarget.GROUP;
        String detail = why;
        if (group && (p.pgid() <= 1 || p.pgid() == control.ownProcessGroup())) {
            group = false; // never the sensor's own group, nor init's
            detail = join(detail, "process group " + p.pgid() + " is the sensor's or init's: the process alone is killed");
        }
        int victim = group ? -p.pgid() : pid;
        if (dryRun) return new Done("kill", "would", 0, victim, join(detail, "dry-run: " + describe(victim) + " would be killed"));
        int r = control.kill(victim, SIGKILL);
        if (r != 0) {
            actionFailures.incrementAndGet();
            return new Done("kill", "failed", 0, victim, join(detail, "kill " + describe(victim) + ": " + Errno.name(-r)));
        }
        return new Done("kill", "done", 0, victim, join(detail, describe(victim) + " killed (SIGKILL)"));
    }

    private static String describe(int victim) {
        return victim < 0 ? "process group " + -victim : "process " + victim;
    }

    private static String join(String a, String b) {
        return a == null ? b : a + "; " + b;
    }

    // ---- delivery

    private void flush(Event trigger) {
        List<Pending> list = pending.get();
        if (list.isEmpty() || flushing.get()) return;
        flushing.set(true);
        try {
            List<Pending> todo = new ArrayList<>(list);
            list.clear();
            for (Pending m : todo) deliver(m, trigger);
            for (AlertGate.Repeat r : gate.drainExpired()) deliverRepeat(r);
        } catch (RuntimeException x) {
            errors.incrementAndGet();
        } finally {
            flushing.set(false);
        }
    }

    private void deliver(Pending m, Event trigger) {
        Alert a = m.alert();
        String triggerId = trigger.header().eventId();
        if (!a.eventId().equals(triggerId)) a = withEventId(a, triggerId); // a judged attempt: its event came after
        ResponsePlan plan = m.plan();
        List<TakenAction> taken = new ArrayList<>();
        for (Done d : m.done()) {
            taken.add(new TakenAction(d.label(), d.outcome(), d.detail()));
            emitAction(m, d, triggerId, trigger.evtType());
        }
        // duplicates and rate-limited alerts are counted by the gate
        if (gate.admit(a) != AlertGate.Admission.DELIVER) return;
        if (plan.alert()) {
            alerts.incrementAndGet();
            for (AlertSink s : sinks) s.send(a);
        }
        for (WebhookTarget t : plan.webhooks()) {
            if (webhooks == null) break;
            webhooks.send(t, new Finding(a, workload, taken, plan.source(), 1));
            emitAction(m, new Done("webhook", "queued", 0, 0, "finding posted to " + t.name()), triggerId,
                    trigger.evtType());
        }
    }

    private void deliverRepeat(AlertGate.Repeat r) {
        Alert f = r.first();
        Map<String, Object> fields = new LinkedHashMap<>(f.outputFields());
        fields.put("vigil.repeats", r.count());
        String note = " (repeated " + r.count() + " times)";
        Alert a = new Alert(r.lastTimeNs(), f.rule(), f.priority(), f.message() + note, f.output() + note, fields,
                f.source(), f.tags(), f.hostname(), f.eventId());
        for (AlertSink s : sinks) s.send(a);
    }

    private static Alert withEventId(Alert a, String id) {
        return new Alert(a.timeNs(), a.rule(), a.priority(), a.message(), a.output(), a.outputFields(), a.source(),
                a.tags(), a.hostname(), id);
    }

    private void emitAction(Pending m, Done d, String triggerId, String triggerType) {
        actions.computeIfAbsent(d.label(), k -> new AtomicLong()).incrementAndGet();
        EventEmitter em = emitter;
        if (em == null) return;
        em.emit(h -> new ResponseAction(h, m.target(), d.action(), d.dryRun(), d.outcome(),
                m.rule().name(), m.rule().priority().display(), m.plan().source(), triggerId, triggerType, d.errno(),
                d.targetPid(), d.detail()));
    }

    // ---- counters and shutdown

    /** Counters for the summary: alerts delivered, suppressed, actions by kind, failures. */
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("alerts", alerts.get());
        m.put("alerts_deduplicated", gate.duplicates());
        m.put("alerts_rate_limited", gate.rateLimited());
        actions.forEach((k, v) -> m.put("actions." + k, v.get()));
        m.put("action_failures", actionFailures.get());
        m.put("response_errors", errors.get());
        if (webhooks != null) {
            m.put("webhooks_sent", webhooks.sent());
            m.put("webhooks_failed", webhooks.failed());
            m.put("webhooks_dropped", webhooks.dropped());
        }
        return m;
    }

    public long alertsDelivered() {
        return alerts.get();
    }

    /** Reports the repeats still counting, then delivers what webhooks hold. Alert sinks are closed by their owner. */
    @Override public void close() {
        for (AlertGate.Repeat r : gate.drainAll()) deliverRepeat(r);
        if (webhooks != null) webhooks.close();
    }
}
