package dev.vigil.rules.fields;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Renderings Falco uses for times, open flags and similar: used on the output path only (they allocate). */
public final class Render {
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private Render() {}

    /** {@code evt.time}: {@code HH:MM:SS.nnnnnnnnn} (UTC). */
    public static String time(long epochNs) {
        Instant t = Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L), Math.floorMod(epochNs, 1_000_000_000L));
        return HMS.format(t) + "." + String.format("%09d", t.getNano());
    }

    /** {@code evt.time.iso8601} and the JSON {@code time}: {@code 2026-12-04T16:00:10.123456789Z}. */
    public static String iso8601(long epochNs) {
        Instant t = Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L), Math.floorMod(epochNs, 1_000_000_000L));
        return DATE.format(t) + "T" + HMS.format(t) + "." + String.format("%09d", t.getNano()) + "Z";
    }

    /** {@code evt.datetime}: {@code 2026-12-04 16:00:10.123456789}. */
    public static String datetime(long epochNs) {
        Instant t = Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L), Math.floorMod(epochNs, 1_000_000_000L));
        return DATE.format(t) + " " + HMS.format(t) + "." + String.format("%09d", t.getNano());
    }

    private static final String[][] OPEN_FLAG_NAMES = {
        {"01", "O_WRONLY"}, {"02", "O_RDWR"}, {"0100", "O_CREAT"}, {"0200", "O_EXCL"}, {"0400", "O_NOCTTY"},
        {"01000", "O_TRUNC"}, {"02000", "O_APPEND"}, {"04000", "O_NONBLOCK"}, {"010000", "O_DSYNC"},
        {"020000", "O_ASYNC"}, {"040000", "O_DIRECT"}, {"0200000", "O_DIRECTORY"}, {"0400000", "O_NOFOLLOW"},
        {"01000000", "O_NOATIME"}, {"02000000", "O_CLOEXEC"}, {"010000000", "O_PATH"}, {"020000000", "O_TMPFILE"},
        {"04010000", "O_SYNC"}, {"0100000", "O_LARGEFILE"},
    };

    private static final int[] OPEN_FLAG_BITS = new int[OPEN_FLAG_NAMES.length];
    static {
        for (int i = 0; i < OPEN_FLAG_NAMES.length; i++) OPEN_FLAG_BITS[i] = Integer.parseInt(OPEN_FLAG_NAMES[i][0], 8);
    }

    /** Open flags as Falco prints {@code evt.arg.flags} of an open: {@code O_RDONLY|O_CLOEXEC}. */
    public static String openFlags(int flags) {
        StringBuilder sb = new StringBuilder();
        int acc = flags & 3;
        if (acc == 0) sb.append("O_RDONLY");
        for (int k = 0; k < OPEN_FLAG_NAMES.length; k++) {
            String[] f = OPEN_FLAG_NAMES[k];
            int bit = OPEN_FLAG_BITS[k];
            if (bit == 1 || bit == 2) {
                if (acc == bit) append(sb, f[1]);
            } else if (bit == 04010000) {
                if ((flags & bit) == bit) append(sb, f[1]);
            } else if (bit == 010000 && (flags & 04010000) == 04010000) {
                // O_SYNC includes O_DSYNC: print O_SYNC only
            } else if ((flags & bit) != 0) {
                append(sb, f[1]);
            }
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, String s) {
        if (!sb.isEmpty()) sb.append('|');
        sb.append(s);
    }

    private static final String[] MODE_BITS = {"S_IXOTH", "S_IWOTH", "S_IROTH", "S_IXGRP", "S_IWGRP", "S_IRGRP",
        "S_IXUSR", "S_IWUSR", "S_IRUSR", "S_ISVTX", "S_ISGID", "S_ISUID"};

    /** A mode as Falco prints it: the set bits by name, low bits first ({@code S_IXOTH|...|S_ISUID}). */
    public static String mode(int mode) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < MODE_BITS.length; i++) if ((mode & (1 << i)) != 0) append(sb, MODE_BITS[i]);
        return sb.isEmpty() ? "0" : sb.toString();
    }

    private static final String[] CAPS = {"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
        "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
        "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
        "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
        "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
        "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
        "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
        "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE"};

    /** A capability mask as Falco prints {@code thread.cap_*}: names separated by blanks. */
    public static String caps(long mask) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < CAPS.length; i++) {
            if ((mask & (1L << i)) != 0) {
                if (!sb.isEmpty()) sb.append(' ');
                sb.append(CAPS[i]);
            }
        }
        return sb.toString();
    }

    /**
     * The tty device number ({@code proc.tty}) for a tty name: a number as is, {@code /dev/pts/N} as
     * (136, N), {@code /dev/ttyN} as (4, N), {@code /dev/console} as (5, 1); 0 for none.
     */
    public static long ttyNumber(String tty) {
        if (tty == null || tty.isEmpty()) return 0;
        int major;
        int minor;
        if (tty.startsWith("/dev/pts/")) { major = 136; minor = parseIntOr(tty.substring(9), 0); }
        else if (tty.equals("/dev/console")) { major = 5; minor = 1; }
        else if (tty.startsWith("/dev/tty")) { major = 4; minor = parseIntOr(tty.substring(8), 0); }
        else {
            long n = parseIntOr(tty, -1);
            return n >= 0 ? n : 1;
        }
        return (minor & 0xffL) | ((long) major << 8) | ((long) (minor & ~0xff) << 12);
    }

    private static int parseIntOr(String s, int dflt) {
        try { return Integer.parseInt(s); } catch (NumberFormatException e) { return dflt; }
    }
}
