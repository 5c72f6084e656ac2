package dev.vigil.capture.tracer;

import dev.vigil.capture.CaptureMode;
import dev.vigil.capture.CaptureStats;
import dev.vigil.capture.KernelSupportException;
import dev.vigil.capture.ProcessSink;
import dev.vigil.capture.SyscallHandler;
import dev.vigil.capture.SyscallStop;
import dev.vigil.capture.linux.Errnos;
import dev.vigil.capture.linux.Libc;
import dev.vigil.capture.linux.LinuxException;
import dev.vigil.capture.linux.ProcessMemory;
import dev.vigil.capture.linux.Ptrace;
import dev.vigil.capture.seccomp.FilterProgram;
import dev.vigil.capture.syscall.Sys;
import dev.vigil.capture.syscall.SyscallTable;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The ptrace loop. Runs entirely on the thread that calls {@link #run()}: it spawns the stub from that thread
 * (so the stub is its child), seizes it, and waits with {@code waitpid(-1, __WALL)} until no traced task is
 * left (or, as PID 1, until the workload's first process exits).
 *
 * <p>Exec is watched here, not by the notify supervisor: the filter sends execve/execveat to a RET_TRACE stop
 * whatever the mode. At that stop argv is read and the task resumed with PTRACE_SYSCALL; a successful exec then
 * stops at PTRACE_EVENT_EXEC (resumed with PTRACE_CONT, so it costs no more stops than exec tracking needs
 * anyway), a failed one stops at syscall exit with its errno. User notification could not tell a failed exec
 * from a successful one, and exec is rare enough that the stop is cheap next to the exec itself.
 */
public final class Tracer {
    private static final System.Logger LOG = System.getLogger(Tracer.class.getName());
    /** RET_TRACE data of the exec syscalls in the filter. */
    public static final int TRACE_DATA_EXEC = 1;
    /** RET_TRACE data of the syscalls handed to the {@link SyscallHandler} (trace mode). */
    public static final int TRACE_DATA_HANDLER = 2;

    private static final int CLONE_THREAD = 0x10000;
    private static final int SYSGOOD_TRAP = Libc.SIGTRAP | 0x80;
    private static final int MAX_ARGS = 4096, MAX_ARGV_BYTES = 256 * 1024;

    private final SyscallTable table;
    private final CaptureMode mode;
    private final Path stub;
    private final Path executable;
    private final List<String> argv;
    private final FilterProgram filter;
    private final boolean failClosed;
    private final boolean pid1;
    private final ProcessSink sink;
    private final SyscallHandler handler;
    private final CaptureStats stats;
    private final IntConsumer listenerReady;
    private final Map<Integer, Task> tasks = new HashMap<>();

    private Libc libc;
    private Ptrace ptrace;
    private ProcessMemory memory;
    private SyscallStop stop;
    private volatile int rootPid;
    private int rootStatus = -1;
    private boolean awaitingListener;

    /** Per-task state the loop needs between stops. */
    private static final class Task {
        boolean execPending;   // an exec attempt was seen; its outcome is the next exec event or syscall exit
        int blockErrno;        // ptrace-only mode: a blocked syscall's errno, written at its exit stop
        boolean exitWanted;    // the handler asked for this syscall's result
        Sys exitSys;
        long exitNr;
        final long[] exitArgs = new long[6];
    }

    /**
     * @param listenerReady called on this thread with the seccomp listener fd (notify mode) once taken from
     *                      the stub; the caller starts the supervisor with it
     */
    public Tracer(SyscallTable table, CaptureMode mode, Path stub, Path executable, List<String> argv,
                  FilterProgram filter, boolean failClosed, boolean pid1, ProcessSink sink, SyscallHandler handler,
                  CaptureStats stats, IntConsumer listenerReady) {
        this.table = table;
        this.mode = mode;
        this.stub = stub;
        this.executable = executable;
        this.argv = List.copyOf(argv);
        this.filter = filter;
        this.failClosed = failClosed;
        this.pid1 = pid1;
        this.sink = sink;
        this.handler = handler;
        this.stats = stats;
        this.listenerReady = listenerReady;
    }

    /** The workload's first pid, 0 before it is spawned. Safe from any thread. */
    public int rootPid() {
        return rootPid;
    }

    /**
     * Spawns and traces the workload until it is done; returns its exit status as a shell reports it
     * (128+n when killed by signal n).
     */
    public int run() {
        try (Arena arena = Arena.ofConfined()) {
            libc = new Libc(arena);
            ptrace = new Ptrace(arena);
            memory = new ProcessMemory(arena, 64 * 1024);
            stop = new SyscallStop(memory);
            int pid = spawnAndSeize();
            rootPid = pid;
            awaitingListener = mode == CaptureMode.NOTIFY;
            tasks.put(pid, new Task());
            stats.tasksSeen.incrementAndGet();
            callSink(() -> sink.onStart(pid, mode));
            loop();
        }
        if (rootStatus == -1) return 255;
        return Libc.exited(rootStatus) ? Libc.exitStatus(rootStatus) : 128 + Libc.termSig(rootStatus);
    }

    private int spawnAndSeize() {
        String modeWord = switch (mode) {
            case NOTIFY -> "notify";
            case TRACE -> "trace";
            case PTRACE_ONLY -> "none";
        };
        List<String> stubArgv = new java.util.ArrayList<>(List.of(stub.toString(), "run", modeWord,
                filter == null ? "-" : filter.toHex(), executable.toString()));
        stubArgv.addAll(argv);
        int pid = libc.spawn(stub.toString(), stubArgv);
        // The stub raises SIGSTOP first thing; wait for that stop (it is our child, not yet traced).
        int r;
        do {
            r = libc.waitpid(pid, Libc.WUNTRACED | Libc.WALL);
        } while (r == -Errnos.EINTR);
        int st = libc.lastStatus();
        if (r < 0 || !Libc.stopped(st)) {
            throw new IllegalStateException("exec stub did not start (wait " + r + ", status " + st + ")");
        }
        int options = Ptrace.O_TRACESYSGOOD | Ptrace.O_TRACEFORK | Ptrace.O_TRACEVFORK | Ptrace.O_TRACECLONE
                | Ptrace.O_TRACEEXEC | (mode == CaptureMode.PTRACE_ONLY ? 0 : Ptrace.O_TRACESECCOMP)
                | (failClosed ? Ptrace.O_EXITKILL : 0);
        long s = ptrace.seize(pid, options);
        if (s < 0) {
            libc.kill(pid, Libc.SIGKILL);
            libc.waitpid(pid, Libc.WALL);
            if (s == -Errnos.EPERM) {
                throw new KernelSupportException("ptrace is not permitted here (PTRACE_SEIZE: EPERM). Vigil needs "
                        + "CAP_SYS_PTRACE: on ECS/Fargate add linuxParameters.capabilities.add [\"SYS_PTRACE\"] to "
                        + "the container definition; on Docker use --cap-add SYS_PTRACE; with Yama, "
                        + "kernel.yama.ptrace_scope must be 0, 1 or 2 with the capability.");
            }
            throw new LinuxException("PTRACE_SEIZE(pid " + pid + ")", (int) -s);
        }
        libc.kill(pid, Libc.SIGCONT);
        return pid;
    }

    private void loop() {
        while (true) {
            int tid = libc.waitpid(-1, Libc.WALL);
            if (tid == -Errnos.EINTR) continue;
            if (tid < 0) {
                if (tid != -Errnos.ECHILD) LOG.log(System.Logger.Level.ERROR, "waitpid failed: " + Libc.errorName(tid));
                return;
            }
            int st = libc.lastStatus();
            try {
                handle(tid, st);
            } catch (RuntimeException | AssertionError e) {
                stats.internalErrors.incrementAndGet();
                LOG.log(System.Logger.Level.WARNING, "error handling a stop of task " + tid + "; resuming it", e);
                if (Libc.stopped(st)) {
                    int event = st >>> 16;
                    int sig = Libc.stopSig(st);
                    ptrace.resume(Ptrace.CONT, tid, event == 0 && sig != SYSGOOD_TRAP ? sig : 0);
                }
            }
        }
    }

    private void handle(int tid, int st) {
        if (!Libc.stopped(st)) {
            taskGone(tid, st);
            return;
        }
        stats.ptraceStops.incrementAndGet();
        int sig = Libc.stopSig(st);
        int event = st >>> 16;
        Task task = tasks.get(tid);
        if (task == null) {
            // A new child may stop before its parent's fork event is reported.
            task = new Task();
            tasks.put(tid, task);
            stats.tasksSeen.incrementAndGet();
        }
        switch (event) {
            case Ptrace.EVENT_STOP -> {
                if (sig == Libc.SIGSTOP || sig == Libc.SIGTSTP || sig == Libc.SIGTTIN || sig == Libc.SIGTTOU) {
                    stats.groupStops.incrementAndGet();
                    ptrace.resume(Ptrace.LISTEN, tid, 0);
                } else {
                    resume(tid, task, 0);
                }
            }
            case Ptrace.EVENT_FORK, Ptrace.EVENT_VFORK, Ptrace.EVENT_CLONE -> onFork(tid, task, event);
            case Ptrace.EVENT_EXEC -> onExec(tid);
            case Ptrace.EVENT_SECCOMP -> onSeccompStop(tid, task);
            case 0 -> {
                if (sig == SYSGOOD_TRAP) onSyscallStop(tid, task);
                else onSignal(tid, task, sig);
            }
            default -> resume(tid, task, 0);
        }
    }

    private void resume(int tid, Task task, int sig) {
        int req = mode == CaptureMode.PTRACE_ONLY || task.execPending || task.exitWanted ? Ptrace.SYSCALL : Ptrace.CONT;
        ptrace.resume(req, tid, sig);
    }

    private void taskGone(int tid, int st) {
        tasks.remove(tid);
        callSink(() -> sink.onExit(tid, st));
        if (tid == rootPid) {
            rootStatus = st;
            if (pid1) {
                // As init of the namespace: the workload is done, so is the container. The kernel would kill the
                // rest when we exit; do it now so they are reaped and accounted for.
                libc.kill(-1, Libc.SIGKILL);
            }
        }
    }

    private void onFork(int tid, Task task, int event) {
        long child = ptrace.eventMsg(tid);
        boolean thread = false;
        Sys via = event == Ptrace.EVENT_FORK ? Sys.FORK : event == Ptrace.EVENT_VFORK ? Sys.VFORK : Sys.CLONE;
        // The syscall number and flags are still in the registers at the event stop.
        long regs = ptrace.getRegs(tid);
        if (regs > 0) {
            MemorySegment r = ptrace.regs();
            long nr = table.nrOffset() >= 0 ? r.get(JAVA_LONG, table.nrOffset()) : -1;
            Sys s = nr >= 0 ? table.sys(nr) : null;
            if (s == Sys.CLONE3) {
                via = Sys.CLONE3;
                long flags = memory.readLong(tid, r.get(JAVA_LONG, table.argOffset(0)), 0);
                thread = (flags & CLONE_THREAD) != 0;
            } else if (s == Sys.CLONE || (s == null && event == Ptrace.EVENT_CLONE)) {
                via = Sys.CLONE;
                thread = (r.get(JAVA_LONG, table.argOffset(0)) & CLONE_THREAD) != 0;
            } else if (s != null && s != Sys.FORK && s != Sys.VFORK) {
                via = s;
            }
        }
        if (child > 0) {
            int c = (int) child;
            if (tasks.putIfAbsent(c, new Task()) == null) stats.tasksSeen.incrementAndGet();
            Sys v = via;
            boolean th = thread;
            callSink(() -> sink.onFork(tid, c, v, th));
        }
        resume(tid, task, 0);
    }

    private void onExec(int pid) {
        long former = ptrace.eventMsg(pid);
        int formerTid = former > 0 ? (int) former : pid;
        if (formerTid != pid) tasks.remove(formerTid); // exec from a non-leader thread: it now has the leader's tid
        Task task = tasks.computeIfAbsent(pid, k -> new Task());
        task.execPending = false;
        awaitingListener = false;
        callSink(() -> sink.onExec(pid, formerTid));
        resume(pid, task, 0);
    }

    private void onSeccompStop(int tid, Task task) {
        stats.seccompStops.incrementAndGet();
        int op = ptrace.syscallInfo(tid);
        if (op != Ptrace.SYSINFO_SECCOMP) {
            resume(tid, task, 0);
            return;
        }
        // the filter's SECCOMP_RET_DATA comes with the syscall info: no PTRACE_GETEVENTMSG needed
        if (ptrace.infoRetData() == FilterProgram.TRACE_DATA_FOREIGN || ptrace.infoArch() != table.auditArch()) {
            stats.foreignArchSyscalls.incrementAndGet();
            resume(tid, task, 0);
            return;
        }
        long nr = ptrace.infoNr();
        Sys sys = table.sys(nr);
        if (sys == Sys.EXECVE || sys == Sys.EXECVEAT) {
            execAttempt(tid, task, sys);
            resume(tid, task, 0);
            return;
        }
        int errno = callHandler(tid, sys, nr, CaptureMode.TRACE);
        if (errno == SyscallHandler.WANT_EXIT) wantExit(task, sys, nr);
        else if (errno != 0) skipSyscall(tid, errno, true);
        resume(tid, task, 0);
    }

    private void wantExit(Task task, Sys sys, long nr) {
        task.exitWanted = true;
        task.exitSys = sys;
        task.exitNr = nr;
        for (int i = 0; i < 6; i++) task.exitArgs[i] = stop.arg(i);
    }

    private void onSyscallStop(int tid, Task task) {
        stats.syscallStops.incrementAndGet();
        int op = ptrace.syscallInfo(tid);
        if (op == Ptrace.SYSINFO_ENTRY) {
            if (ptrace.infoArch() != table.auditArch()) {
                stats.foreignArchSyscalls.incrementAndGet();
            } else {
                long nr = ptrace.infoNr();
                Sys sys = table.sys(nr);
                if (sys == Sys.EXECVE || sys == Sys.EXECVEAT) {
                    execAttempt(tid, task, sys);
                } else if (mode == CaptureMode.PTRACE_ONLY && sys != null && watchedInPtraceOnly[sys.ordinal()]) {
                    int errno = callHandler(tid, sys, nr, CaptureMode.PTRACE_ONLY);
                    if (errno == SyscallHandler.WANT_EXIT) {
                        wantExit(task, sys, nr);
                    } else if (errno != 0) {
                        skipSyscall(tid, errno, false);
                        task.blockErrno = errno;
                    }
                }
            }
        } else if (op == Ptrace.SYSINFO_EXIT) {
            if (task.execPending) {
                task.execPending = false;
                long rval = ptrace.infoRval();
                if (rval < 0) callSink(() -> sink.onExecFailed(tid, (int) -rval));
            }
            if (task.blockErrno != 0) {
                setReturn(tid, -task.blockErrno);
                task.blockErrno = 0;
            }
            if (task.exitWanted) {
                task.exitWanted = false;
                long rval = ptrace.infoRval();
                long[] a = task.exitArgs;
                stop.set(tid, task.exitSys, task.exitNr, mode == CaptureMode.PTRACE_ONLY ? mode : CaptureMode.TRACE,
                        a[0], a[1], a[2], a[3], a[4], a[5]);
                try {
                    handler.onExit(stop, rval);
                } catch (RuntimeException | AssertionError e) {
                    stats.handlerErrors.incrementAndGet();
                }
            }
        }
        resume(tid, task, 0);
    }

    private final boolean[] watchedInPtraceOnly = new boolean[Sys.values().length];

    /** Syscalls the handler watches when there is no filter (ptrace-only mode). */
    public void watchInPtraceOnly(java.util.Set<Sys> watched) {
        for (Sys s : watched) watchedInPtraceOnly[s.ordinal()] = true;
    }

    private void onSignal(int tid, Task task, int sig) {
        if (awaitingListener && tid == rootPid && sig == Libc.SIGSTOP) {
            // The stub stopped itself after installing the filter: take the listener, suppress the SIGSTOP.
            awaitingListener = false;
            takeListener(tid);
            resume(tid, task, 0);
            return;
        }
        stats.signalsReinjected.incrementAndGet();
        resume(tid, task, sig);
    }

    private void takeListener(int pid) {
        int fd = findListenerFd(pid);
        if (fd < 0) throw new IllegalStateException("the exec stub has no seccomp listener fd");
        long pidfd = libc.syscall(table.nr(Sys.PIDFD_OPEN), pid, 0, 0, 0, 0, 0);
        if (pidfd < 0) throw new LinuxException("pidfd_open(" + pid + ")", (int) -pidfd);
        long ours = libc.syscall(table.nr(Sys.PIDFD_GETFD), pidfd, fd, 0, 0, 0, 0);
        libc.close((int) pidfd);
        if (ours < 0) throw new LinuxException("pidfd_getfd(" + pid + ", " + fd + ")", (int) -ours);
        listenerReady.accept((int) ours);
    }

    private static int findListenerFd(int pid) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals("anon_inode:seccomp notify")) {
                        return Integer.parseInt(fd.getFileName().toString());
                    }
                } catch (IOException ignored) {
                    // fd closed meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/" + pid + "/fd", e);
        }
        return -1;
    }

    private void execAttempt(int tid, Task task, Sys sys) {
        boolean execveat = sys == Sys.EXECVEAT;
        long pathPtr = ptrace.infoArg(execveat ? 1 : 0);
        long argvPtr = ptrace.infoArg(execveat ? 2 : 1);
        int dirfd = execveat ? (int) ptrace.infoArg(0) : -100;
        int flags = execveat ? (int) ptrace.infoArg(4) : 0;
        boolean[] truncated = new boolean[1];
        List<String> args = new ArrayList<>();
        String path = memory.readExec(tid, pathPtr, 4096, argvPtr, MAX_ARGS, MAX_ARGV_BYTES, args, truncated);
        task.execPending = true;
        String p = path == null ? "" : path;
        callSink(() -> sink.onExecAttempt(tid, sys, p, dirfd, flags, args, truncated[0]));
    }

    private int callHandler(int tid, Sys sys, long nr, CaptureMode via) {
        stop.set(tid, sys, nr, via, ptrace.infoArg(0), ptrace.infoArg(1), ptrace.infoArg(2), ptrace.infoArg(3),
                ptrace.infoArg(4), ptrace.infoArg(5));
        try {
            int errno = handler.onSyscall(stop);
            if (errno > 0) stats.denied.incrementAndGet();
            return errno;
        } catch (RuntimeException | AssertionError e) {
            stats.handlerErrors.incrementAndGet();
            return 0;
        }
    }

    /** Makes the kernel skip the syscall at this entry stop; at a seccomp stop the return value is set too. */
    private void skipSyscall(int tid, int errno, boolean setReturnNow) {
        long size = ptrace.getRegs(tid);
        if (size <= 0) {
            stats.internalErrors.incrementAndGet(); // the task vanished, or its registers cannot be read
            return;
        }
        MemorySegment r = ptrace.regs();
        if (table.nrOffset() >= 0) {
            r.set(JAVA_LONG, table.nrOffset(), -1L);
        } else if (ptrace.setArmSyscall(tid, -1) < 0) { // aarch64: the number is its own regset
            stats.internalErrors.incrementAndGet();
            return;
        }
        if (setReturnNow || table.nrOffset() < 0) r.set(JAVA_LONG, table.retOffset(), -errno);
        ptrace.setRegs(tid, size);
    }

    private void setReturn(int tid, long value) {
        long size = ptrace.getRegs(tid);
        if (size <= 0) return;
        ptrace.regs().set(JAVA_LONG, table.retOffset(), value);
        ptrace.setRegs(tid, size);
    }

    private void callSink(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | AssertionError e) {
            stats.sinkErrors.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING, "process sink failed; the workload goes on", e);
        }
    }
}
