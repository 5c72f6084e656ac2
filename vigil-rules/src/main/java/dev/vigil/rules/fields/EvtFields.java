package dev.vigil.rules.fields;

import static dev.vigil.rules.fields.ArgKind.KEY;
import static dev.vigil.rules.fields.ArgKind.NONE;
import static dev.vigil.rules.fields.FieldType.*;

import dev.vigil.event.Event;
import dev.vigil.event.FileOp;
import java.util.List;

/** {@code evt.*}: the event itself (type, direction, time, result, arguments). */
public final class EvtFields implements FieldFamily {
    public static final FieldDef TYPE = FieldDef.of("evt.type", CHARBUF, NONE, "Event type: the syscall name (openat, execve, connect, ...) or procexit.");
    public static final FieldDef NUM = FieldDef.of("evt.num", UINT64, NONE, "Event sequence number (per sensor, no gaps).");
    public static final FieldDef TIME = FieldDef.of("evt.time", ABSTIME, NONE, "Event time; printed HH:MM:SS.nnnnnnnnn (UTC).");
    public static final FieldDef TIME_S = FieldDef.of("evt.time.s", CHARBUF, NONE, "Event time as HH:MM:SS.");
    public static final FieldDef TIME_ISO = FieldDef.of("evt.time.iso8601", CHARBUF, NONE, "Event time in ISO 8601 with nanoseconds.");
    public static final FieldDef DATETIME = FieldDef.of("evt.datetime", CHARBUF, NONE, "Event date and time, YYYY-MM-DD HH:MM:SS.nnnnnnnnn.");
    public static final FieldDef RAWTIME = FieldDef.of("evt.rawtime", UINT64, NONE, "Event time in nanoseconds since the epoch (number).");
    public static final FieldDef RAWTIME_S = FieldDef.of("evt.rawtime.s", UINT64, NONE, "Seconds part of evt.rawtime.");
    public static final FieldDef RAWTIME_NS = FieldDef.of("evt.rawtime.ns", UINT64, NONE, "Nanoseconds part of evt.rawtime.");
    public static final FieldDef DIR = FieldDef.of("evt.dir", CHARBUF, NONE, "'<' when the syscall's result was observed (exec always), '>' when only its entry was.");
    public static final FieldDef RES = FieldDef.of("evt.res", CHARBUF, NONE, "Result: SUCCESS, or the errno name (ENOENT, ...) when the syscall failed; no value when not observed.");
    public static final FieldDef RAWRES = FieldDef.of("evt.rawres", INT64, NONE, "Result as a number (fd, 0, -errno); no value when not observed.");
    public static final FieldDef FAILED = FieldDef.of("evt.failed", BOOL, NONE, "True when the syscall returned an error.");
    public static final FieldDef ARG = FieldDef.of("evt.arg", CHARBUF, KEY, "An argument by name (evt.arg.name) or position (evt.arg[0]), rendered as Falco renders it.");
    public static final FieldDef RAWARG = FieldDef.of("evt.rawarg", CHARBUF, KEY, "An argument by name, unrendered (numbers as numbers).");
    public static final FieldDef ARGS = FieldDef.of("evt.args", CHARBUF, NONE, "All arguments as name=value pairs.");
    public static final FieldDef IS_OPEN_READ = FieldDef.of("evt.is_open_read", BOOL, NONE, "For an open: true when opened for reading.");
    public static final FieldDef IS_OPEN_WRITE = FieldDef.of("evt.is_open_write", BOOL, NONE, "For an open: true when opened for writing.");
    public static final FieldDef IS_OPEN_EXEC = FieldDef.of("evt.is_open_exec", BOOL, NONE, "For an open: true when a file is created with an execute bit.");
    public static final FieldDef HOSTNAME = FieldDef.of("evt.hostname", CHARBUF, NONE, "Host name of the sensor (the task or container host name).");
    public static final FieldDef SOURCE = FieldDef.of("evt.source", CHARBUF, NONE, "Event source: always syscall.");
    public static final FieldDef CATEGORY = FieldDef.of("evt.category", CHARBUF, NONE, "Event category: file, net, process, security, other.");
    public static final FieldDef BUFFER = FieldDef.unfilled("evt.buffer", BYTEBUF, NONE, "I/O payload: not captured by Vigil.");
    public static final FieldDef CPU = FieldDef.unfilled("evt.cpu", INT64, NONE, "CPU number: not known to a ptrace sensor.");
    public static final FieldDef LATENCY = FieldDef.unfilled("evt.latency", RELTIME, NONE, "Syscall latency: not measured.");

    private static final List<FieldDef> FIELDS = List.of(TYPE, NUM, TIME, TIME_S, TIME_ISO, DATETIME, RAWTIME,
            RAWTIME_S, RAWTIME_NS, DIR, RES, RAWRES, FAILED, ARG, RAWARG, ARGS, IS_OPEN_READ, IS_OPEN_WRITE,
            IS_OPEN_EXEC, HOSTNAME, SOURCE, CATEGORY, BUFFER, CPU, LATENCY);

    @Override public String name() { return "evt"; }

    @Override public List<FieldDef> fields() { return FIELDS; }

    @Override
    public BoundField bind(FieldDef f, String arg) {
        return switch (f.name()) {
            case "evt.type" -> BoundField.str(f, arg, EvalContext::evtType);
            case "evt.num" -> BoundField.num(f, arg, c -> c.event.header().seq());
            case "evt.time" -> BoundField.num(f, arg, c -> c.event.header().timeNs());
            case "evt.time.s" -> BoundField.str(f, arg, c -> Render.time(c.event.header().timeNs()).substring(0, 8));
            case "evt.time.iso8601" -> BoundField.str(f, arg, c -> Render.iso8601(c.event.header().timeNs()));
            case "evt.datetime" -> BoundField.str(f, arg, c -> Render.datetime(c.event.header().timeNs()));
            case "evt.rawtime" -> BoundField.num(f, arg, c -> c.event.header().timeNs());
            case "evt.rawtime.s" -> BoundField.num(f, arg, c -> c.event.header().timeNs() / 1_000_000_000L);
            case "evt.rawtime.ns" -> BoundField.num(f, arg, c -> c.event.header().timeNs() % 1_000_000_000L);
            case "evt.dir" -> BoundField.str(f, arg, EvtFields::dir);
            case "evt.res" -> BoundField.str(f, arg, EvtFields::res);
            case "evt.rawres" -> BoundField.num(f, arg, c -> c.res == Event.RES_UNKNOWN ? NumExtractor.NO_VALUE : c.res);
            case "evt.failed" -> BoundField.num(f, arg, c -> c.res == Event.RES_UNKNOWN ? NumExtractor.NO_VALUE : c.res < 0 ? 1 : 0);
            case "evt.arg", "evt.rawarg" -> bindArg(f, arg);
            case "evt.args" -> BoundField.str(f, arg, EvtArgs::all);
            case "evt.is_open_read" -> BoundField.num(f, arg, c -> openFlag(c, 0));
            case "evt.is_open_write" -> BoundField.num(f, arg, c -> openFlag(c, 1));
            case "evt.is_open_exec" -> BoundField.num(f, arg, c -> openFlag(c, 2));
            case "evt.hostname" -> BoundField.str(f, arg, EvalContext::hostname);
            case "evt.source" -> BoundField.str(f, arg, c -> "syscall");
            case "evt.category" -> BoundField.str(f, arg, EvtFields::category);
            default -> throw Args.unbound(f);
        };
    }

    private static BoundField bindArg(FieldDef f, String arg) {
        String a = arg.trim();
        if (!a.isEmpty() && Character.isDigit(a.charAt(0))) {
            int n = Args.index(f, a);
            return BoundField.str(f, a, c -> EvtArgs.byIndex(c, n));
        }
        String name = a.intern();
        return BoundField.str(f, name, EvtArgs.bind(name));
    }

    static String dir(EvalContext c) {
        return switch (c.event) {
            case dev.vigil.event.DnsMessage d -> d.response() ? "<" : ">";
            case dev.vigil.event.FileOp x -> x.res() == Event.RES_UNKNOWN ? ">" : "<";
            case dev.vigil.event.NetOp x -> x.res() == Event.RES_UNKNOWN ? ">" : "<";
            case dev.vigil.event.IdentityChange x -> x.res() == Event.RES_UNKNOWN ? ">" : "<";
            case dev.vigil.event.ProcessTamper x -> x.res() == Event.RES_UNKNOWN ? ">" : "<";
            case dev.vigil.event.ProcessExec x -> "<";
            case dev.vigil.event.ProcessExecFailed x -> "<";
            case dev.vigil.event.ProcessFork x -> "<";
            case dev.vigil.event.ProcessExit x -> "<";
            case dev.vigil.event.SensorNotice x -> "<";
            case dev.vigil.event.ResponseAction x -> "<";
        };
    }

    static String res(EvalContext c) {
        if (c.res == Event.RES_UNKNOWN) return null;
        return c.res < 0 ? dev.vigil.event.Errno.name((int) -c.res) : "SUCCESS";
    }

    private static long openFlag(EvalContext c, int which) {
        FileOp f = c.file;
        if (f == null || f.op() != FileOp.Op.OPEN) return NumExtractor.NO_VALUE;
        int acc = f.flags() & 3;
        return switch (which) {
            case 0 -> acc == 0 || acc == 2 ? 1 : 0;
            case 1 -> acc == 1 || acc == 2 ? 1 : 0;
            default -> (f.flags() & 0100) != 0 && (f.mode() & 0111) != 0 ? 1 : 0;
        };
    }

    private static String category(EvalContext c) {
        return switch (c.event) {
            case dev.vigil.event.FileOp x -> "file";
            case dev.vigil.event.NetOp x -> "net";
            case dev.vigil.event.DnsMessage x -> "net";
            case dev.vigil.event.ProcessExec x -> "process";
            case dev.vigil.event.ProcessExecFailed x -> "process";
            case dev.vigil.event.ProcessFork x -> "process";
            case dev.vigil.event.ProcessExit x -> "process";
            case dev.vigil.event.IdentityChange x -> "security";
            case dev.vigil.event.ProcessTamper x -> "process";
            case dev.vigil.event.SensorNotice x -> "other";
            case dev.vigil.event.ResponseAction x -> "other";
        };
    }
}
