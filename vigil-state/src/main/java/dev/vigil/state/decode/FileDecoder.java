package dev.vigil.state.decode;

import dev.vigil.capture.SyscallStop;
import dev.vigil.capture.syscall.Sys;
import dev.vigil.event.Event;
import dev.vigil.event.FileOp;
import dev.vigil.event.FileOp.Op;
import dev.vigil.event.OpenFlags;
import dev.vigil.event.ProcessInfo;

import static dev.vigil.state.decode.PathResolver.AT_FDCWD;

/** open/openat/openat2/creat, rename*, unlink*, rmdir, mkdir*, chmod*, chown*, link*, symlink*, truncate*, memfd_create. */
final class FileDecoder {
    private static final int MAX_PATH = 4096;
    private static final int AT_REMOVEDIR = 0x200;
    private final PathResolver paths;

    FileDecoder(PathResolver paths) {
        this.paths = paths;
    }

    /** Decodes the syscall's arguments (null for syscalls that make no event). */
    Decoded decode(SyscallStop s, ProcessInfo p) {
        int tid = s.tid();
        return switch (s.sys()) {
            case OPEN -> open(s, p, "open", AT_FDCWD, s.arg(0), (int) s.arg(1), (int) s.arg(2));
            case CREAT -> open(s, p, "creat", AT_FDCWD, s.arg(0), OpenFlags.O_CREAT | OpenFlags.O_WRONLY | OpenFlags.O_TRUNC, (int) s.arg(1));
            case OPENAT -> open(s, p, "openat", (int) s.arg(0), s.arg(1), (int) s.arg(2), (int) s.arg(3));
            case OPENAT2 -> {
                // struct open_how { u64 flags; u64 mode; u64 resolve; }
                long flags = s.memory().readLong(tid, s.arg(2), 0);
                long mode = s.memory().readLong(tid, s.arg(2) + 8, 0);
                yield open(s, p, "openat2", (int) s.arg(0), s.arg(1), (int) flags, (int) mode);
            }
            case RENAME -> twoPaths(s, p, Op.RENAME, AT_FDCWD, s.arg(0), AT_FDCWD, s.arg(1), 0);
            case RENAMEAT -> twoPaths(s, p, Op.RENAME, (int) s.arg(0), s.arg(1), (int) s.arg(2), s.arg(3), 0);
            case RENAMEAT2 -> twoPaths(s, p, Op.RENAME, (int) s.arg(0), s.arg(1), (int) s.arg(2), s.arg(3), (int) s.arg(4));
            case LINK -> twoPaths(s, p, Op.LINK, AT_FDCWD, s.arg(0), AT_FDCWD, s.arg(1), 0);
            case LINKAT -> twoPaths(s, p, Op.LINK, (int) s.arg(0), s.arg(1), (int) s.arg(2), s.arg(3), (int) s.arg(4));
            case SYMLINK -> symlink(s, p, s.arg(0), AT_FDCWD, s.arg(1));
            case SYMLINKAT -> symlink(s, p, s.arg(0), (int) s.arg(1), s.arg(2));
            case UNLINK -> onePath(s, p, Op.UNLINK, AT_FDCWD, s.arg(0), 0, 0);
            case UNLINKAT -> {
                int flags = (int) s.arg(2);
                yield onePath(s, p, (flags & AT_REMOVEDIR) != 0 ? Op.RMDIR : Op.UNLINK, (int) s.arg(0), s.arg(1), flags, 0);
            }
            case RMDIR -> onePath(s, p, Op.RMDIR, AT_FDCWD, s.arg(0), 0, 0);
            case MKDIR -> onePath(s, p, Op.MKDIR, AT_FDCWD, s.arg(0), 0, (int) s.arg(1));
            case MKDIRAT -> onePath(s, p, Op.MKDIR, (int) s.arg(0), s.arg(1), 0, (int) s.arg(2));
            case CHMOD -> onePath(s, p, Op.CHMOD, AT_FDCWD, s.arg(0), 0, (int) s.arg(1));
            case FCHMODAT -> onePath(s, p, Op.CHMOD, (int) s.arg(0), s.arg(1), 0, (int) s.arg(2));
            case FCHMODAT2 -> onePath(s, p, Op.CHMOD, (int) s.arg(0), s.arg(1), (int) s.arg(3), (int) s.arg(2));
            case FCHMOD -> onFd(s, p, Op.CHMOD, (int) s.arg(0), (int) s.arg(1), -1, -1);
            case CHOWN, LCHOWN -> chown(s, p, AT_FDCWD, s.arg(0), (int) s.arg(1), (int) s.arg(2), 0);
            case FCHOWNAT -> chown(s, p, (int) s.arg(0), s.arg(1), (int) s.arg(2), (int) s.arg(3), (int) s.arg(4));
            case FCHOWN -> onFd(s, p, Op.CHOWN, (int) s.arg(0), 0, (int) s.arg(1), (int) s.arg(2));
            case TRUNCATE -> onePath(s, p, Op.TRUNCATE, AT_FDCWD, s.arg(0), 0, 0);
            case FTRUNCATE -> onFd(s, p, Op.TRUNCATE, (int) s.arg(0), 0, -1, -1);
            case MEMFD_CREATE -> {
                String name = s.readString(s.arg(0), 256);
                String path = "memfd:" + (name == null ? "" : name);
                int flags = (int) s.arg(1);
                yield (h, res) -> new FileOp(h, p, "memfd_create", Op.MEMFD_CREATE, path, null, flags, 0, -1, -1,
                        fdOf(res), res);
            }
            default -> null;
        };
    }

    private Decoded open(SyscallStop s, ProcessInfo p, String syscall, int dirfd, long pathPtr, int flags, int mode) {
        String raw = s.readString(pathPtr, MAX_PATH);
        String path = paths.resolve(s.tid(), p, dirfd, raw);
        int m = (flags & OpenFlags.O_CREAT) != 0 || (flags & OpenFlags.O_TMPFILE) == OpenFlags.O_TMPFILE ? mode : 0;
        return (h, res) -> new FileOp(h, p, syscall, Op.OPEN, path, null, flags, m, -1, -1, fdOf(res), res);
    }

    private Decoded onePath(SyscallStop s, ProcessInfo p, Op op, int dirfd, long pathPtr, int flags, int mode) {
        String path = paths.resolve(s.tid(), p, dirfd, s.readString(pathPtr, MAX_PATH));
        String syscall = s.sys().kernelName();
        return (h, res) -> new FileOp(h, p, syscall, op, path, null, flags, mode, -1, -1, -1, res);
    }

    private Decoded twoPaths(SyscallStop s, ProcessInfo p, Op op, int oldDir, long oldPtr, int newDir, long newPtr, int flags) {
        String from = paths.resolve(s.tid(), p, oldDir, s.readString(oldPtr, MAX_PATH));
        String to = paths.resolve(s.tid(), p, newDir, s.readString(newPtr, MAX_PATH));
        String syscall = s.sys().kernelName();
        return (h, res) -> new FileOp(h, p, syscall, op, from, to, flags, 0, -1, -1, -1, res);
    }

    private Decoded symlink(SyscallStop s, ProcessInfo p, long targetPtr, int newDir, long linkPtr) {
        String target = s.readString(targetPtr, MAX_PATH); // as given: a symlink's target is not resolved
        String link = paths.resolve(s.tid(), p, newDir, s.readString(linkPtr, MAX_PATH));
        String syscall = s.sys().kernelName();
        return (h, res) -> new FileOp(h, p, syscall, Op.SYMLINK, link, target, 0, 0, -1, -1, -1, res);
    }

    private Decoded chown(SyscallStop s, ProcessInfo p, int dirfd, long pathPtr, int uid, int gid, int flags) {
        String path = paths.resolve(s.tid(), p, dirfd, s.readString(pathPtr, MAX_PATH));
        String syscall = s.sys().kernelName();
        return (h, res) -> new FileOp(h, p, syscall, Op.CHOWN, path, null, flags, 0, uid, gid, -1, res);
    }

    private Decoded onFd(SyscallStop s, ProcessInfo p, Op op, int fd, int mode, int uid, int gid) {
        String path = paths.fdPath(s.tid(), fd);
        String syscall = s.sys().kernelName();
        return (h, res) -> new FileOp(h, p, syscall, op, path, null, 0, mode, uid, gid, fd, res);
    }

    /** The fd an open-like call returned, or -1 (failed, or not observed). */
    private static int fdOf(long res) {
        return res >= 0 && res != Event.RES_UNKNOWN ? (int) res : -1;
    }

    static boolean handles(Sys sys) {
        return switch (sys) {
            case OPEN, CREAT, OPENAT, OPENAT2, RENAME, RENAMEAT, RENAMEAT2, LINK, LINKAT, SYMLINK, SYMLINKAT, UNLINK,
                 UNLINKAT, RMDIR, MKDIR, MKDIRAT, CHMOD, FCHMODAT, FCHMODAT2, FCHMOD, CHOWN, LCHOWN, FCHOWNAT, FCHOWN,
                 TRUNCATE, FTRUNCATE, MEMFD_CREATE -> true;
            default -> false;
        };
    }
}
