package dev.vigil.event;

import java.util.ArrayList;
import java.util.List;

/** Names of open(2) flags (the generic Linux values, shared by x86_64 and aarch64 except O_DIRECT/O_LARGEFILE). */
public final class OpenFlags {
    public static final int O_ACCMODE = 3, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_NOCTTY = 0x100,
            O_TRUNC = 0x200, O_APPEND = 0x400, O_NONBLOCK = 0x800, O_DSYNC = 0x1000, O_DIRECTORY = 0x10000,
            O_NOFOLLOW = 0x20000, O_CLOEXEC = 0x80000, O_SYNC = 0x101000, O_PATH = 0x200000, O_TMPFILE = 0x410000;

    private OpenFlags() {}

    /** True when the flags open for writing (or create/truncate, which change the file). */
    public static boolean writes(int flags) {
        return (flags & O_ACCMODE) != 0 || (flags & (O_CREAT | O_TRUNC)) != 0 || (flags & O_TMPFILE) == O_TMPFILE;
    }

    /** True when the flags open for reading. */
    public static boolean reads(int flags) {
        int acc = flags & O_ACCMODE;
        return acc == 0 || acc == O_RDWR;
    }

    /** "O_WRONLY|O_CREAT|O_TRUNC"-style names. */
    public static List<String> names(int flags) {
        List<String> out = new ArrayList<>();
        int acc = flags & O_ACCMODE;
        out.add(acc == 0 ? "O_RDONLY" : acc == 1 ? "O_WRONLY" : acc == 2 ? "O_RDWR" : "O_ACCMODE");
        if ((flags & O_TMPFILE) == O_TMPFILE) out.add("O_TMPFILE");
        else if ((flags & O_DIRECTORY) != 0) out.add("O_DIRECTORY");
        if ((flags & O_CREAT) != 0) out.add("O_CREAT");
        if ((flags & O_EXCL) != 0) out.add("O_EXCL");
        if ((flags & O_NOCTTY) != 0) out.add("O_NOCTTY");
        if ((flags & O_TRUNC) != 0) out.add("O_TRUNC");
        if ((flags & O_APPEND) != 0) out.add("O_APPEND");
        if ((flags & O_NONBLOCK) != 0) out.add("O_NONBLOCK");
        if ((flags & O_SYNC) == O_SYNC) out.add("O_SYNC");
        else if ((flags & O_DSYNC) != 0) out.add("O_DSYNC");
        if ((flags & O_NOFOLLOW) != 0) out.add("O_NOFOLLOW");
        if ((flags & O_CLOEXEC) != 0) out.add("O_CLOEXEC");
        if ((flags & O_PATH) != 0) out.add("O_PATH");
        return out;
    }
}
