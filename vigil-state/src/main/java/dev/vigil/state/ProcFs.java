package dev.vigil.state;

import dev.vigil.capture.linux.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Reads what the state layer needs from {@code /proc/<pid>}: once per exec or for a task first met, never per
 * syscall. Reads go straight through open/read/readlink into reused native buffers (an exec pays this while
 * the task is stopped, so every microsecond shows in the workload's latency). Every read tolerates a task that
 * vanished: fields stay at their "unknown" values. Methods are synchronized: both capture threads may call.
 */
public final class ProcFs implements AutoCloseable {
    private static final int BUF = 64 * 1024;
    private final byte[] root;
    private final Path rootPath;
    private final Arena arena = Arena.ofShared();
    private final Libc libc = new Libc(arena);
    private final MemorySegment path = arena.allocate(4096);
    /** The path being built: the root's bytes stay at its start. */
    private final byte[] pathBytes = new byte[4096];
    private final MemorySegment buf = arena.allocate(BUF);
    private final byte[] bytes = new byte[BUF];

    public ProcFs(Path root) {
        this.root = root.toString().getBytes(StandardCharsets.UTF_8);
        System.arraycopy(this.root, 0, pathBytes, 0, this.root.length);
        this.rootPath = root;
    }

    public ProcFs() {
        this(Path.of("/proc"));
    }

    /** The /proc directory read. */
    public Path root() {
        return rootPath;
    }

    /** A point-in-time view of one task. Strings are null and numbers -1 when unknown. */
    public static final class Snapshot {
        public String comm;
        public String exePath;
        public String cwd;
        public List<String> cmdline;
        public int tgid = -1, ppid = -1, pgid = -1, sid = -1, ttyNr = 0;
        public int ruid = -1, euid = -1, rgid = -1, egid = -1, loginUid = -1;
    }

    /**
     * Reads exe, cwd, status and stat of {@code pid}; {@code withComm} adds comm, {@code withCmdline} cmdline,
     * {@code withLoginUid} loginuid (these rarely change across exec and are derived or inherited instead).
     */
    public synchronized Snapshot read(int pid, boolean withComm, boolean withCmdline, boolean withLoginUid) {
        Snapshot s = new Snapshot();
        s.exePath = link(pid, "exe");
        s.cwd = link(pid, "cwd");
        status(pid, s, withComm);
        int n = file(pid, "stat");
        if (n > 0) {
            // pid (comm) state ppid pgrp session tty_nr ...: comm may hold spaces and ')', so start after the last ')'
            int close = -1;
            for (int i = n - 1; i >= 0; i--) if (bytes[i] == ')') { close = i; break; }
            if (close > 0) {
                long[] f = new long[5];
                int idx = 0, i = close + 2;
                while (idx < 5 && i < n) {
                    int start = i;
                    while (i < n && bytes[i] != ' ') i++;
                    f[idx++] = parse(start, i);
                    i++;
                }
                s.pgid = (int) f[2];
                s.sid = (int) f[3];
                s.ttyNr = (int) f[4];
            }
        }
        if (withLoginUid) {
            n = file(pid, "loginuid");
            if (n > 0) {
                int end = n;
                while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == ' ')) end--;
                long l = parse(0, end);
                s.loginUid = l == 4294967295L || l < 0 ? -1 : (int) l;
            }
        }
        if (withCmdline) s.cmdline = cmdline(pid);
        return s;
    }

    /** Only what status gives (ids and credentials): after a set*id call. */
    public synchronized Snapshot readStatus(int pid) {
        Snapshot s = new Snapshot();
        status(pid, s, false);
        return s;
    }

    private void status(int pid, Snapshot s, boolean withComm) {
        int n = file(pid, "status");
        if (n > 0) {
            s.tgid = field(n, "Tgid:", 0);
            s.ppid = field(n, "PPid:", 0);
            s.ruid = field(n, "Uid:", 0);
            s.euid = field(n, "Uid:", 1);
            s.rgid = field(n, "Gid:", 0);
            s.egid = field(n, "Gid:", 1);
            if (withComm) s.comm = line(n, "Name:");
        }
    }

    /** Everything, as for a task first met. */
    public Snapshot read(int pid, boolean withCmdline) {
        return read(pid, true, withCmdline, true);
    }

    /** The target of {@code /proc/<pid>/cwd} now. */
    public synchronized String cwd(int pid) {
        return link(pid, "cwd");
    }

    /** The target of {@code /proc/<pid>/fd/<fd>}. */
    public synchronized String fdPath(int pid, int fd) {
        return link(pid, "fd/" + fd);
    }

    private synchronized List<String> cmdline(int pid) {
        int n = file(pid, "cmdline");
        if (n < 0) return null;
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (bytes[i] == 0) {
                out.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < n) out.add(new String(bytes, start, n - start, StandardCharsets.UTF_8));
        return out;
    }

    /** "<root>/<pid>/<leaf>\0" into {@link #path}, built on the heap and copied once: set byte by byte, each segment access
     * costs the client compiler ~1 MB to compile (inlined var handle code), and the sensor's memory peaks with it. */
    private void setPath(int pid, String leaf) {
        byte[] b = pathBytes;
        int off = root.length;
        b[off++] = '/';
        String p = Integer.toString(pid);
        for (int i = 0; i < p.length(); i++) b[off++] = (byte) p.charAt(i);
        b[off++] = '/';
        for (int i = 0; i < leaf.length(); i++) b[off++] = (byte) leaf.charAt(i);
        b[off++] = 0;
        MemorySegment.copy(b, 0, path, JAVA_BYTE, 0, off);
    }

    private String link(int pid, String leaf) {
        setPath(pid, leaf);
        long n = libc.readlink(path, buf);
        if (n < 0) return null;
        MemorySegment.copy(buf, JAVA_BYTE, 0, bytes, 0, (int) n);
        return new String(bytes, 0, (int) n, StandardCharsets.UTF_8);
    }

    /**
     * Reads a whole (small) /proc file into {@code bytes}; returns its length or -1. status, stat and loginuid are
     * seq_files, generated whole at the first read: a read shorter than asked is the end, and the read that would
     * return 0 is saved (two of the eleven syscalls an exec costs here).
     */
    private int file(int pid, String leaf) {
        setPath(pid, leaf);
        int fd = libc.openReadOnly(path);
        if (fd < 0) return -1;
        boolean seqFile = !leaf.equals("cmdline");
        int total = 0;
        try {
            while (total < BUF) {
                long r = libc.read(fd, buf.asSlice(total), BUF - total);
                if (r <= 0) break;
                total += (int) r;
                if (seqFile && total < BUF) break;
            }
        } finally {
            libc.close(fd);
        }
        MemorySegment.copy(buf, JAVA_BYTE, 0, bytes, 0, total);
        return total;
    }

    /** Offset just after {@code key} at the start of a line, or -1. */
    private int find(int n, String key) {
        outer:
        for (int i = 0; i + key.length() <= n; i++) {
            if (i > 0 && bytes[i - 1] != '\n') continue;
            for (int k = 0; k < key.length(); k++) if (bytes[i + k] != key.charAt(k)) continue outer;
            return i + key.length();
        }
        return -1;
    }

    private int field(int n, String key, int index) {
        int i = find(n, key);
        if (i < 0) return -1;
        for (int f = 0; ; f++) {
            while (i < n && (bytes[i] == ' ' || bytes[i] == '\t')) i++;
            int start = i;
            while (i < n && bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\n') i++;
            if (f == index) return (int) parse(start, i);
            if (i >= n || bytes[i] == '\n') return -1;
        }
    }

    private String line(int n, String key) {
        int i = find(n, key);
        if (i < 0) return null;
        while (i < n && (bytes[i] == ' ' || bytes[i] == '\t')) i++;
        int start = i;
        while (i < n && bytes[i] != '\n') i++;
        return new String(bytes, start, i - start, StandardCharsets.UTF_8);
    }

    private long parse(int start, int end) {
        if (start >= end) return -1;
        long v = 0;
        boolean neg = bytes[start] == '-';
        for (int i = neg ? start + 1 : start; i < end; i++) {
            int d = bytes[i] - '0';
            if (d < 0 || d > 9) return -1;
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }

    /** The tty device name for a {@code tty_nr} from stat (pts/N, ttyN), or null when there is none. */
    public static String ttyName(int ttyNr) {
        if (ttyNr <= 0) return null;
        int major = (ttyNr >> 8) & 0xfff;
        int minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
        if (major >= 136 && major <= 143) return "pts/" + ((major - 136) * 256 + minor);
        if (major == 4) return minor < 64 ? "tty" + minor : "ttyS" + (minor - 64);
        return "tty(" + major + ":" + minor + ")";
    }

    @Override public void close() {
        arena.close();
    }
}
