package dev.vigil.state.decode;

import dev.vigil.capture.SyscallHandler;
import dev.vigil.capture.SyscallStop;
import dev.vigil.capture.syscall.Sys;
import dev.vigil.capture.syscall.SyscallTable;
import dev.vigil.event.Event;
import dev.vigil.event.ProcessInfo;
import dev.vigil.state.DnsCache;
import dev.vigil.state.EventEmitter;
import dev.vigil.state.ProcFs;
import dev.vigil.state.ProcessTracker;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sensor's {@link SyscallHandler}: decodes each watched syscall into an event (file, network, DNS,
 * identity), emits it, and returns the verdict the response layer gives for it. Any failure while decoding is
 * counted and the syscall allowed (fail-open): the workload never pays for a decoding bug.
 */
public final class SyscallDecoder implements SyscallHandler, AutoCloseable {
    /** File-system syscalls decoded into FileOp events (chdir/fchdir only keep the cwd current). */
    public static final Set<Sys> FILE = EnumSet.of(Sys.OPEN, Sys.CREAT, Sys.OPENAT, Sys.OPENAT2, Sys.RENAME, Sys.RENAMEAT,
            Sys.RENAMEAT2, Sys.LINK, Sys.LINKAT, Sys.SYMLINK, Sys.SYMLINKAT, Sys.UNLINK, Sys.UNLINKAT, Sys.RMDIR,
            Sys.MKDIR, Sys.MKDIRAT, Sys.CHMOD, Sys.FCHMOD, Sys.FCHMODAT, Sys.FCHMODAT2, Sys.CHOWN, Sys.LCHOWN,
            Sys.FCHOWN, Sys.FCHOWNAT, Sys.TRUNCATE, Sys.FTRUNCATE, Sys.MEMFD_CREATE, Sys.CHDIR, Sys.FCHDIR);
    /** Socket syscalls decoded into NetOp and DnsMessage events. */
    public static final Set<Sys> NET = EnumSet.of(Sys.SOCKET, Sys.CONNECT, Sys.BIND, Sys.LISTEN, Sys.ACCEPT, Sys.ACCEPT4,
            Sys.SENDTO, Sys.SENDMSG, Sys.SENDMMSG, Sys.RECVFROM);
    /**
     * The file syscalls that create or change a file that could later be run ({@code WrittenFiles}): watched
     * when a rule reads whether an executable was written by the workload ({@code proc.is_exe_upper_layer}).
     */
    public static final Set<Sys> WRITES = EnumSet.of(Sys.OPEN, Sys.CREAT, Sys.OPENAT, Sys.OPENAT2, Sys.RENAME,
            Sys.RENAMEAT, Sys.RENAMEAT2, Sys.LINK, Sys.LINKAT, Sys.CHMOD, Sys.FCHMOD, Sys.FCHMODAT, Sys.FCHMODAT2,
            Sys.TRUNCATE, Sys.FTRUNCATE);
    /** Identity and tampering syscalls. */
    public static final Set<Sys> IDENTITY = EnumSet.of(Sys.SETUID, Sys.SETGID, Sys.SETREUID, Sys.SETREGID, Sys.SETRESUID,
            Sys.SETRESGID, Sys.CAPSET, Sys.PTRACE, Sys.PROCESS_VM_WRITEV, Sys.KILL, Sys.TKILL, Sys.TGKILL);
    /** Argument tests for the filter: recvfrom is handed over only with a source-address buffer (resolvers). */
    public static final Map<Sys, Integer> ARG_TESTS = Map.of(Sys.RECVFROM, 4);
    /** Syscalls whose result is needed: accept's new fd and peer (a ptrace exit stop; accepts are rare). */
    public static final Set<Sys> NEED_EXIT = EnumSet.of(Sys.ACCEPT, Sys.ACCEPT4);

    private final ProcessTracker tracker;
    private final EventEmitter emitter;
    private final Set<Sys> exitObserved;
    private final Map<Integer, Decoded> awaitingExit = new java.util.HashMap<>(); // tracer thread only
    private final FileDecoder files;
    private final NetDecoder net;
    private final IdentityDecoder identity;
    private final ConnectWatcher connects;
    private volatile Verdicts verdicts = Verdicts.NONE;
    private volatile Set<Sys> judged = EnumSet.noneOf(Sys.class);
    private final AtomicLong errors = new AtomicLong();

    /**
     * @param exitObserved syscalls whose events are made at syscall exit with their result (the rules read it:
     *                     Falco evaluates most syscall rules on the exit event); the capture layer must deliver
     *                     them as ptrace stops ({@code CaptureConfig.needExit}). The rest are seen at entry.
     */
    public SyscallDecoder(SyscallTable table, ProcessTracker tracker, EventEmitter emitter, ProcFs procFs, DnsCache dns,
                          Set<Sys> exitObserved) {
        this(table, tracker, emitter, procFs, dns, exitObserved, true);
    }

    /**
     * @param connectOutcomes whether to report connect outcomes seen at entry ({@code CONNECT_RESULT}, from the
     *                        {@link ConnectWatcher}); worth its cost only when someone reads them (event output)
     */
    public SyscallDecoder(SyscallTable table, ProcessTracker tracker, EventEmitter emitter, ProcFs procFs, DnsCache dns,
                          Set<Sys> exitObserved, boolean connectOutcomes) {
        this.tracker = tracker;
        this.emitter = emitter;
        this.exitObserved = exitObserved.isEmpty() ? EnumSet.noneOf(Sys.class) : EnumSet.copyOf(exitObserved);
        PathResolver paths = new PathResolver(procFs);
        this.files = new FileDecoder(paths);
        this.connects = this.exitObserved.contains(Sys.CONNECT) || !connectOutcomes ? null
                : new ConnectWatcher(emitter, table.nr(Sys.CONNECT));
        this.net = new NetDecoder(emitter, dns, connects, table);
        this.identity = new IdentityDecoder(tracker);
    }

    /** The syscalls of {@code names} (Falco event types) that this decoder turns into events. */
    public static Set<Sys> decodable(Set<String> names) {
        EnumSet<Sys> out = EnumSet.noneOf(Sys.class);
        for (String n : names) {
            Sys s = Sys.byKernelName(n);
            if (s != null && all().contains(s)) out.add(s);
        }
        return out;
    }

    /**
     * The response layer's verdicts; none until set. Only syscalls it judges pay for judging (an attempt event
     * and a rules pass): the set is taken here, once.
     */
    public void setVerdicts(Verdicts v) {
        EnumSet<Sys> j = EnumSet.noneOf(Sys.class);
        for (Sys s : judgeable()) if (v.judges(s.kernelName())) j.add(s);
        this.judged = j;
        this.verdicts = v;
    }

    /** The event types whose attempts can be judged: every syscall decoded at entry. */
    public static Set<String> judgeableTypes() {
        Set<String> out = new java.util.TreeSet<>();
        for (Sys s : judgeable()) out.add(s.kernelName());
        return out;
    }

    /** The syscalls that become events at entry (not accept, seen at its exit; not chdir, state only). */
    private static Set<Sys> judgeable() {
        Set<Sys> s = all();
        s.removeAll(NEED_EXIT);
        s.removeAll(EnumSet.of(Sys.CHDIR, Sys.FCHDIR));
        return s;
    }

    /** Every syscall the decoders understand. */
    public static Set<Sys> all() {
        EnumSet<Sys> s = EnumSet.copyOf(FILE);
        s.addAll(NET);
        s.addAll(IDENTITY);
        return s;
    }

    @Override public int onSyscall(SyscallStop stop) {
        Sys sys = stop.sys();
        if (sys == null) return 0;
        try {
            if (NEED_EXIT.contains(sys)) return WANT_EXIT;
            int tid = stop.tid();
            if (sys == Sys.CHDIR || sys == Sys.FCHDIR) {
                tracker.cwdMayChange(tid);
                return 0;
            }
            ProcessInfo p = tracker.processOf(tid);
            // At a ptrace stop (never in the notify supervisor) a syscall whose result the rules need waits for
            // its exit before it becomes an event.
            boolean atExit = exitObserved.contains(sys) && stop.via() != dev.vigil.capture.CaptureMode.NOTIFY;
            boolean judge = judged.contains(sys);
            if (sys == Sys.CONNECT && atExit) return decided(tid, net.connectAtExit(stop, p), judge, true);
            if (NetDecoder.handles(sys)) {
                // socket calls emit as they decode (a send may carry a datagram and a DNS query): judged after
                List<Event> emitted = net.decodeAll(stop, p);
                int errno = 0;
                if (judge) for (int i = 0; i < emitted.size() && errno == 0; i++) errno = verdicts.judge(emitted.get(i));
                if (sys == Sys.CONNECT) net.afterVerdict(errno);
                return errno;
            }
            Decoded d = FileDecoder.handles(sys) ? files.decode(stop, p) : identity.decode(stop, p);
            if (d == null) return 0;
            return decided(tid, d, judge, atExit);
        } catch (RuntimeException | AssertionError ex) {
            errors.incrementAndGet();
            if (sys == Sys.CONNECT) net.afterVerdict(1);
            return 0;
        }
    }

    /**
     * A decoded syscall: judged first when asked (as a provisional attempt that reads as succeeded); a blocked
     * one is emitted at once with the errno as its result, else it becomes an event now or at its exit.
     */
    private int decided(int tid, Decoded d, boolean judge, boolean atExit) {
        if (judge) {
            int errno = verdicts.judge(emitter.provisional(h -> d.build(h, 0)));
            if (errno != 0) {
                emitter.emit(h -> d.build(h, -errno)); // failed: nothing was written
                return errno;
            }
        }
        if (atExit) return awaitExit(tid, d);
        tracker.writtenFiles().observe(emitter.emit(h -> d.build(h, Event.RES_UNKNOWN)));
        return 0;
    }

    private int awaitExit(int tid, Decoded d) {
        if (awaitingExit.size() > 65_536) awaitingExit.clear(); // tasks killed mid-syscall never reach their exit
        awaitingExit.put(tid, d);
        return WANT_EXIT;
    }

    @Override public void onExit(SyscallStop stop, long result) {
        try {
            if (stop.sys() == Sys.ACCEPT || stop.sys() == Sys.ACCEPT4) {
                net.acceptExit(stop, tracker.processOf(stop.tid()), result); // seen at exit: too late to judge
                return;
            }
            Decoded d = awaitingExit.remove(stop.tid());
            if (d == null) return;
            tracker.writtenFiles().observe(emitter.emit(h -> d.build(h, result)));
        } catch (RuntimeException | AssertionError ex) {
            errors.incrementAndGet();
        }
    }

    /** Decoding failures (each one let its syscall run). */
    public long errors() {
        return errors.get();
    }

    /** Resolver answers that could not be seen because nothing was queued yet when recvfrom was called. */
    public long dnsAnswersMissed() {
        return net.dnsAnswersMissed.get();
    }

    /** Ends the connect watcher, reporting what is still pending. */
    @Override public void close() throws InterruptedException {
        if (connects != null) connects.close();
    }
}
