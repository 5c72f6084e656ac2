package dev.vigil.rules.testing;

import dev.vigil.event.Ancestor;
import dev.vigil.event.DnsMessage;
import dev.vigil.event.Event;
import dev.vigil.event.EventHeader;
import dev.vigil.event.FileOp;
import dev.vigil.event.IdentityChange;
import dev.vigil.event.NetOp;
import dev.vigil.event.ProcessExec;
import dev.vigil.event.ProcessExit;
import dev.vigil.event.ProcessInfo;
import dev.vigil.event.ProcessTamper;
import dev.vigil.event.SockAddr;
import dev.vigil.event.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Hand-built events for rule tests: a fluent process builder and one factory per event kind. */
public final class Events {
    public static final long T0 = 1_764_864_000_123_456_789L; // 2025-12-04T16:00:00.123456789Z
    public static final Workload WORKLOAD = new Workload("checkout", "3f2a9c1b7d4e", "checkout-task",
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/checkout", "1.4.2", "shop", "prod", "aws-ecs-fargate",
            Map.of("team", "payments"));
    public static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_TRUNC = 01000,
            O_CLOEXEC = 02000000, O_DIRECTORY = 0200000;

    private static long seq = 1;

    private Events() {}

    public static EventHeader header() {
        return new EventHeader(Event.SCHEMA_VERSION, seq++, T0, "sensor-1", WORKLOAD);
    }

    /** A process builder; {@code name} also gives exepath /usr/bin/NAME and argv [NAME]. */
    public static P proc(String name) { return new P(name); }

    /** Fluent builder of a {@link ProcessInfo}. */
    public static final class P {
        int pid = 4242, tid = 4242, ppid = 4200, uid = 0, gid = 0, euid = 0, egid = 0, sid = 1, pgid = 4242,
                loginUid = -1;
        String name, exePath, cwd = "/app", tty;
        List<String> argv = new ArrayList<>();
        long start = T0 - 5_000_000_000L;
        boolean written;
        List<Ancestor> ancestors = new ArrayList<>();

        P(String name) {
            this.name = name;
            this.exePath = "/usr/bin/" + name;
            this.argv.add(name);
        }

        public P exe(String path) { this.exePath = path; return this; }
        public P args(String... a) { argv = new ArrayList<>(List.of(a)); return this; }
        public P argv0(String a0) { argv.set(0, a0); return this; }
        public P pid(int p) { pid = p; tid = p; pgid = p; return this; }
        public P tid(int t) { tid = t; return this; }
        public P user(int u) { uid = u; euid = u; return this; }
        public P group(int g) { gid = g; egid = g; return this; }
        public P loginUid(int l) { loginUid = l; return this; }
        public P tty(String t) { tty = t; return this; }
        public P cwd(String c) { cwd = c; return this; }
        public P sid(int s) { sid = s; return this; }
        public P pgid(int g) { pgid = g; return this; }
        public P started(long ns) { start = ns; return this; }
        /** The executable is a file the workload wrote ({@code proc.is_exe_upper_layer}). */
        public P written() { written = true; return this; }

        /** Adds the next ancestor (the first call adds the parent). */
        public P parent(String name, String exe, String... args) {
            List<String> a = new ArrayList<>();
            a.add(name);
            a.addAll(List.of(args));
            int apid = ancestors.isEmpty() ? ppid : 4200 - 10 * ancestors.size();
            ancestors.add(new Ancestor(apid, name, exe, a));
            return this;
        }

        public ProcessInfo build() {
            return new ProcessInfo(pid, tid, ppid, name, exePath, argv, false, cwd, uid, gid, euid, egid, sid, pgid,
                    loginUid, tty, start, ancestors, null, written);
        }
    }

    public static ProcessExec exec(P p) { return exec(p.build()); }

    public static ProcessExec exec(ProcessInfo p) { return new ProcessExec(header(), p, "execve", 0, false); }

    public static ProcessExec filelessExec(P p) { return new ProcessExec(header(), p.build(), "execve", 0, true); }

    public static FileOp open(P p, String path, int flags) { return open(p.build(), path, flags); }

    public static FileOp open(ProcessInfo p, String path, int flags) {
        return new FileOp(header(), p, "openat", FileOp.Op.OPEN, path, null, flags, 0644, -1, -1, 3, 3);
    }

    public static FileOp openFailed(P p, String path, int flags, int errno) {
        return new FileOp(header(), p.build(), "openat", FileOp.Op.OPEN, path, null, flags, 0, -1, -1, -1, -errno);
    }

    /** An open seen at entry only (result not observed). */
    public static FileOp openEntry(P p, String path, int flags) {
        return new FileOp(header(), p.build(), "openat", FileOp.Op.OPEN, path, null, flags, 0, -1, -1, -1, Event.RES_UNKNOWN);
    }

    public static FileOp fileOp(P p, String syscall, FileOp.Op op, String path, String target) {
        return new FileOp(header(), p.build(), syscall, op, path, target, 0, 0, -1, -1, -1, 0);
    }

    public static FileOp chmod(P p, String syscall, String path, int mode) {
        return new FileOp(header(), p.build(), syscall, FileOp.Op.CHMOD, path, null, 0, mode, -1, -1, -1, 0);
    }

    public static FileOp memfd(P p, String name) {
        return new FileOp(header(), p.build(), "memfd_create", FileOp.Op.MEMFD_CREATE, name, null, 1, 0, -1, -1, 5, 5);
    }

    public static NetOp connect(P p, String ip, int port, String... names) {
        String fam = ip.contains(":") ? "inet6" : "inet";
        return new NetOp(header(), p.build(), "connect", NetOp.Op.CONNECT, 7, fam, "stream", "tcp",
                new SockAddr(fam, fam.equals("inet") ? "172.17.0.5" : "fd00::5", 41000), new SockAddr(fam, ip, port),
                List.of(names), 0);
    }

    public static NetOp udpSend(P p, String ip, int port) {
        return new NetOp(header(), p.build(), "sendto", NetOp.Op.SEND, 8, "inet", "dgram", "udp",
                new SockAddr("inet", "172.17.0.5", 50000), new SockAddr("inet", ip, port), List.of(), 64);
    }

    public static NetOp accept(P p, String clientIp, int clientPort, int localPort) {
        return new NetOp(header(), p.build(), "accept4", NetOp.Op.ACCEPT, 9, "inet", "stream", "tcp",
                new SockAddr("inet", "172.17.0.5", localPort), new SockAddr("inet", clientIp, clientPort), List.of(), 9);
    }

    public static NetOp listen(P p, int port) {
        return new NetOp(header(), p.build(), "listen", NetOp.Op.LISTEN, 6, "inet", "stream", "tcp",
                new SockAddr("inet", "0.0.0.0", port), null, List.of(), 0);
    }

    public static NetOp socket(P p, String family, String type) {
        return new NetOp(header(), p.build(), "socket", NetOp.Op.SOCKET, 5, family, type, "", null, null, List.of(), 5);
    }

    public static DnsMessage dnsQuery(P p, String name) {
        return new DnsMessage(header(), p.build(), "sendto", false, "udp", new SockAddr("inet", "169.254.169.253", 53),
                77, 0, List.of(new DnsMessage.Question(name, "A")), List.of(), null);
    }

    public static IdentityChange setuid(P p, int uid) {
        return new IdentityChange(header(), p.build(), "setuid", uid, uid, uid, -1, -1, -1, 0, 0, 0);
    }

    public static IdentityChange capset(P p, long eff, long perm) {
        return new IdentityChange(header(), p.build(), "capset", -1, -1, -1, -1, -1, -1, eff, perm, 0);
    }

    public static ProcessTamper ptrace(P p, int target, long request) {
        return new ProcessTamper(header(), p.build(), "ptrace", target, null, request, 0);
    }

    public static ProcessExit exit(P p, int code) {
        return new ProcessExit(header(), p.build(), code, 0, false);
    }
}
