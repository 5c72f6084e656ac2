package dev.vigil.rules.fields;

import dev.vigil.event.DnsMessage;
import dev.vigil.event.Event;
import dev.vigil.event.FileOp;
import dev.vigil.event.IdentityChange;
import dev.vigil.event.NetOp;
import dev.vigil.event.ProcessExec;
import dev.vigil.event.ProcessExecFailed;
import dev.vigil.event.ProcessExit;
import dev.vigil.event.ProcessFork;
import dev.vigil.event.ProcessTamper;
import dev.vigil.event.SensorNotice;
import java.util.Locale;

/**
 * {@code evt.arg.NAME}, {@code evt.arg[N]} and {@code evt.args}: the syscall's arguments under the names
 * Falco's event table gives them (open: fd, dirfd, name, flags, mode; rename: oldpath, newpath; ...),
 * rendered as strings. Argument reads are rare (rules test them after cheaper checks), so they may allocate.
 */
final class EvtArgs {
    private EvtArgs() {}

    /** Argument names in Falco's order for the event in context. */
    static String[] order(EvalContext c) {
        return switch (c.event) {
            case FileOp f -> switch (f.op()) {
                case OPEN -> f.syscall().equals("open") || f.syscall().equals("creat")
                        ? new String[] {"fd", "name", "flags", "mode"} : new String[] {"fd", "dirfd", "name", "flags", "mode"};
                case MEMFD_CREATE -> new String[] {"fd", "name", "flags"};
                case RENAME -> new String[] {"res", "oldpath", "newpath"};
                case LINK -> new String[] {"res", "oldpath", "newpath"};
                case SYMLINK -> new String[] {"res", "target", "linkpath"};
                case UNLINK -> f.syscall().equals("unlinkat") ? new String[] {"res", "dirfd", "name", "flags"} : new String[] {"res", "path"};
                case MKDIR -> new String[] {"res", "path", "mode"};
                case RMDIR -> new String[] {"res", "path"};
                case CHMOD -> f.syscall().equals("fchmod") ? new String[] {"res", "fd", "mode"} : new String[] {"res", "filename", "mode"};
                case CHOWN -> new String[] {"res", "path", "uid", "gid"};
                case TRUNCATE -> new String[] {"res", "path"};
            };
            case NetOp n -> switch (n.op()) {
                case SOCKET -> new String[] {"fd", "domain", "type", "proto"};
                case ACCEPT -> new String[] {"fd", "tuple"};
                case BIND -> new String[] {"res", "fd", "addr"};
                case LISTEN -> new String[] {"res", "fd"};
                default -> new String[] {"res", "fd", "tuple"}; // connect (and its result), send
            };
            case DnsMessage d -> new String[] {"tuple"};
            case ProcessExec x -> new String[] {"res", "exe", "args", "tid", "pid", "ptid", "cwd", "filename", "flags"};
            case ProcessExecFailed x -> new String[] {"res", "filename", "args"};
            case ProcessFork x -> new String[] {"res", "flags"};
            case ProcessExit x -> new String[] {"status", "sig", "core"};
            case IdentityChange x -> new String[] {"res", "uid", "gid", "ruid", "euid", "suid", "rgid", "egid", "sgid", "cap"};
            case ProcessTamper x -> x.syscall().equals("ptrace") ? new String[] {"res", "request", "pid"}
                    : new String[] {"res", "pid", "sig"};
            case SensorNotice x -> new String[] {"what", "message"};
            case dev.vigil.event.ResponseAction x -> new String[] {"action", "rule", "outcome", "pid"};
        };
    }

    /**
     * Binds {@code evt.arg.NAME} once: the extractor checks the name's applicability per event kind with
     * plain field tests (no string switch per event), then reads the value.
     */
    static StrExtractor bind(String name) {
        int fcode = fileCode(name);
        boolean net = NET_ARGS.contains(name);
        boolean other = OTHER_ARGS.contains(name) || (fcode == F_NONE && !net);
        return c -> {
            if (c.file != null) return fcode == F_NONE ? null : file(c, c.file, fcode);
            if (c.net != null) return net ? net(c, c.net, name) : null;
            return other ? byName(c, name) : null;
        };
    }

    private static final java.util.Set<String> NET_ARGS = java.util.Set.of("res", "fd", "res_or_fd", "tuple", "addr",
            "domain", "type", "proto");
    private static final java.util.Set<String> OTHER_ARGS = java.util.Set.of("res", "fd", "tuple", "addr", "filename",
            "pathname", "flags", "uid", "gid", "args", "pid", "exe", "tid", "ptid", "cwd", "status", "sig", "core",
            "ruid", "euid", "suid", "rgid", "egid", "sgid", "cap", "request", "what", "message");

    static String byIndex(EvalContext c, int n) {
        String[] names = order(c);
        return n < names.length ? byName(c, names[n]) : null;
    }

    static String all(EvalContext c) {
        StringBuilder sb = new StringBuilder();
        for (String n : order(c)) {
            String v = byName(c, n);
            if (v == null) continue;
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(n).append('=').append(v);
        }
        return sb.toString();
    }

    /** Falco's execve exit flags, in its order: EXE_UPPER_LAYER (written by the workload), EXE_FROM_MEMFD. */
    static String execFlags(ProcessExec x) {
        boolean upper = x.process().exeWritten();
        if (upper && x.fileless()) return "EXE_UPPER_LAYER|EXE_FROM_MEMFD";
        return upper ? "EXE_UPPER_LAYER" : x.fileless() ? "EXE_FROM_MEMFD" : "0";
    }

    static String byName(EvalContext c, String name) {
        return switch (c.event) {
            case FileOp f -> file(c, f, name);
            case NetOp n -> net(c, n, name);
            case DnsMessage d -> name.equals("tuple") || name.equals("addr") ? FdFields.name(c) : null;
            case ProcessExec x -> switch (name) {
                case "res" -> "0";
                case "exe" -> x.process().exe();
                case "args" -> x.process().args();
                case "tid" -> Integer.toString(x.process().tid());
                case "pid" -> Integer.toString(x.process().pid());
                case "ptid" -> Integer.toString(x.process().ppid());
                case "cwd" -> x.process().cwd();
                case "filename", "pathname" -> x.process().exePath();
                case "flags" -> execFlags(x);
                default -> null;
            };
            case ProcessExecFailed x -> switch (name) {
                case "res" -> Long.toString(-Math.abs((long) x.errno()));
                case "filename", "pathname" -> x.path();
                case "args" -> String.join(" ", x.argv().size() > 1 ? x.argv().subList(1, x.argv().size()) : java.util.List.of());
                default -> null;
            };
            case ProcessFork x -> switch (name) {
                case "res" -> Integer.toString(x.childPid());
                case "flags" -> x.thread() ? "CLONE_THREAD" : "0";
                default -> null;
            };
            case ProcessExit x -> switch (name) {
                case "status" -> Integer.toString(x.exitCode());
                case "sig" -> Integer.toString(x.signal());
                case "core" -> Boolean.toString(x.coreDumped());
                default -> null;
            };
            case IdentityChange x -> ident(c, x, name);
            case ProcessTamper x -> switch (name) {
                case "res" -> x.res() == Event.RES_UNKNOWN ? null : Long.toString(x.res());
                case "request" -> x.syscall().equals("ptrace") ? ptraceRequest(x.request()) : null;
                case "pid" -> Integer.toString(x.targetPid());
                case "sig" -> x.syscall().equals("ptrace") ? null : Long.toString(x.request());
                default -> null;
            };
            case dev.vigil.event.ResponseAction x -> switch (name) {
                case "action" -> x.action();
                case "rule" -> x.rule();
                case "outcome" -> x.outcome();
                case "pid" -> x.targetPid() == 0 ? null : Integer.toString(x.targetPid());
                default -> null;
            };
            case SensorNotice x -> switch (name) {
                case "what" -> x.what();
                case "message" -> x.message();
                default -> null;
            };
        };
    }

    private static final int F_RES = 0, F_FD = 1, F_PATH = 2, F_TARGET = 3, F_NEW = 4, F_FLAGS = 5, F_MODE = 6,
            F_UID = 7, F_GID = 8, F_DIRFD = 9, F_NAME_OR_PATH = 10, F_NONE = -1;

    /** The file-argument code of an argument name (resolved at bind time). */
    static int fileCode(String name) {
        return switch (name) {
            case "res" -> F_RES;
            case "fd", "res_or_fd" -> F_FD;
            case "filename", "pathname", "oldpath" -> F_PATH;
            case "name", "path" -> F_NAME_OR_PATH;
            case "target" -> F_TARGET;
            case "newpath", "linkpath" -> F_NEW;
            case "flags" -> F_FLAGS;
            case "mode" -> F_MODE;
            case "uid" -> F_UID;
            case "gid" -> F_GID;
            case "dirfd" -> F_DIRFD;
            default -> F_NONE;
        };
    }

    private static String file(EvalContext c, FileOp f, String name) {
        return file(c, f, fileCode(name));
    }

    static String file(EvalContext c, FileOp f, int code) {
        return switch (code) {
            case F_RES -> f.res() == Event.RES_UNKNOWN ? null : Long.toString(f.res());
            case F_FD -> f.fd() >= 0 ? Integer.toString(f.fd())
                    : f.res() == Event.RES_UNKNOWN ? null : Long.toString(f.res());
            case F_PATH -> f.op() == FileOp.Op.SYMLINK ? null : f.path();
            case F_NAME_OR_PATH -> f.path();
            case F_TARGET -> f.target(); // symlink: the target as given; else the second path
            case F_NEW -> f.op() == FileOp.Op.SYMLINK ? f.path() : f.target(); // symlink's linkpath is the file created
            case F_FLAGS -> f.op() == FileOp.Op.OPEN ? c.openFlags(f.flags()) : Integer.toString(f.flags());
            case F_MODE -> Render.mode(f.mode());
            case F_UID -> f.op() == FileOp.Op.CHOWN ? Integer.toString(f.uid()) : null;
            case F_GID -> f.op() == FileOp.Op.CHOWN ? Integer.toString(f.gid()) : null;
            case F_DIRFD -> "AT_FDCWD";
            default -> null;
        };
    }

    private static String net(EvalContext c, NetOp n, String name) {
        return switch (name) {
            case "res" -> n.res() == Event.RES_UNKNOWN ? null : Long.toString(n.res());
            case "fd", "res_or_fd" -> n.fd() >= 0 ? Integer.toString(n.fd()) : null;
            case "tuple", "addr" -> FdFields.name(c);
            case "domain" -> "AF_" + switch (n.family()) {
                case "inet" -> "INET";
                case "inet6" -> "INET6";
                case "unix" -> "UNIX";
                default -> n.family().toUpperCase(Locale.ROOT);
            };
            case "type" -> "SOCK_" + n.sockType().toUpperCase(Locale.ROOT);
            case "proto" -> n.protocol().isEmpty() ? "0" : n.protocol();
            default -> null;
        };
    }

    private static String ident(EvalContext c, IdentityChange x, String name) {
        return switch (name) {
            case "res" -> x.res() == Event.RES_UNKNOWN ? null : Long.toString(x.res());
            case "uid" -> user(c, x.ruid() != -1 ? x.ruid() : x.euid());
            case "ruid" -> user(c, x.ruid());
            case "euid" -> user(c, x.euid());
            case "suid" -> user(c, x.suid());
            case "gid" -> group(c, x.rgid() != -1 ? x.rgid() : x.egid());
            case "rgid" -> group(c, x.rgid());
            case "egid" -> group(c, x.egid());
            case "sgid" -> group(c, x.sgid());
            case "cap" -> x.syscall().equals("capset") ? Render.caps(x.capEffective()) : null;
            default -> null;
        };
    }

    private static String user(EvalContext c, int uid) {
        if (uid == -1) return null;
        UserDb.User u = c.users().user(uid);
        return u != null ? u.name() : Integer.toString(uid);
    }

    private static String group(EvalContext c, int gid) {
        if (gid == -1) return null;
        String g = c.users().group(gid);
        return g != null ? g : Integer.toString(gid);
    }

    static String ptraceRequest(long r) {
        return switch ((int) r) {
            case 0 -> "PTRACE_TRACEME";
            case 1 -> "PTRACE_PEEKTEXT";
            case 2 -> "PTRACE_PEEKDATA";
            case 3 -> "PTRACE_PEEKUSR";
            case 4 -> "PTRACE_POKETEXT";
            case 5 -> "PTRACE_POKEDATA";
            case 6 -> "PTRACE_POKEUSR";
            case 7 -> "PTRACE_CONT";
            case 8 -> "PTRACE_KILL";
            case 9 -> "PTRACE_SINGLESTEP";
            case 12 -> "PTRACE_GETREGS";
            case 13 -> "PTRACE_SETREGS";
            case 14 -> "PTRACE_GETFPREGS";
            case 15 -> "PTRACE_SETFPREGS";
            case 16 -> "PTRACE_ATTACH";
            case 17 -> "PTRACE_DETACH";
            case 24 -> "PTRACE_SYSCALL";
            case 0x4200 -> "PTRACE_SETOPTIONS";
            case 0x4204 -> "PTRACE_GETREGSET";
            case 0x4205 -> "PTRACE_SETREGSET";
            case 0x4206 -> "PTRACE_SEIZE";
            case 0x4207 -> "PTRACE_INTERRUPT";
            case 0x4208 -> "PTRACE_LISTEN";
            default -> "PTRACE_" + r;
        };
    }
}
