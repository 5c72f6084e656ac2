package dev.vigil.capture;

import dev.vigil.capture.linux.Libc;
import dev.vigil.capture.linux.Seccomp;
import dev.vigil.capture.syscall.Sys;
import dev.vigil.capture.syscall.SyscallTable;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the running kernel offers, detected once at start: user notification (5.0), FLAG_CONTINUE (5.5),
 * pidfd_getfd (5.6), SYNC_WAKE_UP (6.6, confirmed when the listener accepts the flag).
 */
public record KernelFeatures(String release, int major, int minor, boolean userNotif, boolean pidfdGetfd,
                             boolean syncWakeUpExpected, int[] notifSizes) {

    /** Sizes the bindings assume for seccomp_notif, seccomp_notif_resp, seccomp_data. */
    public static final int[] EXPECTED_NOTIF_SIZES = {80, 24, 64};

    public static KernelFeatures detect(SyscallTable table) {
        String release;
        try {
            release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            release = System.getProperty("os.version", "0.0");
        }
        int[] v = parseVersion(release);
        try (Arena a = Arena.ofConfined()) {
            Libc libc = new Libc(a);
            long seccompNr = table.nr(Sys.SECCOMP);
            boolean notif = Seccomp.actionAvailable(libc, seccompNr, Seccomp.RET_USER_NOTIF);
            int[] sizes = Seccomp.notifSizes(libc, seccompNr);
            boolean atLeast56 = v[0] > 5 || (v[0] == 5 && v[1] >= 6);
            boolean atLeast66 = v[0] > 6 || (v[0] == 6 && v[1] >= 6);
            return new KernelFeatures(release, v[0], v[1], notif, atLeast56, atLeast66, sizes);
        }
    }

    static int[] parseVersion(String release) {
        String[] parts = release.split("[.\\-+]");
        int major = 0, minor = 0;
        try {
            major = Integer.parseInt(parts[0]);
            if (parts.length > 1) minor = Integer.parseInt(parts[1]);
        } catch (NumberFormatException ignored) {
            // an odd release string: treat as old, the fallbacks then apply
        }
        return new int[] {major, minor};
    }

    /** Whether the notification structs have the sizes our layouts assume. */
    public boolean notifLayoutsMatch() {
        return notifSizes != null && notifSizes[0] == EXPECTED_NOTIF_SIZES[0]
                && notifSizes[1] == EXPECTED_NOTIF_SIZES[1] && notifSizes[2] == EXPECTED_NOTIF_SIZES[2];
    }

    /**
     * The mode to use: the one requested when the kernel has it (else an exception saying why), or the best
     * available when nothing was requested.
     */
    public CaptureMode choose(CaptureMode requested) {
        boolean notifyOk = userNotif && pidfdGetfd && notifLayoutsMatch();
        if (requested == null) return notifyOk ? CaptureMode.NOTIFY : CaptureMode.TRACE;
        if (requested == CaptureMode.NOTIFY && !notifyOk) {
            throw new KernelSupportException("seccomp user notification needs Linux >= 5.6 (pidfd_getfd) with "
                    + "SECCOMP_RET_USER_NOTIF; this kernel is " + release + " (user notification "
                    + (userNotif ? "available" : "missing") + "). Use --seccomp-trace or leave the mode to Vigil.");
        }
        return requested;
    }

    @Override public String toString() {
        return "Linux " + release + ": user notification " + (userNotif ? "yes" : "no") + ", pidfd_getfd "
                + (pidfdGetfd ? "yes" : "no") + ", sync wake-up " + (syncWakeUpExpected ? "expected" : "no");
    }
}
