package dev.vigil.cli;

import dev.vigil.capture.CaptureConfig;
import dev.vigil.capture.CaptureMode;
import dev.vigil.capture.CaptureSession;
import dev.vigil.capture.KernelSupportException;
import dev.vigil.capture.linux.Libc;
import dev.vigil.capture.spawn.CommandResolver;
import dev.vigil.capture.spawn.SignalForwarder;
import dev.vigil.event.Event;
import dev.vigil.event.EventSink;
import dev.vigil.event.SensorNotice;
import dev.vigil.event.Workload;
import dev.vigil.output.AsyncEventWriter;
import dev.vigil.state.EventEmitter;
import dev.vigil.state.ProcFs;
import dev.vigil.state.ProcessTracker;
import dev.vigil.state.CloudMetadata;
import dev.vigil.state.WorkloadDetector;
import dev.vigil.state.DnsCache;
import dev.vigil.state.decode.SyscallDecoder;
import dev.vigil.capture.syscall.Sys;
import dev.vigil.capture.syscall.SyscallTable;
import dev.vigil.response.Responder;
import dev.vigil.response.noise.AlertGate;
import dev.vigil.response.policy.Policy;
import dev.vigil.response.policy.PolicyException;
import dev.vigil.response.policy.ResponsePlan;
import dev.vigil.response.webhook.WebhookSender;
import dev.vigil.rules.engine.Priority;
import dev.vigil.rules.engine.RuleEngine;
import dev.vigil.rules.engine.RuleOptions;
import dev.vigil.rules.engine.RulesSource;
import dev.vigil.rules.fields.UserDb;
import dev.vigil.rules.load.LoadProblem;
import dev.vigil.rules.output.AlertSink;
import dev.vigil.rules.output.AlertFormatter;
import dev.vigil.output.ship.EventShipper;
import dev.vigil.output.ship.ShipperOptions;
import dev.vigil.rules.output.Format;
import dev.vigil.rules.output.HttpSink;
import dev.vigil.rules.output.StreamSink;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code vigil run [options] -- COMMAND [ARGS...]}: runs and watches a workload; exits with its status. */
@Command(name = "run", sortOptions = false, usageHelpAutoWidth = true,
        description = "Run COMMAND under the sensor and exit with its exit status (128+n if killed by signal n).")
public final class RunCommand implements Callable<Integer> {
    /** Per request to the platform's metadata endpoint (link-local, answers in milliseconds where it exists). */
    private static final Duration CLOUD_METADATA_TIMEOUT = Duration.ofMillis(500);

    @Option(names = "--events", paramLabel = "FILE", description = "Write events as JSON lines to FILE ('-': vigil's stdout).")
    Path events;

    @Option(names = {"-v", "--verbose"}, description = "Report the capture mode at start and a summary at exit, on stderr.")
    boolean verbose;

    @CommandLine.ArgGroup(exclusive = true)
    ModeChoice modeChoice;

    static final class ModeChoice {
        @Option(names = "--no-seccomp", description = "No seccomp filter: ptrace stops on every syscall (slow; setuid works).")
        boolean noSeccomp;
        @Option(names = "--seccomp-trace", description = "Use SECCOMP_RET_TRACE stops instead of user notification.")
        boolean seccompTrace;
        @Option(names = "--seccomp-notify", description = "Require seccomp user notification (fail if the kernel lacks it).")
        boolean seccompNotify;
    }

    @CommandLine.ArgGroup(exclusive = true)
    FailChoice failChoice;

    static final class FailChoice {
        @Option(names = "--fail-open", description = "If the sensor dies, the workload goes on unwatched.")
        boolean open;
        @Option(names = "--fail-closed", description = "If the sensor dies, the workload is killed (default).")
        boolean closed;
    }

    @Option(names = "--rules", paramLabel = "FILE", description = "Falco rules file to evaluate (repeatable, loaded in order; default: Vigil's own rules).")
    List<Path> rules = new ArrayList<>();
    @Option(names = "--no-rules", description = "Evaluate no rules (events only).")
    boolean noRules;
    @Option(names = "--alerts", paramLabel = "SINK", description = "Where alerts go: stderr (default), stdout, a file, or an http(s):// URL (Falco JSON POST, e.g. Falcosidekick).")
    String alerts = "stderr";
    @Option(names = "--alert-format", paramLabel = "json|text", description = "Alert format (default: text on stderr/stdout, json in files and HTTP).")
    String alertFormat;
    @Option(names = "--min-priority", paramLabel = "PRIORITY", description = "Ignore rules less severe than this (emergency ... debug).")
    String minPriority;
    @Option(names = "--disable-rule", paramLabel = "NAME", description = "Disable rules by name or glob (repeatable).")
    Set<String> disabledRules = new LinkedHashSet<>();
    @Option(names = "--enable-rule", paramLabel = "NAME", description = "Enable rules by name or glob, even if disabled in the file (repeatable).")
    Set<String> enabledRules = new LinkedHashSet<>();
    @Option(names = "--disable-tag", paramLabel = "TAG", description = "Disable rules with this tag (repeatable).")
    Set<String> disabledTags = new LinkedHashSet<>();
    @Option(names = "--enable-tag", paramLabel = "TAG", description = "Evaluate only rules with one of these tags (repeatable).")
    Set<String> enabledTags = new LinkedHashSet<>();

    @Option(names = "--policy", paramLabel = "FILE", description = "Response policy: which rules alert, block, kill or post to webhooks, per project, environment, workload and image (docs/RESPONSE.md).")
    Path policyFile;
    @Option(names = "--dry-run", description = "Enforce nothing: report what block and kill actions would have done.")
    boolean dryRun;

    @Option(names = "--ship", paramLabel = "URL", description = "Ship events and alerts to a hunt server (http://HOST:PORT/) or Kafka (kafka://HOST:PORT/TOPIC) through an on-disk spool.")
    java.net.URI ship;
    @Option(names = "--spool", paramLabel = "DIR", description = "Spool directory for --ship (default: $VIGIL_CACHE or /tmp/vigil-<uid>, then spool).")
    Path spool;
    @Option(names = "--ship-token-file", paramLabel = "FILE", description = "Hunt server token (default: env VIGIL_HUNT_TOKEN).")
    Path shipTokenFile;

    @Option(names = "--workload", paramLabel = "NAME", description = "Workload name (default: detected, else the command's name).")
    String workloadName;
    @Option(names = "--image", paramLabel = "IMAGE", description = "Container image of the workload, e.g. repo/app:1.2.")
    String image;
    @Option(names = "--project", paramLabel = "NAME", description = "Project label (env VIGIL_PROJECT).")
    String project;
    @Option(names = "--environment", paramLabel = "NAME", description = "Environment label, e.g. production (env VIGIL_ENVIRONMENT).")
    String environment;
    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Extra workload label (repeatable).")
    Map<String, String> labels = new LinkedHashMap<>();

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The workload and its arguments (after --).")
    List<String> command;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (noRules && (policyFile != null || dryRun)) {
            // a policy acts on rule matches: with no rules it would silently do nothing
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--no-rules cannot be combined with " + (policyFile != null ? "--policy" : "--dry-run"));
        }
        Path exe;
        try {
            exe = CommandResolver.resolve(command.getFirst(), System.getenv("PATH"));
        } catch (CommandResolver.CommandException e) {
            err.println("vigil: " + e.getMessage());
            err.flush();
            return e.exitCode();
        }
        String sensorId = HexFormat.of().formatHex(randomBytes());
        Map<String, String> env = System.getenv();
        CloudMetadata.Facts cloudFacts = CloudMetadata.fetch(env, CLOUD_METADATA_TIMEOUT, w -> err.println("vigil: " + w));
        Workload workload = WorkloadDetector.detect(new WorkloadDetector.Labels(workloadName, image,
                        project != null ? project : env.get("VIGIL_PROJECT"),
                        environment != null ? environment : env.get("VIGIL_ENVIRONMENT"), labels),
                env, cloudFacts, Path.of("/proc/self/cgroup"), sensorId, exe.getFileName().toString());

        AsyncEventWriter writer = openEvents(err);
        EventShipper shipper = openShipper(err);
        if (ship != null && shipper == null) {
            closeQuietly(writer);
            return 1;
        }
        Rules loaded = noRules ? null : loadRules(err, workload, shipper);
        if (loaded == null && !noRules) {
            closeQuietly(writer);
            if (shipper != null) shipper.close();
            return 1;
        }
        EventSink written = writer != null ? writer : e -> { };
        EventSink toWriter = shipper == null ? written : e -> {
            written.accept(e);
            shipper.accept(e);
        };
        Responder responder = loaded == null ? null : loaded.responder;
        EventSink sink = responder == null ? toWriter : e -> {
            responder.evaluate(e);
            toWriter.accept(e);
            responder.afterWritten(e);
        };
        EventEmitter emitter = new EventEmitter(sensorId, workload, sink, Clock.systemUTC());
        if (responder != null) responder.setEmitter(emitter);
        ProcFs procFs = new ProcFs();
        ProcessTracker tracker = new ProcessTracker(emitter, procFs, ProcessTracker.ancestorsOfSelf(procFs));

        CaptureMode requested = modeChoice == null ? null : modeChoice.noSeccomp ? CaptureMode.PTRACE_ONLY
                : modeChoice.seccompTrace ? CaptureMode.TRACE : modeChoice.seccompNotify ? CaptureMode.NOTIFY : null;
        boolean failClosed = failChoice == null || !failChoice.open;
        // Only what a consumer needs is watched: everything when events are written, else what the rules read.
        Set<Sys> watched = EnumSet.noneOf(Sys.class);
        Set<Sys> atExit = EnumSet.noneOf(Sys.class);
        if (writer != null || shipper != null || (loaded != null && loaded.engine.hasUnrestrictedRules())) {
            watched.addAll(SyscallDecoder.all());
        }
        if (loaded != null) {
            watched.addAll(SyscallDecoder.decodable(loaded.engine.syscalls()));
            atExit.addAll(SyscallDecoder.decodable(loaded.engine.syscallsNeedingResult()));
            // names (fd.sip.name) come from DNS answers: watch the socket calls that carry them
            if (loaded.engine.needsDnsNames()) watched.addAll(SyscallDecoder.NET);
            // drift (proc.is_exe_upper_layer) needs the files written before the exec: watch the calls that write
            if (loaded.engine.needsWrittenFiles()) watched.addAll(SyscallDecoder.WRITES);
            atExit.retainAll(watched);
        }
        if (!watched.isEmpty()) {
            watched.add(Sys.CHDIR);
            watched.add(Sys.FCHDIR);
        }
        Set<Sys> needExit = EnumSet.noneOf(Sys.class);
        needExit.addAll(atExit);
        for (Sys s : SyscallDecoder.NEED_EXIT) if (watched.contains(s)) needExit.add(s);
        DnsCache dns = new DnsCache(16_384);
        // Connect outcomes cost a socket copy and a watcher per connect: made only when events are kept.
        SyscallDecoder decoder = new SyscallDecoder(SyscallTable.host(), tracker, emitter, procFs, dns, atExit,
                writer != null || shipper != null);
        if (responder != null && responder.enforces()) decoder.setVerdicts(responder);
        Map<Sys, Integer> argTests = new EnumMap<>(Sys.class);
        SyscallDecoder.ARG_TESTS.forEach((k, v) -> { if (watched.contains(k)) argTests.put(k, v); });
        CaptureConfig config = new CaptureConfig(exe, command, requested, watched, argTests, needExit, failClosed,
                Libc.getpid() == 1);
        CaptureSession session;
        try {
            session = new CaptureSession(config, tracker, decoder);
        } catch (KernelSupportException e) {
            err.println("vigil: " + e.getMessage());
            err.flush();
            return 125;
        }
        SignalForwarder forwarder = new SignalForwarder(session::rootPid, session.stats().signalsForwarded);
        String signals = forwarder.start();
        if (verbose) {
            err.println("vigil: " + session.describe());
            err.println("vigil: signals: " + signals);
            err.println("vigil: workload " + workload.name() + " container " + workload.containerId()
                    + ("none".equals(workload.cloud()) ? "" : " on " + workload.cloud()) + " sensor " + sensorId);
            if (loaded != null) err.println("vigil: rules: " + loaded.engine.rules().size() + " loaded from " + loaded.names);
            err.println("vigil: watching " + (watched.isEmpty() ? "exec only" : watched.size() + " syscalls")
                    + (atExit.isEmpty() ? "" : "; at exit (rules read the result): " + names(atExit)));
            err.flush();
        }
        emitter.emit(h -> new SensorNotice(h, null, "start", session.describe(), Map.of()));
        int status;
        try {
            status = session.run();
        } catch (KernelSupportException e) {
            err.println("vigil: " + e.getMessage());
            err.flush();
            closeQuietly(writer);
            return 125;
        } finally {
            forwarder.close();
            decoder.close();
        }
        Map<String, Long> counters = new LinkedHashMap<>(session.stats().snapshot());
        emitter.countsByKind().forEach((k, v) -> counters.put("events." + k, v));
        counters.put("processes_seen", tracker.processesSeen());
        counters.put("decode_errors", decoder.errors());
        counters.putAll(tracker.hashCounters());
        counters.put("dns_answers_missed", decoder.dnsAnswersMissed());
        if (loaded != null) {
            counters.putAll(responder.counters());
            counters.put("rule_evaluation_errors", loaded.engine.evaluationErrors());
        }
        emitter.emit(h -> new SensorNotice(h, null, "summary", "workload exited with status " + status, counters));
        closeQuietly(writer);
        if (loaded != null) loaded.close();
        if (shipper != null) {
            shipper.flush(java.time.Duration.ofSeconds(5));
            shipper.close();
            if (verbose) err.println("vigil: shipping: " + shipper.counters());
        }
        if (verbose) printSummary(err, session, tracker, emitter, writer, status);
        if (verbose && loaded != null) {
            err.println("vigil: alerts: " + responder.alertsDelivered() + ", alert sink failures " + loaded.sinkFailures()
                    + ", rule evaluation errors " + loaded.engine.evaluationErrors() + "; decode errors " + decoder.errors());
            StringBuilder sb = new StringBuilder();
            responder.counters().forEach((k, v) -> { if (v != 0 && !k.equals("alerts")) sb.append(' ').append(k).append('=').append(v); });
            err.println("vigil: response:" + (sb.isEmpty() ? " no actions, nothing suppressed" : sb));
            err.flush();
        }
        return status;
    }

    private static String names(Set<Sys> s) {
        return String.join(",", s.stream().map(Sys::kernelName).toList());
    }

    /** The loaded rule engine, the responder acting on its matches, and where alerts go. */
    private static final class Rules implements AutoCloseable {
        final RuleEngine engine;
        final List<AlertSink> sinks;
        final Responder responder;
        final String names;

        Rules(RuleEngine engine, List<AlertSink> sinks, Responder responder, String names) {
            this.engine = engine;
            this.sinks = sinks;
            this.responder = responder;
            this.names = names;
        }

        long sinkFailures() {
            return sinks.stream().mapToLong(AlertSink::failures).sum();
        }

        @Override public void close() {
            responder.close();
            sinks.forEach(AlertSink::close);
        }
    }

    private EventShipper openShipper(PrintWriter err) throws IOException {
        if (ship == null) return null;
        String token = shipTokenFile != null ? Files.readString(shipTokenFile).trim() : System.getenv("VIGIL_HUNT_TOKEN");
        if (ship.getScheme() != null && ship.getScheme().startsWith("http") && (token == null || token.isBlank())) {
            err.println("vigil: --ship " + ship + " needs the hunt server's token: --ship-token-file FILE or VIGIL_HUNT_TOKEN");
            err.flush();
            return null;
        }
        Path dir = spool != null ? spool : Path.of(System.getenv().getOrDefault("VIGIL_CACHE",
                System.getProperty("java.io.tmpdir") + "/vigil-" + Files.getAttribute(Path.of("/proc/self"), "unix:uid")), "spool");
        try {
            return EventShipper.open(ship, dir, ShipperOptions.withToken(token));
        } catch (RuntimeException e) {
            err.println("vigil: cannot ship to " + ship + ": " + e.getMessage());
            err.flush();
            return null;
        }
    }

    private Rules loadRules(PrintWriter err, Workload workload, EventShipper shipper) throws IOException {
        RuleOptions opts = RuleOptions.defaults()
                .withHostname(workload.containerId())
                .withUsers(UserDb.load(Path.of("/etc/passwd"), Path.of("/etc/group")));
        if (minPriority != null) opts = opts.withMinPriority(Priority.parse(minPriority));
        if (!disabledRules.isEmpty()) opts = opts.withDisabledRules(disabledRules);
        if (!enabledRules.isEmpty()) opts = opts.withEnabledRules(enabledRules);
        if (!disabledTags.isEmpty()) opts = opts.withDisabledTags(disabledTags);
        if (!enabledTags.isEmpty()) opts = opts.withEnabledTags(enabledTags);
        List<RulesSource> sources = new ArrayList<>();
        if (rules.isEmpty()) sources.add(RulesSource.text(BundledRules.NAME, BundledRules.text()));
        for (Path r : rules) {
            if (!Files.isReadable(r)) {
                err.println("vigil: rules file " + r + ": cannot be read");
                err.flush();
                return null;
            }
            sources.add(RulesSource.file(r));
        }
        RuleEngine engine = RuleEngine.loadSources(sources, opts);
        for (LoadProblem p : engine.problems()) if (p.isError() || verbose) err.println(p.format());
        err.flush();
        if (engine.hasErrors()) {
            err.println("vigil: the rules have errors (above); fix them or check them with 'vigil rules check'");
            err.flush();
            return null;
        }
        Policy policy;
        try {
            policy = policyFile == null ? Policy.none() : Policy.load(policyFile, System.getenv());
        } catch (PolicyException e) {
            err.println("vigil: policy " + e.getMessage());
            err.flush();
            return null;
        }
        List<AlertSink> sinks = new ArrayList<>(List.of(alertSink(err)));
        if (shipper != null) sinks.add(a -> shipper.acceptAlert(AlertFormatter.json(a)));
        Map<dev.vigil.rules.engine.CompiledRule, ResponsePlan> plans = new java.util.HashMap<>();
        for (var r : engine.rules()) plans.put(r, policy.planFor(r, workload, dryRun));
        // after planning: that is when a rule's {webhook: NAME} missing from the policy is found
        if (verbose) policy.warnings().forEach(w -> err.println("vigil: policy: warning: " + w));
        WebhookSender webhooks = Responder.anyWebhook(plans.values()) ? new WebhookSender(10_000) : null;
        Responder responder = new Responder(engine, plans::get, SyscallDecoder.judgeableTypes(), workload, sinks,
                new AlertGate(policy.noise(), System::nanoTime), webhooks, Responder.ProcessControl.linux());
        if (verbose) {
            plans.forEach((r, p) -> {
                if (r.enabled() && (p.enforcing() || !p.webhooks().isEmpty() || !p.alert())) {
                    err.println("vigil: response: rule '" + r.name() + "': " + describe(p));
                }
            });
        }
        return new Rules(engine, sinks, responder, String.join(", ", sources.stream().map(RulesSource::name).toList()));
    }

    private static String describe(ResponsePlan p) {
        List<String> parts = new ArrayList<>();
        if (p.alert()) parts.add("alert");
        if (p.block()) parts.add("block (" + p.errnoName() + ")");
        if (p.kill() != null) parts.add("kill " + p.kill().name().toLowerCase(java.util.Locale.ROOT));
        p.webhooks().forEach(w -> parts.add("webhook " + w.name()));
        if (parts.isEmpty()) parts.add("silenced");
        return String.join(", ", parts) + (p.dryRun() ? " [dry-run]" : "") + " from " + p.source();
    }

    private AlertSink alertSink(PrintWriter err) throws IOException {
        boolean stream = alerts.equals("stderr") || alerts.equals("stdout");
        Format fmt = alertFormat == null ? (stream ? Format.TEXT : Format.JSON)
                : alertFormat.equalsIgnoreCase("text") ? Format.TEXT : Format.JSON;
        if (alerts.equals("stderr")) return StreamSink.of(new FileOutputStream(FileDescriptor.err), fmt);
        if (alerts.equals("stdout")) return StreamSink.of(new FileOutputStream(FileDescriptor.out), fmt);
        if (alerts.startsWith("http://") || alerts.startsWith("https://")) {
            return new HttpSink(java.net.URI.create(alerts), 10_000, java.time.Duration.ofSeconds(5));
        }
        return StreamSink.file(Path.of(alerts), fmt);
    }

    /** 8 bytes from the kernel's CSPRNG (read directly: SecureRandom's provider set-up costs start-up time). */
    private static byte[] randomBytes() throws IOException {
        try (var in = Files.newInputStream(Path.of("/dev/urandom"))) {
            return in.readNBytes(8);
        }
    }

    private AsyncEventWriter openEvents(PrintWriter err) throws IOException {
        if (events == null) return null;
        OutputStream out;
        boolean close;
        if (events.toString().equals("-")) {
            out = new FileOutputStream(FileDescriptor.out);
            close = false;
        } else {
            out = Files.newOutputStream(events, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            close = true;
        }
        return new AsyncEventWriter(out, close, 65536);
    }

    private static void closeQuietly(AsyncEventWriter w) throws InterruptedException {
        if (w != null) w.close();
    }

    private static void printSummary(PrintWriter err, CaptureSession session, ProcessTracker tracker,
                                     EventEmitter emitter, AsyncEventWriter writer, int status) {
        err.println("vigil: summary: workload exit status " + status + "; mode " + session.mode().description()
                + (session.mode() == CaptureMode.NOTIFY ? (session.syncWakeUp() ? " with" : " without") + " sync wake-up" : ""));
        err.println("vigil: events: " + emitter.emitted() + " emitted" + (writer == null ? " (not written: no --events)"
                : ", " + writer.written() + " written, " + writer.writeErrors() + " write errors"));
        emitter.countsByKind().forEach((k, v) -> err.println("vigil:   " + k + " " + v));
        err.println("vigil: processes seen: " + tracker.processesSeen());
        Map<String, Long> stats = session.stats().snapshot();
        StringBuilder sb = new StringBuilder("vigil: capture:");
        stats.forEach((k, v) -> { if (v != 0) sb.append(' ').append(k).append('=').append(v); });
        err.println(sb);
        long lost = (writer == null ? 0 : emitter.emitted() - writer.written()) + stats.get("internal_errors")
                + stats.get("sink_errors") + stats.get("handler_errors");
        err.println("vigil: lost: " + (lost == 0 ? "nothing" : lost + " (see the counters above: write errors, "
                + "internal, sink and handler errors)"));
        err.flush();
    }
}
