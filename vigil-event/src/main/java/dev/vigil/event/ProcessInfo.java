package dev.vigil.event;

import java.util.List;

/**
 * The process context of an event, built once per exec and shared by every event of that process image.
 *
 * @param pid        thread group id (Falco {@code proc.pid})
 * @param tid        the thread that made the call ({@code thread.tid})
 * @param ppid       parent's pid
 * @param name       the task name ({@code comm}: the executable's basename, at most 15 bytes)
 * @param exePath    the executable's full path as resolved by the kernel ({@code proc.exepath})
 * @param argv       argv as passed to execve; {@code argv[0]} is Falco's {@code proc.exe}
 * @param argvTruncated true when argv was longer than the sensor reads ({@code docs/EVENTS.md})
 * @param startTimeNs when this process image started (exec, or fork for an unexec'd child), ns since epoch
 * @param ancestors  parent chain, nearest first, at most {@link #MAX_ANCESTORS}
 * @param exeSha256  SHA-256 of the executable (hex), or null when not hashed (too large, unreadable)
 * @param exeWritten true when the executable is a file the watched workload created or changed since the
 *                   sensor started (drift: Falco's {@code proc.is_exe_upper_layer}); see docs/EVENTS.md
 */
public record ProcessInfo(int pid, int tid, int ppid, String name, String exePath, List<String> argv,
                          boolean argvTruncated, String cwd, int uid, int gid, int euid, int egid,
                          int sid, int pgid, int loginUid, String tty, long startTimeNs,
                          List<Ancestor> ancestors, String exeSha256, boolean exeWritten) {

    public static final int MAX_ANCESTORS = 8;

    /** A process context whose executable was not written by the workload. */
    public ProcessInfo(int pid, int tid, int ppid, String name, String exePath, List<String> argv,
                       boolean argvTruncated, String cwd, int uid, int gid, int euid, int egid,
                       int sid, int pgid, int loginUid, String tty, long startTimeNs, List<Ancestor> ancestors,
                       String exeSha256) {
        this(pid, tid, ppid, name, exePath, argv, argvTruncated, cwd, uid, gid, euid, egid, sid, pgid, loginUid, tty,
                startTimeNs, ancestors, exeSha256, false);
    }

    /** A process context whose executable was not hashed. */
    public ProcessInfo(int pid, int tid, int ppid, String name, String exePath, List<String> argv,
                       boolean argvTruncated, String cwd, int uid, int gid, int euid, int egid,
                       int sid, int pgid, int loginUid, String tty, long startTimeNs, List<Ancestor> ancestors) {
        this(pid, tid, ppid, name, exePath, argv, argvTruncated, cwd, uid, gid, euid, egid, sid, pgid, loginUid, tty,
                startTimeNs, ancestors, null, false);
    }

    public ProcessInfo {
        argv = argv == null ? List.of() : List.copyOf(argv);
        ancestors = ancestors == null ? List.of() : List.copyOf(ancestors);
    }

    /** Falco's {@code proc.exe}: argv[0], or the name when argv is empty. */
    public String exe() {
        return argv.isEmpty() ? name : argv.getFirst();
    }

    /** Falco's {@code proc.args}: the arguments after argv[0], space separated. */
    public String args() {
        return argv.size() <= 1 ? "" : String.join(" ", argv.subList(1, argv.size()));
    }

    /** Falco's {@code proc.cmdline}: name and arguments. */
    public String cmdline() {
        return cmdline(name, argv);
    }

    /** The same process context seen from another thread of it. */
    public ProcessInfo withTid(int newTid) {
        return newTid == tid ? this : new ProcessInfo(pid, newTid, ppid, name, exePath, argv, argvTruncated, cwd,
                uid, gid, euid, egid, sid, pgid, loginUid, tty, startTimeNs, ancestors, exeSha256, exeWritten);
    }

    /** The same process with its executable's hash. */
    public ProcessInfo withExeSha256(String sha) {
        return java.util.Objects.equals(sha, exeSha256) ? this : new ProcessInfo(pid, tid, ppid, name, exePath, argv,
                argvTruncated, cwd, uid, gid, euid, egid, sid, pgid, loginUid, tty, startTimeNs, ancestors, sha, exeWritten);
    }

    /** The same process, its executable marked as written by the workload or not. */
    public ProcessInfo withExeWritten(boolean written) {
        return written == exeWritten ? this : new ProcessInfo(pid, tid, ppid, name, exePath, argv, argvTruncated, cwd,
                uid, gid, euid, egid, sid, pgid, loginUid, tty, startTimeNs, ancestors, exeSha256, written);
    }

    /** The same process with another working directory (after chdir). */
    public ProcessInfo withCwd(String newCwd) {
        return java.util.Objects.equals(newCwd, cwd) ? this : new ProcessInfo(pid, tid, ppid, name, exePath, argv,
                argvTruncated, newCwd, uid, gid, euid, egid, sid, pgid, loginUid, tty, startTimeNs, ancestors, exeSha256, exeWritten);
    }

    /** The same process with other credentials (after setuid and friends). */
    public ProcessInfo withCreds(int newUid, int newGid, int newEuid, int newEgid) {
        return new ProcessInfo(pid, tid, ppid, name, exePath, argv, argvTruncated, cwd, newUid, newGid, newEuid,
                newEgid, sid, pgid, loginUid, tty, startTimeNs, ancestors, exeSha256, exeWritten);
    }

    static String cmdline(String name, List<String> argv) {
        if (argv.size() <= 1) return name == null ? "" : name;
        StringBuilder sb = new StringBuilder(name == null ? "" : name);
        for (int i = 1; i < argv.size(); i++) sb.append(' ').append(argv.get(i));
        return sb.toString();
    }
}
