package dev.vigil.capture.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * ptrace(2) bindings. Every request on a tracee must come from the thread that attached it (DESIGN.md), so an
 * instance belongs to the tracer thread and is never shared. Requests return 0 (or a value) or -errno; ESRCH
 * from a tracee that just died is normal and handled by the caller.
 */
public final class Ptrace {
    public static final int CONT = 7, DETACH = 17, SYSCALL = 24, GETEVENTMSG = 0x4201, GETREGSET = 0x4204,
            SETREGSET = 0x4205, SEIZE = 0x4206, INTERRUPT = 0x4207, LISTEN = 0x4208, GET_SYSCALL_INFO = 0x420e;
    public static final int O_TRACESYSGOOD = 1, O_TRACEFORK = 1 << 1, O_TRACEVFORK = 1 << 2, O_TRACECLONE = 1 << 3,
            O_TRACEEXEC = 1 << 4, O_TRACEVFORKDONE = 1 << 5, O_TRACEEXIT = 1 << 6, O_TRACESECCOMP = 1 << 7,
            O_EXITKILL = 1 << 20;
    public static final int EVENT_FORK = 1, EVENT_VFORK = 2, EVENT_CLONE = 3, EVENT_EXEC = 4, EVENT_VFORK_DONE = 5,
            EVENT_EXIT = 6, EVENT_SECCOMP = 7, EVENT_STOP = 128;
    public static final int NT_PRSTATUS = 1;
    /** aarch64: the syscall number of a task at a syscall stop, as its own regset (an int). */
    public static final int NT_ARM_SYSTEM_CALL = 0x404;

    /** {@code struct ptrace_syscall_info} (88 bytes): op, arch, ip, sp, then entry/exit/seccomp union. */
    public static final int SYSINFO_SIZE = 88;
    public static final byte SYSINFO_NONE = 0, SYSINFO_ENTRY = 1, SYSINFO_EXIT = 2, SYSINFO_SECCOMP = 3;

    private final MemorySegment callState;
    private final MemorySegment msg;
    private final MemorySegment sysinfo;
    private final MemorySegment iov;
    private final MemorySegment regs;

    public Ptrace(Arena owner) {
        this.callState = owner.allocate(Native.CALL_STATE_LAYOUT);
        this.msg = owner.allocate(JAVA_LONG);
        this.sysinfo = owner.allocate(SYSINFO_SIZE, 8);
        this.iov = owner.allocate(16, 8);
        this.regs = owner.allocate(1024, 8);
    }

    /** A raw request; returns the result or -errno. */
    public long call(int request, int tid, long addr, long data) {
        // the raw syscall: libc's wrapper differs only for the PEEK requests, which Vigil does not make
        return Native.syscall(callState, SyscallNr.PTRACE, request, tid, addr, data, 0, 0);
    }

    public long seize(int tid, int options) {
        return call(SEIZE, tid, 0, options);
    }

    /** Resumes with {@code request} (CONT, SYSCALL or LISTEN) delivering {@code signal} (0 for none). */
    public long resume(int request, int tid, int signal) {
        return call(request, tid, 0, signal);
    }

    /** PTRACE_GETEVENTMSG: the new tid at fork events, the former tid at exec, the seccomp data at seccomp stops. */
    public long eventMsg(int tid) {
        long r = call(GETEVENTMSG, tid, 0, msg.address());
        return r < 0 ? r : msg.get(JAVA_LONG, 0);
    }

    /**
     * PTRACE_GET_SYSCALL_INFO into this instance's buffer; returns the op (SYSINFO_*) or -errno. Read the
     * fields with the accessors below until the next call.
     */
    public int syscallInfo(int tid) {
        long r = call(GET_SYSCALL_INFO, tid, SYSINFO_SIZE, sysinfo.address());
        return r < 0 ? (int) r : sysinfo.get(JAVA_BYTE, 0);
    }

    public int infoArch() { return sysinfo.get(JAVA_INT, 4); }
    /** Syscall number at entry and seccomp stops. */
    public long infoNr() { return sysinfo.get(JAVA_LONG, 24); }
    /** Argument {@code i} (0-5) at entry and seccomp stops. */
    public long infoArg(int i) { return sysinfo.get(JAVA_LONG, 32 + 8L * i); }
    /** At seccomp stops: the SECCOMP_RET_DATA of the filter's verdict (what PTRACE_GETEVENTMSG would give). */
    public int infoRetData() { return sysinfo.get(JAVA_INT, 80); }
    /** Return value at exit stops (negative errno on error). */
    public long infoRval() { return sysinfo.get(JAVA_LONG, 24); }
    public boolean infoIsError() { return sysinfo.get(JAVA_BYTE, 32) != 0; }

    /** PTRACE_GETREGSET NT_PRSTATUS into this instance's register buffer; returns bytes read or -errno. */
    public long getRegs(int tid) {
        iov.set(JAVA_LONG, 0, regs.address());
        iov.set(JAVA_LONG, 8, regs.byteSize());
        long r = call(GETREGSET, tid, NT_PRSTATUS, iov.address());
        return r < 0 ? r : iov.get(JAVA_LONG, 8);
    }

    /** PTRACE_SETREGSET NT_PRSTATUS from the register buffer (after {@link #getRegs} and edits). */
    public long setRegs(int tid, long size) {
        iov.set(JAVA_LONG, 0, regs.address());
        iov.set(JAVA_LONG, 8, size);
        return call(SETREGSET, tid, NT_PRSTATUS, iov.address());
    }

    /**
     * aarch64: sets the syscall number of a task at a syscall-entry stop (NT_ARM_SYSTEM_CALL); -1 skips the
     * syscall. Returns 0 or -errno. Uses the register buffer's tail as scratch.
     */
    public long setArmSyscall(int tid, int nr) {
        MemorySegment word = regs.asSlice(regs.byteSize() - 8, 8);
        word.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, nr);
        iov.set(JAVA_LONG, 0, word.address());
        iov.set(JAVA_LONG, 8, 4);
        return call(SETREGSET, tid, NT_ARM_SYSTEM_CALL, iov.address());
    }

    /** The register buffer filled by {@link #getRegs}; offsets come from the architecture's syscall table. */
    public MemorySegment regs() {
        return regs;
    }
}
