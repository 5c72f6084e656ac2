package dev.vigil.rules.fields;

import static dev.vigil.rules.fields.ArgKind.INDEX_OR_ANY;
import static dev.vigil.rules.fields.ArgKind.KEY_OPTIONAL;
import static dev.vigil.rules.fields.ArgKind.NONE;
import static dev.vigil.rules.fields.FieldType.*;

import dev.vigil.event.Ancestor;
import dev.vigil.event.ProcessInfo;
import java.util.List;
import java.util.function.Function;

/**
 * {@code proc.*}: the process that caused the event and its ancestors (nearest first; {@code proc.aname[0]}
 * is the process itself, {@code [1]} its parent). Without an index, {@code proc.aname} and friends match if
 * any ancestor matches.
 */
public final class ProcFields implements FieldFamily {
    public static final FieldDef PID = FieldDef.of("proc.pid", FieldType.PID, NONE, "Process id (thread group id).");
    public static final FieldDef PPID = FieldDef.of("proc.ppid", FieldType.PID, NONE, "Parent's process id.");
    public static final FieldDef VPID = FieldDef.of("proc.vpid", FieldType.PID, NONE, "Process id in its pid namespace (Vigil runs inside the container: same as proc.pid).");
    public static final FieldDef PVPID = FieldDef.of("proc.pvpid", FieldType.PID, NONE, "Parent's process id in its pid namespace.");
    public static final FieldDef NAME = FieldDef.of("proc.name", CHARBUF, NONE, "Task name (comm): the executable's basename, at most 15 characters.");
    public static final FieldDef EXE = FieldDef.of("proc.exe", CHARBUF, NONE, "argv[0] as passed to execve.");
    public static final FieldDef EXEPATH = FieldDef.of("proc.exepath", CHARBUF, NONE, "Full path of the executable, as resolved by the kernel.");
    public static final FieldDef ARGS = FieldDef.of("proc.args", CHARBUF, NONE, "Arguments after argv[0], blank separated.");
    public static final FieldDef CMDLINE = FieldDef.of("proc.cmdline", CHARBUF, NONE, "proc.name followed by the arguments.");
    public static final FieldDef EXELINE = FieldDef.of("proc.exeline", CHARBUF, NONE, "proc.exe followed by the arguments.");
    public static final FieldDef CMDNARGS = FieldDef.of("proc.cmdnargs", UINT64, NONE, "Number of arguments after argv[0].");
    public static final FieldDef CMDLENARGS = FieldDef.of("proc.cmdlenargs", UINT64, NONE, "Total length of the arguments.");
    public static final FieldDef CWD = FieldDef.of("proc.cwd", CHARBUF, NONE, "Current working directory.");
    public static final FieldDef PNAME = FieldDef.of("proc.pname", CHARBUF, NONE, "Parent's name.");
    public static final FieldDef PEXE = FieldDef.of("proc.pexe", CHARBUF, NONE, "Parent's argv[0].");
    public static final FieldDef PEXEPATH = FieldDef.of("proc.pexepath", CHARBUF, NONE, "Parent's executable path.");
    public static final FieldDef PCMDLINE = FieldDef.of("proc.pcmdline", CHARBUF, NONE, "Parent's command line.");
    public static final FieldDef ANAME = FieldDef.any("proc.aname", CHARBUF, INDEX_OR_ANY, "Name of the n-th ancestor (0: the process); without [n]: any ancestor.");
    public static final FieldDef APID = FieldDef.any("proc.apid", FieldType.PID, INDEX_OR_ANY, "Pid of the n-th ancestor; without [n]: any ancestor.");
    public static final FieldDef AEXE = FieldDef.any("proc.aexe", CHARBUF, INDEX_OR_ANY, "argv[0] of the n-th ancestor; without [n]: any ancestor.");
    public static final FieldDef AEXEPATH = FieldDef.any("proc.aexepath", CHARBUF, INDEX_OR_ANY, "Executable path of the n-th ancestor; without [n]: any ancestor.");
    public static final FieldDef ACMDLINE = FieldDef.any("proc.acmdline", CHARBUF, INDEX_OR_ANY, "Command line of the n-th ancestor; without [n]: any ancestor.");
    public static final FieldDef SID = FieldDef.of("proc.sid", FieldType.PID, NONE, "Session id.");
    public static final FieldDef SNAME = FieldDef.of("proc.sname", CHARBUF, NONE, "Name of the session leader, when it is the process or a known ancestor.");
    public static final FieldDef IS_SID_LEADER = FieldDef.of("proc.is_sid_leader", BOOL, NONE, "True when the process leads its session.");
    public static final FieldDef VPGID = FieldDef.of("proc.vpgid", FieldType.PID, NONE, "Process group id.");
    public static final FieldDef VPGID_NAME = FieldDef.of("proc.vpgid.name", CHARBUF, NONE, "Name of the process group leader, when known.");
    public static final FieldDef VPGID_EXE = FieldDef.of("proc.vpgid.exe", CHARBUF, NONE, "argv[0] of the process group leader, when known.");
    public static final FieldDef VPGID_EXEPATH = FieldDef.of("proc.vpgid.exepath", CHARBUF, NONE, "Executable path of the process group leader, when known.");
    public static final FieldDef IS_VPGID_LEADER = FieldDef.of("proc.is_vpgid_leader", BOOL, NONE, "True when the process leads its process group.");
    public static final FieldDef TTY = FieldDef.of("proc.tty", UINT32, NONE, "Controlling terminal device number, 0 when none.");
    public static final FieldDef DURATION = FieldDef.of("proc.duration", RELTIME, NONE, "Nanoseconds since the process image started.");
    public static final FieldDef START_TS = FieldDef.of("proc.start_ts", ABSTIME, NONE, "When the process image started (exec, or fork).");
    public static final FieldDef IS_EXE_FROM_MEMFD = FieldDef.of("proc.is_exe_from_memfd", BOOL, NONE, "True when the executable came from an fd with no file on disk (memfd, deleted file).");
    public static final FieldDef ENV = FieldDef.unfilled("proc.env", CHARBUF, KEY_OPTIONAL, "Environment: not read by Vigil (it carries secrets).");
    public static final FieldDef IS_EXE_UPPER_LAYER = FieldDef.of("proc.is_exe_upper_layer", BOOL, NONE, "True when the executable is a file the workload created or changed since the sensor started (the container's writable layer, as far as the sensor saw it).");
    public static final FieldDef IS_EXE_WRITABLE = FieldDef.unfilled("proc.is_exe_writable", BOOL, NONE, "Executable writable by the user: not known.");
    public static final FieldDef IS_EXE_LOWER_LAYER = FieldDef.unfilled("proc.is_exe_lower_layer", BOOL, NONE, "Executable in the overlay lower layer: not known.");
    public static final FieldDef EXE_INO = FieldDef.unfilled("proc.exe_ino", UINT64, NONE, "Inode of the executable: not known.");
    public static final FieldDef EXE_INO_CTIME = FieldDef.unfilled("proc.exe_ino.ctime", ABSTIME, NONE, "ctime of the executable: not known.");
    public static final FieldDef EXE_INO_MTIME = FieldDef.unfilled("proc.exe_ino.mtime", ABSTIME, NONE, "mtime of the executable: not known.");
    public static final FieldDef EXE_INO_CTIME_DUR = FieldDef.unfilled("proc.exe_ino.ctime_duration_proc_start", RELTIME, NONE, "Executable ctime to process start: not known.");
    public static final FieldDef EXE_INO_CTIME_DUR_NS = FieldDef.unfilled("proc.exe_ino.ctime_duration_pidns_start", RELTIME, NONE, "Executable ctime to pid namespace start: not known.");
    public static final FieldDef PPID_DURATION = FieldDef.unfilled("proc.ppid.duration", RELTIME, NONE, "Age of the parent: ancestors carry no start time.");

    private static final List<FieldDef> FIELDS = List.of(PID, PPID, VPID, PVPID, NAME, EXE, EXEPATH, ARGS, CMDLINE,
            EXELINE, CMDNARGS, CMDLENARGS, CWD, PNAME, PEXE, PEXEPATH, PCMDLINE, ANAME, APID, AEXE, AEXEPATH,
            ACMDLINE, SID, SNAME, IS_SID_LEADER, VPGID, VPGID_NAME, VPGID_EXE, VPGID_EXEPATH, IS_VPGID_LEADER, TTY,
            DURATION, START_TS, IS_EXE_FROM_MEMFD, ENV, IS_EXE_UPPER_LAYER, IS_EXE_WRITABLE, IS_EXE_LOWER_LAYER,
            EXE_INO, EXE_INO_CTIME, EXE_INO_MTIME, EXE_INO_CTIME_DUR, EXE_INO_CTIME_DUR_NS, PPID_DURATION);

    @Override public String name() { return "proc"; }

    @Override public List<FieldDef> fields() { return FIELDS; }

    @Override
    public BoundField bind(FieldDef f, String arg) {
        return switch (f.name()) {
            case "proc.pid", "proc.vpid" -> BoundField.num(f, null, c -> c.proc == null ? NumExtractor.NO_VALUE : c.proc.pid());
            case "proc.ppid", "proc.pvpid" -> num(f, p -> (long) p.ppid());
            case "proc.name" -> BoundField.str(f, null, c -> c.proc == null ? null : c.proc.name());
            case "proc.exe" -> BoundField.str(f, null, c -> c.proc == null ? null : c.procEntry().exe());
            case "proc.exepath" -> BoundField.str(f, null, c -> c.proc == null ? null : c.proc.exePath());
            case "proc.args" -> BoundField.str(f, null, c -> c.proc == null ? null : c.procEntry().args());
            case "proc.cmdline" -> BoundField.str(f, null, c -> c.proc == null ? null : c.procEntry().cmdline());
            case "proc.exeline" -> str(f, p -> p.argv().isEmpty() ? p.exe() : String.join(" ", p.argv()));
            case "proc.cmdnargs" -> num(f, p -> (long) Math.max(0, p.argv().size() - 1));
            case "proc.cmdlenargs" -> BoundField.num(f, null, c -> c.proc == null ? NumExtractor.NO_VALUE : c.procEntry().args().length());
            case "proc.cwd" -> str(f, ProcessInfo::cwd);
            case "proc.pname" -> BoundField.str(f, null, c -> {
                Ancestor a = c.ancestor(0);
                return a == null ? null : a.name();
            });
            case "proc.pexe" -> anc(f, 0, a -> a.argv().isEmpty() ? a.name() : a.argv().getFirst());
            case "proc.pexepath" -> anc(f, 0, Ancestor::exePath);
            case "proc.pcmdline" -> BoundField.str(f, null, c -> c.proc == null ? null : c.procEntry().pcmdline());
            case "proc.aname" -> arg == null || Args.index(f, arg) == 0 ? indexed(f, arg, ProcessInfo::name, Ancestor::name)
                    : anameAt(f, arg, Args.index(f, arg) - 1);
            case "proc.aexe" -> indexed(f, arg, ProcessInfo::exe, a -> a.argv().isEmpty() ? a.name() : a.argv().getFirst());
            case "proc.aexepath" -> indexed(f, arg, ProcessInfo::exePath, Ancestor::exePath);
            case "proc.acmdline" -> indexedCmdline(f, arg);
            case "proc.apid" -> indexedPid(f, arg);
            case "proc.sid" -> num(f, p -> (long) p.sid());
            case "proc.sname" -> str(f, p -> leaderName(p, p.sid(), 0));
            case "proc.is_sid_leader" -> num(f, p -> p.pid() == p.sid() ? 1L : 0L);
            case "proc.vpgid" -> num(f, p -> (long) p.pgid());
            case "proc.vpgid.name" -> str(f, p -> leaderName(p, p.pgid(), 0));
            case "proc.vpgid.exe" -> str(f, p -> leaderName(p, p.pgid(), 1));
            case "proc.vpgid.exepath" -> str(f, p -> leaderName(p, p.pgid(), 2));
            case "proc.is_vpgid_leader" -> num(f, p -> p.pid() == p.pgid() ? 1L : 0L);
            case "proc.tty" -> BoundField.num(f, null, c -> c.proc == null ? NumExtractor.NO_VALUE : c.procEntry().tty());
            case "proc.duration" -> BoundField.num(f, null, c -> c.proc == null || c.proc.startTimeNs() <= 0
                    ? NumExtractor.NO_VALUE : Math.max(0, c.event.header().timeNs() - c.proc.startTimeNs()));
            case "proc.start_ts" -> num(f, p -> p.startTimeNs() <= 0 ? NumExtractor.NO_VALUE : p.startTimeNs());
            case "proc.is_exe_from_memfd" -> BoundField.num(f, null, ProcFields::fromMemfd);
            case "proc.is_exe_upper_layer" -> num(f, p -> p.exeWritten() ? 1L : 0L);
            default -> throw Args.unbound(f);
        };
    }

    private static BoundField anameAt(FieldDef f, String arg, int n) {
        return BoundField.str(f, arg, c -> {
            Ancestor a = c.ancestor(n);
            return a == null ? null : a.name();
        });
    }

    private static long fromMemfd(EvalContext c) {
        if (c.exec != null) return c.exec.fileless() ? 1 : 0;
        if (c.proc == null || c.proc.exePath() == null) return NumExtractor.NO_VALUE;
        String p = c.proc.exePath();
        return p.startsWith("/memfd:") || p.endsWith(" (deleted)") ? 1 : 0;
    }

    private static String leaderName(ProcessInfo p, int leader, int what) {
        if (p.pid() == leader) return what == 0 ? p.name() : what == 1 ? p.exe() : p.exePath();
        for (Ancestor a : p.ancestors()) {
            if (a.pid() == leader) {
                return what == 0 ? a.name() : what == 1 ? (a.argv().isEmpty() ? a.name() : a.argv().getFirst()) : a.exePath();
            }
        }
        return null;
    }

    private static BoundField str(FieldDef f, Function<ProcessInfo, String> get) {
        return BoundField.str(f, null, c -> c.proc == null ? null : get.apply(c.proc));
    }

    private static BoundField num(FieldDef f, java.util.function.ToLongFunction<ProcessInfo> get) {
        return BoundField.num(f, null, c -> c.proc == null ? NumExtractor.NO_VALUE : get.applyAsLong(c.proc));
    }

    private static BoundField anc(FieldDef f, int n, Function<Ancestor, String> get) {
        return BoundField.str(f, null, c -> {
            Ancestor a = c.ancestor(n);
            return a == null ? null : get.apply(a);
        });
    }

    private static BoundField indexed(FieldDef f, String arg, Function<ProcessInfo, String> self,
                                      Function<Ancestor, String> get) {
        if (arg == null) {
            return BoundField.list(f, null, new ListExtractor() {
                @Override public int size(EvalContext c) { return c.proc == null ? 0 : c.proc.ancestors().size(); }
                @Override public String get(EvalContext c, int i) { return get.apply(c.proc.ancestors().get(i)); }
            });
        }
        int n = Args.index(f, arg);
        if (n == 0) return BoundField.str(f, arg, c -> c.proc == null ? null : self.apply(c.proc));
        return BoundField.str(f, arg, c -> {
            Ancestor a = c.ancestor(n - 1);
            return a == null ? null : get.apply(a);
        });
    }

    private static BoundField indexedCmdline(FieldDef f, String arg) {
        if (arg == null) {
            return BoundField.list(f, null, new ListExtractor() {
                @Override public int size(EvalContext c) { return c.proc == null ? 0 : c.proc.ancestors().size(); }
                @Override public String get(EvalContext c, int i) { return c.procEntry().acmdline(i); }
            });
        }
        int n = Args.index(f, arg);
        if (n == 0) return BoundField.str(f, arg, c -> c.proc == null ? null : c.procEntry().cmdline());
        return BoundField.str(f, arg, c -> c.proc == null ? null : c.procEntry().acmdline(n - 1));
    }

    private static BoundField indexedPid(FieldDef f, String arg) {
        if (arg == null) {
            return BoundField.list(f, null, new ListExtractor() {
                @Override public int size(EvalContext c) { return c.proc == null ? 0 : c.proc.ancestors().size(); }
                @Override public String get(EvalContext c, int i) { return Integer.toString(c.proc.ancestors().get(i).pid()); }
            });
        }
        int n = Args.index(f, arg);
        if (n == 0) return BoundField.num(f, arg, c -> c.proc == null ? NumExtractor.NO_VALUE : c.proc.pid());
        return BoundField.num(f, arg, c -> {
            Ancestor a = c.ancestor(n - 1);
            return a == null ? NumExtractor.NO_VALUE : a.pid();
        });
    }
}
