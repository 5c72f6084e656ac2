package dev.vigil.rules.fields;

import static dev.vigil.rules.fields.ArgKind.NONE;
import static dev.vigil.rules.fields.FieldType.*;

import java.util.List;

/** {@code thread.*}: the thread that made the call, and capabilities where an event carries them. */
public final class ThreadFields implements FieldFamily {
    public static final FieldDef TID = FieldDef.of("thread.tid", FieldType.PID, NONE, "Thread id.");
    public static final FieldDef VTID = FieldDef.of("thread.vtid", FieldType.PID, NONE, "Thread id in its pid namespace (same as thread.tid inside the container).");
    public static final FieldDef ISMAIN = FieldDef.of("thread.ismain", BOOL, NONE, "True for the thread-group leader.");
    public static final FieldDef CAP_PERMITTED = FieldDef.of("thread.cap_permitted", CHARBUF, NONE, "Permitted capabilities (CAP_* names), known on capset events only.");
    public static final FieldDef CAP_EFFECTIVE = FieldDef.of("thread.cap_effective", CHARBUF, NONE, "Effective capabilities (CAP_* names), known on capset events only.");
    public static final FieldDef CAP_INHERITABLE = FieldDef.unfilled("thread.cap_inheritable", CHARBUF, NONE, "Inheritable capabilities: not known.");

    private static final List<FieldDef> FIELDS = List.of(TID, VTID, ISMAIN, CAP_PERMITTED, CAP_EFFECTIVE, CAP_INHERITABLE);

    @Override public String name() { return "thread"; }

    @Override public List<FieldDef> fields() { return FIELDS; }

    @Override
    public BoundField bind(FieldDef f, String arg) {
        return switch (f.name()) {
            case "thread.tid", "thread.vtid" -> BoundField.num(f, null, c -> c.proc == null ? NumExtractor.NO_VALUE : c.proc.tid());
            case "thread.ismain" -> BoundField.num(f, null, c -> c.proc == null ? NumExtractor.NO_VALUE : c.proc.tid() == c.proc.pid() ? 1 : 0);
            case "thread.cap_permitted" -> BoundField.str(f, null, c -> c.ident != null && c.ident.syscall().equals("capset") ? Render.caps(c.ident.capPermitted()) : null);
            case "thread.cap_effective" -> BoundField.str(f, null, c -> c.ident != null && c.ident.syscall().equals("capset") ? Render.caps(c.ident.capEffective()) : null);
            default -> throw Args.unbound(f);
        };
    }
}
