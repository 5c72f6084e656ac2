package dev.vigil.capture.syscall;

import java.util.EnumMap;

/**
 * aarch64 (Graviton Fargate): numbers from {@code asm-generic/unistd.h} (no open, creat, fork, ...: ABSENT);
 * registers in {@code struct user_pt_regs} order. x0 carries both the first argument and the result, so an
 * entry decoder must keep arg0 itself when it needs it at exit.
 */
public final class Aarch64Table extends NumberedTable implements SyscallTable {
    public static final Aarch64Table INSTANCE = new Aarch64Table();
    /** AUDIT_ARCH_AARCH64. */
    public static final int AUDIT_ARCH = 0xC00000B7;

    private Aarch64Table() {
        super(numbers());
    }

    private static EnumMap<Sys, Integer> numbers() {
        EnumMap<Sys, Integer> m = new EnumMap<>(Sys.class);
        m.put(Sys.EXECVE, 221);
        m.put(Sys.EXECVEAT, 281);
        m.put(Sys.CLONE, 220);
        m.put(Sys.CLONE3, 435);
        m.put(Sys.FORK, ABSENT);
        m.put(Sys.VFORK, ABSENT);
        m.put(Sys.OPEN, ABSENT);
        m.put(Sys.OPENAT, 56);
        m.put(Sys.OPENAT2, 437);
        m.put(Sys.CREAT, ABSENT);
        m.put(Sys.RENAME, ABSENT);
        m.put(Sys.RENAMEAT, 38);
        m.put(Sys.RENAMEAT2, 276);
        m.put(Sys.UNLINK, ABSENT);
        m.put(Sys.UNLINKAT, 35);
        m.put(Sys.RMDIR, ABSENT);
        m.put(Sys.MKDIR, ABSENT);
        m.put(Sys.MKDIRAT, 34);
        m.put(Sys.CHMOD, ABSENT);
        m.put(Sys.FCHMOD, 52);
        m.put(Sys.FCHMODAT, 53);
        m.put(Sys.FCHMODAT2, 452);
        m.put(Sys.CHOWN, ABSENT);
        m.put(Sys.FCHOWN, 55);
        m.put(Sys.LCHOWN, ABSENT);
        m.put(Sys.FCHOWNAT, 54);
        m.put(Sys.LINK, ABSENT);
        m.put(Sys.LINKAT, 37);
        m.put(Sys.SYMLINK, ABSENT);
        m.put(Sys.SYMLINKAT, 36);
        m.put(Sys.TRUNCATE, 45);
        m.put(Sys.FTRUNCATE, 46);
        m.put(Sys.MEMFD_CREATE, 279);
        m.put(Sys.SOCKET, 198);
        m.put(Sys.CONNECT, 203);
        m.put(Sys.ACCEPT, 202);
        m.put(Sys.ACCEPT4, 242);
        m.put(Sys.BIND, 200);
        m.put(Sys.LISTEN, 201);
        m.put(Sys.SENDTO, 206);
        m.put(Sys.SENDMSG, 211);
        m.put(Sys.SENDMMSG, 269);
        m.put(Sys.RECVFROM, 207);
        m.put(Sys.RECVMSG, 212);
        m.put(Sys.RECVMMSG, 243);
        m.put(Sys.WRITE, 64);
        m.put(Sys.CLOSE, 57);
        m.put(Sys.DUP, 23);
        m.put(Sys.DUP2, ABSENT);
        m.put(Sys.DUP3, 24);
        m.put(Sys.CHDIR, 49);
        m.put(Sys.FCHDIR, 50);
        m.put(Sys.SETUID, 146);
        m.put(Sys.SETGID, 144);
        m.put(Sys.SETREUID, 145);
        m.put(Sys.SETREGID, 143);
        m.put(Sys.SETRESUID, 147);
        m.put(Sys.SETRESGID, 149);
        m.put(Sys.CAPSET, 91);
        m.put(Sys.PTRACE, 117);
        m.put(Sys.PROCESS_VM_WRITEV, 271);
        m.put(Sys.KILL, 129);
        m.put(Sys.TKILL, 130);
        m.put(Sys.TGKILL, 131);
        m.put(Sys.SECCOMP, 277);
        m.put(Sys.PIDFD_OPEN, 434);
        m.put(Sys.PIDFD_GETFD, 438);
        m.put(Sys.GETPID, 172);
        m.put(Sys.GETTID, 178);
        return m;
    }

    @Override public String name() { return "aarch64"; }
    @Override public int auditArch() { return AUDIT_ARCH; }
    @Override public int argOffset(int i) { return 8 * i; } // x0..x5
    @Override public int retOffset() { return 0; }          // x0
    @Override public int nrOffset() { return -1; }          // NT_ARM_SYSTEM_CALL
}
