package dev.vigil.cli;

import dev.vigil.capture.CaptureConfig;
import dev.vigil.capture.CaptureMode;
import dev.vigil.capture.CaptureSession;
import dev.vigil.capture.KernelSupportException;
import dev.vigil.capture.SyscallHandler;
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
import dev.vigil.state.WorkloadDetector;
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
        Workload workload = WorkloadDetector.detect(new WorkloadDetector.Labels(workloadName, image,
                        project != null ? project : env.get("VIGIL_PROJECT"),
                        environment != null ? environment : env.get("VIGIL_ENVIRONMENT"), labels),
                env, Path.of("/proc/self/cgroup"), sensorId, exe.getFileName().toString());

        AsyncEventWriter writer = openEvents(err);
        EventSink sink = writer != null ? writer : e -> { };
        EventEmitter emitter = new EventEmitter(sensorId, workload, sink, Clock.systemUTC());
        ProcFs procFs = new ProcFs();
        ProcessTracker tracker = new ProcessTracker(emitter, procFs, ProcessTracker.ancestorsOfSelf(procFs));

        CaptureMode requested = modeChoice == null ? null : modeChoice.noSeccomp ? CaptureMode.PTRACE_ONLY
                : modeChoice.seccompTrace ? CaptureMode.TRACE : modeChoice.seccompNotify ? CaptureMode.NOTIFY : null;
        boolean failClosed = failChoice == null || !failChoice.open;
        CaptureConfig config = new CaptureConfig(exe, command, requested, Set.of(), failClosed, Libc.getpid() == 1);
        CaptureSession session;
        try {
            session = new CaptureSession(config, tracker, SyscallHandler.ALLOW_ALL);
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
            err.println("vigil: workload " + workload.name() + " container " + workload.containerId() + " sensor " + sensorId);
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
        }
        Map<String, Long> counters = new LinkedHashMap<>(session.stats().snapshot());
        tracker.counts().forEach((k, v) -> counters.put("events." + k, v));
        counters.put("processes_seen", tracker.processesSeen());
        emitter.emit(h -> new SensorNotice(h, null, "summary", "workload exited with status " + status, counters));
        closeQuietly(writer);
        if (verbose) printSummary(err, session, tracker, emitter, writer, status);
        return status;
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
        tracker.counts().forEach((k, v) -> err.println("vigil:   " + k + " " + v));
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
