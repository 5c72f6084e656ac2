package dev.vigil.capture;

import dev.vigil.capture.linux.Seccomp;
import dev.vigil.capture.notify.NotifySupervisor;
import dev.vigil.capture.seccomp.FilterProgram;
import dev.vigil.capture.spawn.ExecStub;
import dev.vigil.capture.syscall.Sys;
import dev.vigil.capture.syscall.SyscallTable;
import dev.vigil.capture.tracer.Tracer;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One watched workload: chooses the capture mode, builds the filter, runs the tracer thread and, in notify mode,
 * the supervisor thread, and returns the workload's exit status.
 */
public final class CaptureSession {
    private final CaptureConfig config;
    private final ProcessSink sink;
    private final SyscallHandler handler;
    private final SyscallTable table = SyscallTable.host();
    private final KernelFeatures features;
    private final CaptureMode mode;
    private final CaptureStats stats = new CaptureStats();
    private final AtomicReference<Tracer> tracer = new AtomicReference<>();
    private final AtomicReference<NotifySupervisor> supervisor = new AtomicReference<>();
    private Thread supervisorThread;

    public CaptureSession(CaptureConfig config, ProcessSink sink, SyscallHandler handler) {
        this.config = config;
        this.sink = sink;
        this.handler = handler;
        this.features = KernelFeatures.detect(table);
        this.mode = features.choose(config.requested());
    }

    public CaptureMode mode() {
        return mode;
    }

    public KernelFeatures features() {
        return features;
    }

    public CaptureStats stats() {
        return stats;
    }

    /** The workload's first pid once spawned, else 0. Safe from any thread (signal forwarding). */
    public int rootPid() {
        Tracer t = tracer.get();
        return t == null ? 0 : t.rootPid();
    }

    /** Whether the notify listener runs with SYNC_WAKE_UP (notify mode only; false before it starts). */
    public boolean syncWakeUp() {
        NotifySupervisor s = supervisor.get();
        return s != null && s.syncWakeUp();
    }

    /** The seccomp program for this session's mode, or null in ptrace-only mode. */
    public FilterProgram filter() {
        if (mode == CaptureMode.PTRACE_ONLY) return null;
        Map<Sys, Integer> actions = new EnumMap<>(Sys.class);
        int watchAction = mode == CaptureMode.NOTIFY ? Seccomp.RET_USER_NOTIF : Seccomp.RET_TRACE | Tracer.TRACE_DATA_HANDLER;
        for (Sys s : config.watched()) {
            actions.put(s, config.needExit().contains(s) ? Seccomp.RET_TRACE | Tracer.TRACE_DATA_HANDLER : watchAction);
        }
        actions.put(Sys.EXECVE, Seccomp.RET_TRACE | Tracer.TRACE_DATA_EXEC);
        actions.put(Sys.EXECVEAT, Seccomp.RET_TRACE | Tracer.TRACE_DATA_EXEC);
        return FilterProgram.build(table, actions, config.onlyIfArgSet(), Seccomp.RET_TRACE | FilterProgram.TRACE_DATA_FOREIGN);
    }

    /**
     * Runs the workload to its end on a dedicated tracer thread and returns its exit status (128+n for signal n).
     * Throws {@link KernelSupportException} when it cannot be traced at all.
     */
    public int run() throws InterruptedException {
        Tracer t = new Tracer(table, mode, ExecStub.locate(), config.executable(), config.argv(), filter(),
                config.failClosed(), config.pid1(), sink, handler, stats, this::startSupervisor);
        if (mode == CaptureMode.PTRACE_ONLY) t.watchInPtraceOnly(config.watched());
        tracer.set(t);
        AtomicInteger status = new AtomicInteger(255);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("vigil-tracer").unstarted(() -> {
            try {
                status.set(t.run());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        thread.start();
        thread.join();
        NotifySupervisor s = supervisor.get();
        if (s != null) {
            // repeated: a wake-up that lands just before the thread blocks in RECV is missed
            for (int i = 0; i < 200 && supervisorThread.isAlive(); i++) {
                s.shutdown();
                supervisorThread.join(10);
            }
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error err) throw err;
        return status.get();
    }

    private void startSupervisor(int listener) {
        NotifySupervisor s = new NotifySupervisor(listener, table, handler, stats);
        supervisor.set(s);
        supervisorThread = Thread.ofPlatform().name("vigil-notify").daemon().start(s);
    }

    /** One line for verbose output: the mode chosen and why. */
    public String describe() {
        String m = "capture: " + mode.description() + " (" + features + ")";
        if (mode == CaptureMode.NOTIFY) m += "; exec via RET_TRACE stops";
        if (mode != CaptureMode.PTRACE_ONLY) m += "; no_new_privs is set unless Vigil has CAP_SYS_ADMIN";
        m += config.failClosed() ? "; fail-closed (the workload dies with the sensor)"
                : "; fail-open (the workload outlives the sensor" + (mode == CaptureMode.PTRACE_ONLY ? ")"
                : ", but its watched syscalls then fail with ENOSYS)");
        return m;
    }
}
