package dev.vigil.capture.syscall;

import java.util.Locale;

/** The syscalls Vigil can watch, by logical name (the kernel name in lower case is {@link #kernelName()}). */
public enum Sys {
    EXECVE, EXECVEAT, CLONE, CLONE3, FORK, VFORK,
    OPEN, OPENAT, OPENAT2, CREAT,
    RENAME, RENAMEAT, RENAMEAT2, UNLINK, UNLINKAT, RMDIR, MKDIR, MKDIRAT,
    CHMOD, FCHMOD, FCHMODAT, FCHMODAT2, CHOWN, FCHOWN, LCHOWN, FCHOWNAT,
    LINK, LINKAT, SYMLINK, SYMLINKAT, TRUNCATE, FTRUNCATE, MEMFD_CREATE,
    SOCKET, CONNECT, ACCEPT, ACCEPT4, BIND, LISTEN, SENDTO, SENDMSG, SENDMMSG, RECVFROM, RECVMSG, RECVMMSG,
    WRITE, CLOSE, DUP, DUP2, DUP3, CHDIR, FCHDIR,
    SETUID, SETGID, SETREUID, SETREGID, SETRESUID, SETRESGID, CAPSET,
    PTRACE, PROCESS_VM_WRITEV, KILL, TKILL, TGKILL,
    SECCOMP, PIDFD_OPEN, PIDFD_GETFD, GETPID, GETTID;

    private final String kernelName = name().toLowerCase(Locale.ROOT);

    /** The kernel's name for it, as Falco's {@code evt.type} uses it ("openat"). */
    public String kernelName() {
        return kernelName;
    }

    /** Looks a syscall up by its kernel name; null when Vigil does not know it. */
    public static Sys byKernelName(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
