package dev.vigil.event;

/** Names of the Linux errno values that events carry (x86_64 and aarch64 share the generic numbers). */
public final class Errno {
    private static final String[] NAMES = new String[134];
    static {
        String[] pairs = {"1 EPERM", "2 ENOENT", "3 ESRCH", "4 EINTR", "5 EIO", "6 ENXIO", "7 E2BIG", "8 ENOEXEC",
            "9 EBADF", "10 ECHILD", "11 EAGAIN", "12 ENOMEM", "13 EACCES", "14 EFAULT", "16 EBUSY", "17 EEXIST",
            "18 EXDEV", "19 ENODEV", "20 ENOTDIR", "21 EISDIR", "22 EINVAL", "23 ENFILE", "24 EMFILE", "26 ETXTBSY",
            "27 EFBIG", "28 ENOSPC", "30 EROFS", "31 EMLINK", "32 EPIPE", "36 ENAMETOOLONG", "38 ENOSYS",
            "39 ENOTEMPTY", "40 ELOOP", "88 ENOTSOCK", "95 EOPNOTSUPP", "97 EAFNOSUPPORT", "98 EADDRINUSE",
            "99 EADDRNOTAVAIL", "100 ENETDOWN", "101 ENETUNREACH", "103 ECONNABORTED", "104 ECONNRESET",
            "110 ETIMEDOUT", "111 ECONNREFUSED",
            "113 EHOSTUNREACH", "114 EALREADY", "115 EINPROGRESS"};
        for (String p : pairs) {
            int sp = p.indexOf(' ');
            NAMES[Integer.parseInt(p.substring(0, sp))] = p.substring(sp + 1);
        }
    }

    private Errno() {}

    /** The symbolic name ("ENOENT"), or "E&lt;n&gt;" for a number not in the table. */
    public static String name(int errno) {
        int e = Math.abs(errno);
        return e < NAMES.length && NAMES[e] != null ? NAMES[e] : "E" + e;
    }

    /** The number of a symbolic name in the table ("EACCES" gives 13), or -1 when the name is not in it. */
    public static int number(String name) {
        for (int i = 0; i < NAMES.length; i++) if (name.equals(NAMES[i])) return i;
        return -1;
    }
}
