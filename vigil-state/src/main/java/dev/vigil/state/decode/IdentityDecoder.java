package dev.vigil.state.decode;

import dev.vigil.capture.SyscallStop;
import dev.vigil.event.IdentityChange;
import dev.vigil.event.ProcessInfo;
import dev.vigil.event.ProcessTamper;
import dev.vigil.state.ProcessTracker;

/**
 * set*id and capset; ptrace, process_vm_writev and kill/tkill/tgkill aimed at another process. PTRACE_TRACEME
 * (anti-debugging: the caller asks its parent to trace it) is reported with the parent as the target.
 */
final class IdentityDecoder {
    private static final int PTRACE_TRACEME = 0;
    private final ProcessTracker tracker;

    IdentityDecoder(ProcessTracker tracker) {
        this.tracker = tracker;
    }

    Decoded decode(SyscallStop s, ProcessInfo p) {
        String sc = s.sys().kernelName();
        int a0 = (int) s.arg(0), a1 = (int) s.arg(1), a2 = (int) s.arg(2);
        return switch (s.sys()) {
            case SETUID -> ids(s, p, sc, a0, a0, a0, -1, -1, -1);
            case SETGID -> ids(s, p, sc, -1, -1, -1, a0, a0, a0);
            case SETREUID -> ids(s, p, sc, a0, a1, -1, -1, -1, -1);
            case SETREGID -> ids(s, p, sc, -1, -1, -1, a0, a1, -1);
            case SETRESUID -> ids(s, p, sc, a0, a1, a2, -1, -1, -1);
            case SETRESGID -> ids(s, p, sc, -1, -1, -1, a0, a1, a2);
            case CAPSET -> {
                tracker.credsMayChange(s.tid());
                // struct __user_cap_data_struct { u32 effective, permitted, inheritable; } [2] for v3
                long d = s.arg(1);
                long lo = s.memory().readLong(s.tid(), d, 0), hi = s.memory().readLong(s.tid(), d + 12, 0);
                long eff = (lo & 0xffffffffL) | ((hi & 0xffffffffL) << 32);
                long perm = (lo >>> 32) | ((hi >>> 32) << 32);
                yield (h, res) -> new IdentityChange(h, p, sc, -1, -1, -1, -1, -1, -1, eff, perm, res);
            }
            case PTRACE -> tamper(p, sc, a0 == PTRACE_TRACEME ? p.ppid() : a1, s.arg(0));
            case PROCESS_VM_WRITEV -> a0 == p.pid() ? null : tamper(p, sc, a0, 0);
            case KILL, TKILL -> a1 == 0 || a0 == p.pid() || a0 == s.tid() ? null : tamper(p, sc, a0, a1);
            case TGKILL -> a2 == 0 || a0 == p.pid() ? null : tamper(p, sc, a0, a2);
            default -> null;
        };
    }

    private Decoded ids(SyscallStop s, ProcessInfo p, String sc, int r, int e, int sv, int rg, int eg, int sg) {
        tracker.credsMayChange(s.tid());
        return (h, res) -> new IdentityChange(h, p, sc, r, e, sv, rg, eg, sg, 0, 0, res);
    }

    private Decoded tamper(ProcessInfo p, String sc, int target, long request) {
        String cmd = tracker.cmdlineOf(target);
        return (h, res) -> new ProcessTamper(h, p, sc, target, cmd, request, res);
    }
}
