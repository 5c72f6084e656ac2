package dev.vigil.state;

import dev.vigil.event.Event;
import dev.vigil.event.FileOp;
import dev.vigil.event.OpenFlags;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The files the watched workload created or changed since the sensor started: what an overlay file system
 * would hold in the container's upper (writable) layer, as far as the workload's own syscalls tell. An exec
 * of one of them is drift ({@code proc.is_exe_upper_layer}).
 *
 * <p>Recorded from {@link FileOp} events: opens for writing (create, truncate, write access), {@code creat},
 * rename and link targets, truncate, and chmod/fchmod that set an execute bit. Paths are the ones the
 * workload named, resolved against its cwd and dirfd (symlinks in them are kept as given). When the file
 * already exists at the time of a rename, link or chmod its device and inode are recorded too, so that an
 * exec through another name of the same file (a later rename of its directory, a hard link) is still known.
 *
 * <p>Bounded: at most {@code capacity} paths and as many inodes, least recently written or executed dropped
 * first. A file written before the sensor started, or whose record was dropped, counts as not written.
 *
 * <p>Threading: written from the notify supervisor or the tracer thread, read at exec on the tracer thread.
 */
public final class WrittenFiles {
    /** Default bound on the number of paths (and of inodes) kept. */
    public static final int DEFAULT_CAPACITY = 65_536;
    private static final int EXEC_BITS = 0111;

    private record Inode(long dev, long ino) {}

    private final Map<String, Boolean> paths;
    private final Map<Inode, Boolean> inodes;
    /** Paths recorded (including rewrites of a path already known) and records dropped to stay in bounds. */
    public final AtomicLong recorded = new AtomicLong(), dropped = new AtomicLong();

    public WrittenFiles(int capacity) {
        this.paths = lru(capacity);
        this.inodes = lru(capacity);
    }

    private <K> Map<K, Boolean> lru(int capacity) {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<K, Boolean> eldest) {
                if (size() <= capacity) return false;
                dropped.incrementAndGet();
                return true;
            }
        };
    }

    /** Records what {@code e} wrote, if it is a file operation that creates or changes a file's content or mode. */
    public void observe(Event e) {
        if (!(e instanceof FileOp f)) return;
        if (f.res() != Event.RES_UNKNOWN && f.res() < 0) return; // failed: nothing changed
        switch (f.op()) {
            case OPEN -> {
                int fl = f.flags();
                if (!OpenFlags.writes(fl) || (fl & OpenFlags.O_TMPFILE) == OpenFlags.O_TMPFILE) return;
                // a new file without any execute bit cannot be run until a chmod, which is recorded then
                boolean created = (fl & (OpenFlags.O_CREAT | OpenFlags.O_EXCL)) == (OpenFlags.O_CREAT | OpenFlags.O_EXCL);
                if (created && (f.mode() & EXEC_BITS) == 0) return;
                add(f.path(), false);
            }
            case RENAME, LINK -> {
                // at entry the source exists, at exit the target: stat whichever is there for the inode
                if (!add(f.target(), false)) return;
                Inode ino = stat(f.target());
                if (ino == null) ino = stat(f.path());
                if (ino != null) synchronized (this) { inodes.put(ino, Boolean.TRUE); }
            }
            case CHMOD -> {
                if ((f.mode() & EXEC_BITS) != 0) add(f.path(), true);
            }
            case TRUNCATE -> add(f.path(), false);
            default -> { }
        }
    }

    /** True when the workload wrote the executable that process {@code pid} now runs, at {@code exePath}. */
    public boolean wrote(String exePath, Path procRoot, int pid) {
        if (exePath == null || exePath.startsWith("/memfd:")) return false;
        synchronized (this) {
            if (paths.get(exePath) != null) return true;
            if (inodes.isEmpty()) return false;
        }
        Inode ino = stat(procRoot.resolve(Integer.toString(pid)).resolve("exe").toString());
        if (ino == null) return false;
        synchronized (this) {
            return inodes.get(ino) != null;
        }
    }

    /** True when {@code path} is recorded as written (no inode test). */
    public synchronized boolean wrote(String path) {
        return path != null && paths.get(path) != null;
    }

    /** Paths recorded now. */
    public synchronized int size() {
        return paths.size();
    }

    private boolean add(String path, boolean withInode) {
        if (!recordable(path)) return false;
        recorded.incrementAndGet();
        Inode ino = withInode ? stat(path) : null;
        synchronized (this) {
            paths.put(path, Boolean.TRUE);
            if (ino != null) inodes.put(ino, Boolean.TRUE);
        }
        return true;
    }

    /** Absolute paths of files the workload can write and run (not /proc, /sys, /dev except /dev/shm). */
    static boolean recordable(String path) {
        if (path == null || !path.startsWith("/")) return false;
        if (path.startsWith("/dev/shm/")) return true;
        return !path.startsWith("/proc/") && !path.startsWith("/sys/") && !path.startsWith("/dev/");
    }

    private static Inode stat(String path) {
        if (path == null || !path.startsWith("/")) return null;
        try {
            Map<String, Object> a = Files.readAttributes(Path.of(path), "unix:dev,ino");
            return new Inode(((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue());
        } catch (IOException | RuntimeException e) {
            return null; // gone, unreadable, or not a unix file system view
        }
    }
}
