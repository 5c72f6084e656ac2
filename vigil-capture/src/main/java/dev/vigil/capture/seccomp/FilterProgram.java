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
        return build(table, actions, Map.of(), foreignAction);
    }

    /**
     * As {@link #build(SyscallTable, Map, int)}, and for each syscall in {@code onlyIfArgSet} the action applies
     * only when that argument (by index) is not zero, else the call is allowed in the kernel: e.g. a resolver's
     * recvfrom passes a source-address buffer, a TCP server's does not. Only those syscalls lose the kernel's
     * action cache.
     */
    public static FilterProgram build(SyscallTable table, Map<Sys, Integer> actions, Map<Sys, Integer> onlyIfArgSet,
                                      int foreignAction) {
        List<Insn> p = new ArrayList<>();
        p.add(new Insn(BPF_LD_W_ABS, 0, 0, Seccomp.DATA_ARCH_OFFSET));
        p.add(new Insn(BPF_JEQ_K, 1, 0, table.auditArch()));
        p.add(new Insn(BPF_RET_K, 0, 0, foreignAction));
        p.add(new Insn(BPF_LD_W_ABS, 0, 0, Seccomp.DATA_NR_OFFSET));
        if (table == X86_64Table.INSTANCE) {
            p.add(new Insn(BPF_JGE_K, 0, 1, X32_SYSCALL_BIT));
            p.add(new Insn(BPF_RET_K, 0, 0, foreignAction));
        }
        TreeMap<Integer, Sys> byNumber = new TreeMap<>();
        for (Sys s : actions.keySet()) {
            int nr = table.nr(s);
            if (nr != SyscallTable.ABSENT) byNumber.put(nr, s);
        }
        for (Map.Entry<Integer, Sys> e : byNumber.entrySet()) {
            int action = actions.get(e.getValue());
            Integer arg = onlyIfArgSet.get(e.getValue());
            if (arg == null) {
                p.add(new Insn(BPF_JEQ_K, 0, 1, e.getKey()));
                p.add(new Insn(BPF_RET_K, 0, 0, action));
            } else {
                int low = Seccomp.DATA_ARGS_OFFSET + 8 * arg; // little-endian: low word first
                p.add(new Insn(BPF_JEQ_K, 0, 6, e.getKey()));
                p.add(new Insn(BPF_LD_W_ABS, 0, 0, low));
                p.add(new Insn(BPF_JEQ_K, 0, 2, 0));
                p.add(new Insn(BPF_LD_W_ABS, 0, 0, low + 4));
                p.add(new Insn(BPF_JEQ_K, 1, 0, 0));
                p.add(new Insn(BPF_RET_K, 0, 0, action));
                p.add(new Insn(BPF_RET_K, 0, 0, Seccomp.RET_ALLOW));
            }
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
    public int evaluate(int arch, int nr, long... args) {
        int acc = 0;
        for (int pc = 0; pc < instructions.size(); pc++) {
            Insn i = instructions.get(pc);
            switch (i.code()) {
                case BPF_LD_W_ABS -> {
                    int k = i.k();
                    if (k == Seccomp.DATA_ARCH_OFFSET) acc = arch;
                    else if (k == Seccomp.DATA_NR_OFFSET) acc = nr;
                    else {
                        int a = (k - Seccomp.DATA_ARGS_OFFSET) / 8;
                        long v = a < args.length ? args[a] : 0;
                        acc = (k - Seccomp.DATA_ARGS_OFFSET) % 8 == 0 ? (int) v : (int) (v >>> 32);
                    }
                }
                case BPF_JEQ_K -> pc += acc == i.k() ? i.jt() : i.jf();
                case BPF_JGE_K -> pc += Integer.compareUnsigned(acc, i.k()) >= 0 ? i.jt() : i.jf();
                case BPF_RET_K -> { return i.k(); }
                default -> throw new IllegalStateException("unexpected BPF code " + i.code());
            }
        }
        throw new IllegalStateException("BPF program fell off its end");
    }
}
