package dev.vigil.capture.syscall;

/** Syscall numbers and register layout of one architecture. Implementations are immutable constants. */
public sealed interface SyscallTable permits X86_64Table, Aarch64Table {
    /** Number for a syscall the architecture lacks. */
    int ABSENT = -1;

    /** Architecture name as {@code uname -m} prints it. */
    String name();

    /** The syscall's number, or {@link #ABSENT}. */
    int nr(Sys sys);

    /** The syscall with this number among those Vigil knows, or null. */
    Sys sys(long nr);

    /** AUDIT_ARCH_* value in {@code seccomp_data.arch}, checked first by the filter. */
    int auditArch();

    /** Byte offset of syscall argument {@code i} in the NT_PRSTATUS register set. */
    int argOffset(int i);

    /** Byte offset of the return-value register in NT_PRSTATUS. */
    int retOffset();

    /**
     * Byte offset of the syscall-number register that the kernel re-reads after a stop (x86_64 orig_rax), or
     * -1 when the number is changed through its own register set (aarch64 NT_ARM_SYSTEM_CALL).
     */
    int nrOffset();

    /** The table of the machine this JVM runs on. */
    static SyscallTable host() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> X86_64Table.INSTANCE;
            case "aarch64", "arm64" -> Aarch64Table.INSTANCE;
            default -> throw new UnsupportedOperationException("Vigil supports x86_64 and aarch64, not " + arch);
        };
    }
}
