package dev.vigil.capture.seccomp;

import dev.vigil.capture.linux.Seccomp;
import dev.vigil.capture.syscall.Sys;
import dev.vigil.capture.syscall.SyscallTable;
import dev.vigil.capture.syscall.X86_64Table;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A classic-BPF seccomp program: {@code instructions} as (code, jt, jf, k). Built by {@link #build}; handed to
 * the exec stub as hex ({@link #toHex}) because the stub installs it after the tracer has seized it.
 *
 * <p>Shape: load arch; anything not this architecture (i386 {@code int 0x80} on x86_64) and x32 numbers go to
 * {@code foreignAction}, so they cannot slip past; then one compare-and-return per watched syscall; then
 * ALLOW. Allowed syscalls never look at arguments, which keeps the kernel's per-syscall action cache valid
 * (about 11 ns per untraced syscall on the reference machine).
 */
public record FilterProgram(List<Insn> instructions) {
    /** One BPF instruction. */
    public record Insn(int code, int jt, int jf, int k) {}

    /** Data value of SECCOMP_RET_TRACE for a syscall of a foreign architecture or ABI. */
    public static final int TRACE_DATA_FOREIGN = 0xffff;

    private static final int BPF_LD_W_ABS = 0x20, BPF_JEQ_K = 0x15, BPF_JGE_K = 0x35, BPF_RET_K = 0x06;
    private static final int X32_SYSCALL_BIT = 0x40000000;

    public FilterProgram {
        instructions = List.copyOf(instructions);
        if (instructions.size() > 4096) throw new IllegalArgumentException("BPF program too long");
    }

    /**
     * @param table   the architecture
     * @param actions action (e.g. {@code RET_USER_NOTIF}, or {@code RET_TRACE | data}) per watched syscall;
     *                syscalls the architecture lacks are skipped
     * @param foreignAction action for syscalls of another architecture or ABI
     */
    public static FilterProgram build(SyscallTable table, Map<Sys, Integer> actions, int foreignAction) {
        List<Insn> p = new ArrayList<>();
        p.add(new Insn(BPF_LD_W_ABS, 0, 0, Seccomp.DATA_ARCH_OFFSET));
        p.add(new Insn(BPF_JEQ_K, 1, 0, table.auditArch()));
        p.add(new Insn(BPF_RET_K, 0, 0, foreignAction));
        p.add(new Insn(BPF_LD_W_ABS, 0, 0, Seccomp.DATA_NR_OFFSET));
        if (table == X86_64Table.INSTANCE) {
            p.add(new Insn(BPF_JGE_K, 0, 1, X32_SYSCALL_BIT));
            p.add(new Insn(BPF_RET_K, 0, 0, foreignAction));
        }
        TreeMap<Integer, Integer> byNumber = new TreeMap<>();
        for (Map.Entry<Sys, Integer> e : actions.entrySet()) {
            int nr = table.nr(e.getKey());
            if (nr != SyscallTable.ABSENT) byNumber.put(nr, e.getValue());
        }
        for (Map.Entry<Integer, Integer> e : byNumber.entrySet()) {
            p.add(new Insn(BPF_JEQ_K, 0, 1, e.getKey()));
            p.add(new Insn(BPF_RET_K, 0, 0, e.getValue()));
        }
        p.add(new Insn(BPF_RET_K, 0, 0, Seccomp.RET_ALLOW));
        return new FilterProgram(p);
    }

    /** The program as the exec stub reads it: per instruction code(4) jt(2) jf(2) k(8) hex digits. */
    public String toHex() {
        HexFormat hex = HexFormat.of();
        StringBuilder sb = new StringBuilder(instructions.size() * 16);
        for (Insn i : instructions) {
            sb.append(hex.toHexDigits((short) i.code())).append(hex.toHexDigits((byte) i.jt()))
              .append(hex.toHexDigits((byte) i.jf())).append(hex.toHexDigits(i.k()));
        }
        return sb.toString();
    }

    /**
     * Runs the program on one {@code seccomp_data} the way the kernel would; used by tests to check the program
     * without installing it.
     */
    public int evaluate(int arch, int nr) {
        int acc = 0;
        for (int pc = 0; pc < instructions.size(); pc++) {
            Insn i = instructions.get(pc);
            switch (i.code()) {
                case BPF_LD_W_ABS -> acc = i.k() == Seccomp.DATA_ARCH_OFFSET ? arch : i.k() == Seccomp.DATA_NR_OFFSET ? nr : 0;
                case BPF_JEQ_K -> pc += acc == i.k() ? i.jt() : i.jf();
                case BPF_JGE_K -> pc += Integer.compareUnsigned(acc, i.k()) >= 0 ? i.jt() : i.jf();
                case BPF_RET_K -> { return i.k(); }
                default -> throw new IllegalStateException("unexpected BPF code " + i.code());
            }
        }
        throw new IllegalStateException("BPF program fell off its end");
    }
}
