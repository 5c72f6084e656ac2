package dev.vigil.rules.fields;

import static dev.vigil.rules.fields.ArgKind.NONE;
import static dev.vigil.rules.fields.FieldType.CHARBUF;

import dev.vigil.event.FileOp;
import java.util.List;

/** {@code fs.path.*}: the path(s) of any file-system operation, whether or not it has an fd. */
public final class FsFields implements FieldFamily {
    public static final FieldDef NAME = FieldDef.of("fs.path.name", CHARBUF, NONE, "The path a file operation works on (rename, link: the source).");
    public static final FieldDef NAMERAW = FieldDef.of("fs.path.nameraw", CHARBUF, NONE, "fs.path.name as passed (Vigil: absolute).");
    public static final FieldDef SOURCE = FieldDef.of("fs.path.source", CHARBUF, NONE, "Source path of rename, link, symlink.");
    public static final FieldDef SOURCERAW = FieldDef.of("fs.path.sourceraw", CHARBUF, NONE, "fs.path.source as passed.");
    public static final FieldDef TARGET = FieldDef.of("fs.path.target", CHARBUF, NONE, "Target path of rename, link, symlink.");
    public static final FieldDef TARGETRAW = FieldDef.of("fs.path.targetraw", CHARBUF, NONE, "fs.path.target as passed.");

    private static final List<FieldDef> FIELDS = List.of(NAME, NAMERAW, SOURCE, SOURCERAW, TARGET, TARGETRAW);

    @Override public String name() { return "fs"; }

    @Override public List<FieldDef> fields() { return FIELDS; }

    @Override
    public BoundField bind(FieldDef f, String arg) {
        return switch (f.name()) {
            case "fs.path.name", "fs.path.nameraw" -> BoundField.str(f, null, c -> c.file == null ? null : c.file.path());
            case "fs.path.source", "fs.path.sourceraw" -> BoundField.str(f, null, c -> !twoPaths(c.file) ? null
                    : c.file.op() == FileOp.Op.SYMLINK ? c.file.target() : c.file.path());
            // a symlink's FileOp.path is the link created, its target the path it points to (as Falco: source = target)
            case "fs.path.target", "fs.path.targetraw" -> BoundField.str(f, null, c -> !twoPaths(c.file) ? null
                    : c.file.op() == FileOp.Op.SYMLINK ? c.file.path() : c.file.target());
            default -> throw Args.unbound(f);
        };
    }

    private static boolean twoPaths(FileOp f) {
        return f != null && (f.op() == FileOp.Op.RENAME || f.op() == FileOp.Op.LINK || f.op() == FileOp.Op.SYMLINK);
    }
}
