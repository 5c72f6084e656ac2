package dev.vigil.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what the state layer needs from {@code /proc/<pid>}: once per exec or for a task first met, never per
 * syscall. Every read tolerates a task that vanished (fields stay at their "unknown" values).
 */
public final class ProcFs {
    private final Path root;

    public ProcFs(Path root) {
        this.root = root;
    }

    public ProcFs() {
        this(Path.of("/proc"));
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

    /** Reads comm, exe, cwd, status and stat of {@code pid}; {@code withCmdline} adds /proc/pid/cmdline. */
    public Snapshot read(int pid, boolean withCmdline) {
        Snapshot s = new Snapshot();
        Path dir = root.resolve(Integer.toString(pid));
        s.exePath = link(dir.resolve("exe"));
        s.cwd = link(dir.resolve("cwd"));
        s.comm = text(dir.resolve("comm"));
        if (s.comm != null) s.comm = s.comm.strip();
        String status = text(dir.resolve("status"));
        if (status != null) {
            for (String line : status.split("\n")) {
                if (line.startsWith("Tgid:")) s.tgid = firstInt(line, 0);
                else if (line.startsWith("PPid:")) s.ppid = firstInt(line, 0);
                else if (line.startsWith("Uid:")) { s.ruid = firstInt(line, 0); s.euid = firstInt(line, 1); }
                else if (line.startsWith("Gid:")) { s.rgid = firstInt(line, 0); s.egid = firstInt(line, 1); }
            }
        }
        String stat = text(dir.resolve("stat"));
        if (stat != null) {
            // pid (comm) state ppid pgrp session tty_nr ...: comm may hold spaces and ')', so parse after the last ')'
            int close = stat.lastIndexOf(')');
            if (close > 0) {
                String[] f = stat.substring(close + 2).split(" ");
                if (f.length > 4) {
                    s.pgid = parseInt(f[2]);
                    s.sid = parseInt(f[3]);
                    s.ttyNr = parseInt(f[4]);
                }
            }
        }
        String login = text(dir.resolve("loginuid"));
        if (login != null) {
            long l = parseLong(login.strip());
            s.loginUid = l == 4294967295L || l < 0 ? -1 : (int) l;
        }
        if (withCmdline) s.cmdline = cmdline(dir.resolve("cmdline"));
        return s;
    }

    /** The target of {@code /proc/<pid>/cwd} now. */
    public String cwd(int pid) {
        return link(root.resolve(Integer.toString(pid)).resolve("cwd"));
    }

    /** The target of {@code /proc/<pid>/fd/<fd>}. */
    public String fdPath(int pid, int fd) {
        return link(root.resolve(Integer.toString(pid)).resolve("fd").resolve(Integer.toString(fd)));
    }

    private static List<String> cmdline(Path p) {
        try {
            byte[] b = Files.readAllBytes(p);
            List<String> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < b.length; i++) {
                if (b[i] == 0) {
                    out.add(new String(b, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (start < b.length) out.add(new String(b, start, b.length - start, StandardCharsets.UTF_8));
            return out;
        } catch (IOException e) {
            return null;
        }
    }

    private static String link(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static String text(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private static int firstInt(String line, int index) {
        String[] f = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        return index < f.length ? parseInt(f[index]) : -1;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
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
}
