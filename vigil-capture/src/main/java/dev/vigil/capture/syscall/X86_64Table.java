package dev.vigil.capture.syscall;

import java.util.EnumMap;

/** x86_64: numbers from {@code asm/unistd_64.h}; registers in {@code struct user_regs_struct} order. */
public final class X86_64Table extends NumberedTable implements SyscallTable {
    public static final X86_64Table INSTANCE = new X86_64Table();
    /** AUDIT_ARCH_X86_64. */
    public static final int AUDIT_ARCH = 0xC000003E;
    private static final int[] ARG_REGS = {14, 13, 12, 7, 9, 8}; // rdi rsi rdx r10 r8 r9

    private X86_64Table() {
        super(numbers());
    }

    private static EnumMap<Sys, Integer> numbers() {
        EnumMap<Sys, Integer> m = new EnumMap<>(Sys.class);
        m.put(Sys.EXECVE, 59);
        m.put(Sys.EXECVEAT, 322);
        m.put(Sys.CLONE, 56);
        m.put(Sys.CLONE3, 435);
        m.put(Sys.FORK, 57);
        m.put(Sys.VFORK, 58);
        m.put(Sys.OPEN, 2);
        m.put(Sys.OPENAT, 257);
        m.put(Sys.OPENAT2, 437);
        m.put(Sys.CREAT, 85);
        m.put(Sys.RENAME, 82);
        m.put(Sys.RENAMEAT, 264);
        m.put(Sys.RENAMEAT2, 316);
        m.put(Sys.UNLINK, 87);
        m.put(Sys.UNLINKAT, 263);
        m.put(Sys.RMDIR, 84);
        m.put(Sys.MKDIR, 83);
        m.put(Sys.MKDIRAT, 258);
        m.put(Sys.CHMOD, 90);
        m.put(Sys.FCHMOD, 91);
        m.put(Sys.FCHMODAT, 268);
        m.put(Sys.FCHMODAT2, 452);
        m.put(Sys.CHOWN, 92);
        m.put(Sys.FCHOWN, 93);
        m.put(Sys.LCHOWN, 94);
        m.put(Sys.FCHOWNAT, 260);
        m.put(Sys.LINK, 86);
        m.put(Sys.LINKAT, 265);
        m.put(Sys.SYMLINK, 88);
        m.put(Sys.SYMLINKAT, 266);
        m.put(Sys.TRUNCATE, 76);
        m.put(Sys.FTRUNCATE, 77);
        m.put(Sys.MEMFD_CREATE, 319);
        m.put(Sys.SOCKET, 41);
        m.put(Sys.CONNECT, 42);
        m.put(Sys.ACCEPT, 43);
        m.put(Sys.ACCEPT4, 288);
        m.put(Sys.BIND, 49);
        m.put(Sys.LISTEN, 50);
        m.put(Sys.SENDTO, 44);
        m.put(Sys.SENDMSG, 46);
        m.put(Sys.SENDMMSG, 307);
        m.put(Sys.RECVFROM, 45);
        m.put(Sys.RECVMSG, 47);
        m.put(Sys.RECVMMSG, 299);
        m.put(Sys.WRITE, 1);
        m.put(Sys.CLOSE, 3);
        m.put(Sys.DUP, 32);
        m.put(Sys.DUP2, 33);
        m.put(Sys.DUP3, 292);
        m.put(Sys.CHDIR, 80);
        m.put(Sys.FCHDIR, 81);
        m.put(Sys.SETUID, 105);
        m.put(Sys.SETGID, 106);
        m.put(Sys.SETREUID, 113);
        m.put(Sys.SETREGID, 114);
        m.put(Sys.SETRESUID, 117);
        m.put(Sys.SETRESGID, 119);
        m.put(Sys.CAPSET, 126);
        m.put(Sys.PTRACE, 101);
        m.put(Sys.PROCESS_VM_WRITEV, 311);
        m.put(Sys.KILL, 62);
        m.put(Sys.TKILL, 200);
        m.put(Sys.TGKILL, 234);
        m.put(Sys.SECCOMP, 317);
        m.put(Sys.PIDFD_OPEN, 434);
        m.put(Sys.PIDFD_GETFD, 438);
        m.put(Sys.GETPID, 39);
        m.put(Sys.GETTID, 186);
        return m;
    }

    @Override public String name() { return "x86_64"; }
    @Override public int auditArch() { return AUDIT_ARCH; }
    @Override public int argOffset(int i) { return 8 * ARG_REGS[i]; }
    @Override public int retOffset() { return 8 * 10; } // rax
    @Override public int nrOffset() { return 8 * 15; }  // orig_rax
}
