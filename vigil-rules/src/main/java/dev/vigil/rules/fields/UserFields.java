package dev.vigil.rules.fields;

import static dev.vigil.rules.fields.ArgKind.NONE;
import static dev.vigil.rules.fields.FieldType.*;

import java.util.List;

/** {@code user.*} and {@code group.*}: the effective user and group, names from the {@link UserDb}. */
public final class UserFields implements FieldFamily {
    public static final FieldDef UID = FieldDef.of("user.uid", UINT32, NONE, "Effective user id.");
    public static final FieldDef NAME = FieldDef.of("user.name", CHARBUF, NONE, "Effective user name (from the workload's /etc/passwd).");
    public static final FieldDef HOMEDIR = FieldDef.of("user.homedir", CHARBUF, NONE, "Home directory of the effective user.");
    public static final FieldDef SHELL = FieldDef.of("user.shell", CHARBUF, NONE, "Login shell of the effective user.");
    public static final FieldDef LOGINUID = FieldDef.of("user.loginuid", INT64, NONE, "Audit login uid; -1 when unset.");
    public static final FieldDef LOGINNAME = FieldDef.of("user.loginname", CHARBUF, NONE, "Name of the audit login user.");
    public static final FieldDef GID = FieldDef.of("group.gid", UINT32, NONE, "Effective group id.");
    public static final FieldDef GNAME = FieldDef.of("group.name", CHARBUF, NONE, "Effective group name (from the workload's /etc/group).");

    private static final List<FieldDef> FIELDS = List.of(UID, NAME, HOMEDIR, SHELL, LOGINUID, LOGINNAME, GID, GNAME);

    @Override public String name() { return "user"; }

    @Override public List<FieldDef> fields() { return FIELDS; }

    @Override
    public BoundField bind(FieldDef f, String arg) {
        return switch (f.name()) {
            case "user.uid" -> BoundField.num(f, null, c -> c.proc == null ? NumExtractor.NO_VALUE : Integer.toUnsignedLong(c.proc.euid()));
            case "user.name" -> BoundField.str(f, null, c -> {
                if (c.proc == null) return null;
                UserDb.User u = c.users().user(c.proc.euid());
                return u == null ? null : u.name();
            });
            case "user.homedir" -> BoundField.str(f, null, c -> {
                UserDb.User u = c.proc == null ? null : c.users().user(c.proc.euid());
                return u == null ? null : u.home();
            });
            case "user.shell" -> BoundField.str(f, null, c -> {
                UserDb.User u = c.proc == null ? null : c.users().user(c.proc.euid());
                return u == null ? null : u.shell();
            });
            case "user.loginuid" -> BoundField.num(f, null, c -> c.proc == null ? NumExtractor.NO_VALUE : loginUid(c.proc.loginUid()));
            case "user.loginname" -> BoundField.str(f, null, c -> {
                if (c.proc == null || loginUid(c.proc.loginUid()) < 0) return null;
                UserDb.User u = c.users().user(c.proc.loginUid());
                return u == null ? null : u.name();
            });
            case "group.gid" -> BoundField.num(f, null, c -> c.proc == null ? NumExtractor.NO_VALUE : Integer.toUnsignedLong(c.proc.egid()));
            case "group.name" -> BoundField.str(f, null, c -> c.proc == null ? null : c.users().group(c.proc.egid()));
            default -> throw Args.unbound(f);
        };
    }

    private static long loginUid(int v) {
        return v == -1 ? -1 : Integer.toUnsignedLong(v) == 4294967295L ? -1 : Integer.toUnsignedLong(v);
    }
}
