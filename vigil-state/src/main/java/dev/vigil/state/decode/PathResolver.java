package dev.vigil.state.decode;

import dev.vigil.capture.linux.ProcessMemory;
import dev.vigil.event.ProcessInfo;
import dev.vigil.state.ProcFs;

/**
 * Makes a syscall's path absolute: against the dirfd's path ({@code /proc/<pid>/fd}) or the process's cwd,
 * with "." and ".." removed lexically and symlinks left as given (what the caller asked for, not what the
 * kernel will find).
 */
final class PathResolver {
    static final int AT_FDCWD = -100;
    private final ProcFs procFs;

    PathResolver(ProcFs procFs) {
        this.procFs = procFs;
    }

    String resolve(int tid, ProcessInfo p, int dirfd, String path) {
        if (path == null) return null;
        if (path.startsWith("/")) return normalize(path);
        if (path.equals(ProcessMemory.UNREADABLE)) return path; // a bad pointer: nothing read, no directory to name
        String base = dirfd == AT_FDCWD ? p.cwd() : procFs.fdPath(tid, dirfd);
        if (path.isEmpty()) return base; // AT_EMPTY_PATH: the dirfd itself
        if (base == null) return path;
        return normalize(base + "/" + path);
    }

    /** The path an fd refers to now, e.g. for fchmod. */
    String fdPath(int tid, int fd) {
        String p = procFs.fdPath(tid, fd);
        return p == null ? "<fd " + fd + ">" : p;
    }

    /** Lexical normalisation: collapses "//", "." and ".." without touching the file system. */
    static String normalize(String path) {
        if (isNormal(path)) return path;
        String[] parts = path.split("/");
        String[] stack = new String[parts.length];
        int n = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                if (n > 0) n--;
                continue;
            }
            stack[n++] = part;
        }
        if (n == 0) return "/";
        StringBuilder sb = new StringBuilder(path.length());
        for (int i = 0; i < n; i++) sb.append('/').append(stack[i]);
        return sb.toString();
    }

    /**
     * No "//", no "/." (so no "." or ".." component) and no trailing "/": nothing to collapse. One pass over the
     * characters: the two substring searches it replaces were ~2 % of the notify thread's time on open_storm.
     */
    private static boolean isNormal(String path) {
        int n = path.length();
        if (n > 0 && path.charAt(n - 1) == '/') return false;
        for (int i = 0; i < n - 1; i++) {
            if (path.charAt(i) == '/') {
                char next = path.charAt(i + 1);
                if (next == '.' || next == '/') return false;
            }
        }
        return true;
    }
}
