package dev.vigil.state;

import dev.vigil.capture.CaptureMode;
import dev.vigil.capture.ProcessSink;
import dev.vigil.capture.linux.Libc;
import dev.vigil.capture.syscall.Sys;
import dev.vigil.event.Ancestor;
import dev.vigil.event.ProcessExec;
import dev.vigil.event.ProcessExecFailed;
import dev.vigil.event.ProcessExit;
import dev.vigil.event.ProcessFork;
import dev.vigil.event.ProcessInfo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process table, kept from the tracer's facts, and the process events made from them. Memory is bounded by
 * the live tasks: an entry goes when its process exits, a pending exec attempt when its outcome is known.
 *
 * <p>Threading: the {@code ProcessSink} methods run on the tracer thread; {@link #processOf(int)} may be called
 * from the notify supervisor thread as well.
 */
public final class ProcessTracker implements ProcessSink {
    private static final int AT_FDCWD = -100;

    /** One live process (thread group). */
    private static final class Proc {
        volatile ProcessInfo info;
        volatile boolean cwdChanged;   // a chdir was seen: re-read /proc/<tid>/cwd when next needed
        volatile boolean credsChanged; // a set*id was seen: re-read the credentials when next needed
        int threads = 1;
        Proc(ProcessInfo info) { this.info = info; }
    }

    private record PendingExec(Sys sys, String path, int dirfd, int flags, List<String> argv, boolean truncated) {}

    private final EventEmitter emitter;
    private final ProcFs procFs;
    private final ExeHasher hasher = new ExeHasher(64L << 20, 4096);
    private final WrittenFiles written = new WrittenFiles(WrittenFiles.DEFAULT_CAPACITY);
    private final Path procRoot;
    private final List<Ancestor> rootAncestors;
    private final Map<Integer, Proc> byPid = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> tidToPid = new ConcurrentHashMap<>();
    private final Map<Integer, PendingExec> pending = new HashMap<>();
    private final AtomicLong processesSeen = new AtomicLong();
    private volatile int rootPid;

    /**
     * @param rootAncestors the workload's ancestors outside the sensor (Vigil's own parent chain, Vigil itself
     *                      left out so that the workload looks as it would without it)
     */
    public ProcessTracker(EventEmitter emitter, ProcFs procFs, List<Ancestor> rootAncestors) {
        this.emitter = emitter;
        this.procFs = procFs;
        this.procRoot = procFs.root();
        this.rootAncestors = List.copyOf(rootAncestors);
    }

    /** Vigil's own ancestors from /proc, nearest first, without Vigil itself. */
    public static List<Ancestor> ancestorsOfSelf(ProcFs procFs) {
        List<Ancestor> out = new ArrayList<>();
        ProcFs.Snapshot self = procFs.read(Libc.getpid(), false);
        int pid = self.ppid;
        while (pid > 0 && out.size() < ProcessInfo.MAX_ANCESTORS) {
            ProcFs.Snapshot s = procFs.read(pid, true);
            if (s.comm == null) break;
            out.add(new Ancestor(pid, s.comm, s.exePath, s.cmdline));
            pid = s.ppid;
        }
        return out;
    }

    public int rootPid() {
        return rootPid;
    }

    public long processesSeen() {
        return processesSeen.get();
    }

    /** The context of the process that {@code tid} belongs to, seen from that thread; read from /proc if new. */
    public ProcessInfo processOf(int tid) {
        Proc p = proc(tid);
        if (p.cwdChanged) {
            p.cwdChanged = false;
            String cwd = procFs.cwd(tid);
            if (cwd != null) p.info = p.info.withCwd(cwd);
        }
        if (p.credsChanged) {
            p.credsChanged = false;
            ProcFs.Snapshot s = procFs.readStatus(tid);
            if (s.ruid >= 0) p.info = p.info.withCreds(s.ruid, s.rgid, s.euid, s.egid);
        }
        return p.info.withTid(tid);
    }

    private Proc proc(int tid) {
        Integer pid = tidToPid.get(tid);
        Proc p = pid == null ? null : byPid.get(pid);
        return p == null ? adopt(tid) : p;
    }

    /**
     * A chdir/fchdir is about to run in {@code tid}'s process: its cwd is re-read, once, when an event next
     * needs it (by then the call has finished). Cheaper than reading /proc at every relative path.
     */
    public void cwdMayChange(int tid) {
        proc(tid).cwdChanged = true;
    }

    /** A set*id/capset is about to run: the credentials are re-read when an event next needs them. */
    public void credsMayChange(int tid) {
        proc(tid).credsChanged = true;
    }

    /**
     * The files the workload wrote since the sensor started, fed by the decoders' file events; an exec of one
     * marks the process image ({@link ProcessInfo#exeWritten()}).
     */
    public WrittenFiles writtenFiles() {
        return written;
    }

    /** The command line of a watched process, or null when {@code pid} is not one (kill/ptrace targets). */
    public String cmdlineOf(int pid) {
        Proc p = byPid.get(pid);
        return p == null ? null : p.info.cmdline();
    }

    @Override public void onStart(int pid, CaptureMode mode) {
        rootPid = pid;
        ProcFs.Snapshot s = procFs.read(pid, true);
        ProcessInfo info = fromSnapshot(pid, pid, Libc.getpid(), s, s.cmdline, false, rootAncestors);
        byPid.put(pid, new Proc(info));
        tidToPid.put(pid, pid);
        processesSeen.incrementAndGet();
    }

    @Override public void onExecAttempt(int tid, Sys sys, String path, int dirfd, int flags, List<String> argv,
                                        boolean argvTruncated) {
        pending.put(tid, new PendingExec(sys, path, dirfd, flags, argv, argvTruncated));
    }

    @Override public void onExec(int pid, int formerTid) {
        PendingExec attempt = pending.remove(formerTid);
        if (formerTid != pid) {
            pending.remove(pid);
            tidToPid.remove(formerTid);
        }
        Proc p = byPid.get(pid);
        if (p == null) p = adopt(pid);
        ProcessInfo old = p.info;
        // comm is the basename of the path exec was given (the kernel's own rule), loginuid survives exec: neither
        // is read from /proc unless the attempt was not seen or exec'd an fd (execveat AT_EMPTY_PATH).
        String comm = attempt == null ? null : commOf(attempt.path());
        ProcFs.Snapshot s = procFs.read(pid, comm == null, attempt == null, false);
        if (comm != null) s.comm = comm;
        s.loginUid = old.loginUid();
        List<String> argv = attempt != null ? attempt.argv() : s.cmdline;
        boolean truncated = attempt != null && attempt.truncated();
        ProcessInfo base = fromSnapshot(pid, pid, old.ppid(), s, argv, truncated, old.ancestors());
        String exe = base.exePath() == null ? "" : base.exePath();
        boolean fileless = exe.startsWith("/memfd:") || exe.endsWith(" (deleted)");
        ProcessInfo info = base.withExeSha256(hasher.hash(procRoot, pid))
                .withExeWritten(!fileless && written.wrote(exe, procRoot, pid));
        p.info = info;
        // exec kills every other thread of the process
        p.threads = 1;
        tidToPid.put(pid, pid);
        String syscall = attempt != null ? attempt.sys().kernelName() : "execve";
        emitter.emit(h -> new ProcessExec(h, info, syscall, formerTid == pid ? 0 : formerTid, fileless));
    }

    @Override public void onExecFailed(int tid, int errno) {
        PendingExec attempt = pending.remove(tid);
        if (attempt == null) return;
        ProcessInfo caller = processOf(tid);
        String path = absolute(tid, attempt, caller);
        emitter.emit(h -> new ProcessExecFailed(h, caller, attempt.sys().kernelName(), path, attempt.argv(), errno));
    }

    @Override public void onFork(int parentTid, int childTid, Sys via, boolean thread) {
        ProcessInfo parent = processOf(parentTid);
        if (thread) {
            tidToPid.put(childTid, parent.pid());
            Proc p = byPid.get(parent.pid());
            if (p != null) p.threads++;
        } else if (!tidToPid.containsKey(childTid)) {
            List<Ancestor> anc = new ArrayList<>(ProcessInfo.MAX_ANCESTORS);
            anc.add(new Ancestor(parent.pid(), parent.name(), parent.exePath(), parent.argv()));
            for (Ancestor a : parent.ancestors()) {
                if (anc.size() >= ProcessInfo.MAX_ANCESTORS) break;
                anc.add(a);
            }
            ProcessInfo child = new ProcessInfo(childTid, childTid, parent.pid(), parent.name(), parent.exePath(),
                    parent.argv(), parent.argvTruncated(), parent.cwd(), parent.uid(), parent.gid(), parent.euid(),
                    parent.egid(), parent.sid(), parent.pgid(), parent.loginUid(), parent.tty(), emitter.nowNs(), anc,
                    parent.exeSha256(), parent.exeWritten());
            byPid.put(childTid, new Proc(child));
            tidToPid.put(childTid, childTid);
            processesSeen.incrementAndGet();
        }
        emitter.emit(h -> new ProcessFork(h, parent, via.kernelName(), thread ? parent.pid() : childTid, childTid, thread));
    }

    @Override public void onExit(int tid, int waitStatus) {
        pending.remove(tid);
        Integer pid = tidToPid.remove(tid);
        if (pid == null) return; // a task we never knew (e.g. an untraced child of the JVM)
        Proc p = byPid.get(pid);
        if (p == null) return;
        if (tid != pid) {
            p.threads--;
            return;
        }
        byPid.remove(pid);
        ProcessInfo info = p.info;
        boolean signaled = !Libc.exited(waitStatus);
        int code = signaled ? -1 : Libc.exitStatus(waitStatus);
        int sig = signaled ? Libc.termSig(waitStatus) : 0;
        boolean core = signaled && Libc.coreDumped(waitStatus);
        emitter.emit(h -> new ProcessExit(h, info, code, sig, core));
    }

    /** Live processes in the table (bounded by what runs). */
    public int liveProcesses() {
        return byPid.size();
    }

    /** Executables hashed, found in the hash cache, and skipped as too large. */
    public Map<String, Long> hashCounters() {
        return Map.of("exe_hashed", hasher.hashed.get(), "exe_hash_cached", hasher.cached.get(),
                "exe_hash_skipped", hasher.skipped.get());
    }

    /** The task name the kernel gives at exec: the path's last component, at most 15 bytes; null if unknown. */
    static String commOf(String path) {
        if (path == null || path.isEmpty() || path.endsWith("/")) return null;
        String base = path.substring(path.lastIndexOf('/') + 1);
        byte[] b = base.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (b.length <= 15) return base;
        return new String(b, 0, 15, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A task we learn about before its parent's fork event (or never saw fork): read it from /proc. */
    private Proc adopt(int tid) {
        ProcFs.Snapshot s = procFs.read(tid, true);
        int pid = s.tgid > 0 ? s.tgid : tid;
        Proc existing = byPid.get(pid);
        if (existing != null) {
            tidToPid.put(tid, pid);
            return existing;
        }
        Proc parent = s.ppid > 0 ? byPid.get(s.ppid) : null;
        List<Ancestor> anc = new ArrayList<>();
        if (parent != null) {
            ProcessInfo pi = parent.info;
            anc.add(new Ancestor(pi.pid(), pi.name(), pi.exePath(), pi.argv()));
            for (Ancestor a : pi.ancestors()) if (anc.size() < ProcessInfo.MAX_ANCESTORS) anc.add(a);
        }
        Proc p = new Proc(fromSnapshot(pid, tid, s.ppid, s, s.cmdline, false, anc).withExeWritten(written.wrote(s.exePath)));
        byPid.put(pid, p);
        tidToPid.put(tid, pid);
        processesSeen.incrementAndGet();
        return p;
    }

    private ProcessInfo fromSnapshot(int pid, int tid, int ppid, ProcFs.Snapshot s, List<String> argv,
                                     boolean truncated, List<Ancestor> ancestors) {
        return new ProcessInfo(pid, tid, ppid, s.comm, s.exePath, argv, truncated, s.cwd, s.ruid, s.rgid, s.euid,
                s.egid, s.sid, s.pgid, s.loginUid, ProcFs.ttyName(s.ttyNr), emitter.nowNs(), ancestors);
    }

    private String absolute(int tid, PendingExec a, ProcessInfo caller) {
        String path = a.path();
        if (path.startsWith("/")) return Path.of(path).normalize().toString();
        String base;
        if (a.dirfd() == AT_FDCWD) {
            base = procFs.cwd(tid);
            if (base == null) base = caller.cwd();
        } else {
            base = procFs.fdPath(tid, a.dirfd());
            if (path.isEmpty()) return base;
        }
        return base == null ? path : Path.of(base).resolve(path).normalize().toString();
    }
}
