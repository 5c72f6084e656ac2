package dev.vigil.event;

/**
 * A file-system operation. Paths are absolute (resolved against dirfd and cwd; symlinks kept as given).
 *
 * @param syscall the syscall name (Falco {@code evt.type}): openat, rename, unlinkat, fchmodat, ...
 * @param op      what it does
 * @param path    the file operated on (for symlink: the link created); {@code <unreadable>}-marked when the workload passed a bad pointer
 * @param target  the second path: rename's destination, link's new name, symlink's target as given (not resolved); else null
 * @param flags   open flags (O_*), or the syscall's flags argument
 * @param mode    mode for open-with-create, mkdir and chmod; else 0
 * @param uid     owner for chown (-1 when unchanged or not a chown)
 * @param gid     group for chown (-1 when unchanged or not a chown)
 * @param fd      the fd operated on or returned (open), -1 when none or unknown
 * @param res     the syscall's result when observed, else {@link Event#RES_UNKNOWN}
 */
public record FileOp(EventHeader header, ProcessInfo process, String syscall, Op op, String path, String target,
                     int flags, int mode, int uid, int gid, int fd, long res) implements Event {
    /** File-system operation kinds. */
    public enum Op {
        OPEN, RENAME, UNLINK, MKDIR, RMDIR, CHMOD, CHOWN, LINK, SYMLINK, TRUNCATE, MEMFD_CREATE;

        /** The event kind, "file." and the name in lower case: made once, read for every event. */
        private final String kind = "file." + name().toLowerCase(java.util.Locale.ROOT);

        public String kind() {
            return kind;
        }
    }

    @Override public String kind() { return op.kind(); }
    @Override public String evtType() { return syscall; }
}
