package dev.vigil.capture.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/** Linking helpers shared by the binding classes: the native linker, libc lookup and errno capture. */
public final class Native {
    static final Linker LINKER = Linker.nativeLinker();
    static final SymbolLookup LIBC = LINKER.defaultLookup();
    /** Layout of the captured call state (errno). */
    public static final StructLayout CALL_STATE_LAYOUT = Linker.Option.captureStateLayout();
    static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    /** C {@code long}/pointer-sized value. */
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final VarHandle ERRNO = CALL_STATE_LAYOUT.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

    private Native() {}

    static MethodHandle link(String name, FunctionDescriptor desc, Linker.Option... options) {
        MemorySegment addr = LIBC.find(name).orElseThrow(
                () -> new UnsupportedOperationException("libc has no symbol " + name + " (glibc 2.31+ needed)"));
        return LINKER.downcallHandle(addr, desc, options);
    }

    /**
     * {@code long syscall(long nr, ...)}: the one downcall shape the bindings' syscalls share. Each distinct
     * shape costs the JVM a generated stub and a dozen method-handle classes at every start (none of them goes
     * into the AOT cache): through this one, a run's start links 4 shapes instead of 16, ~40 ms less.
     */
    private static final MethodHandle SYSCALL = link("syscall", FunctionDescriptor.of(LONG,
            LONG, LONG, LONG, LONG, LONG, LONG, LONG), CAPTURE_ERRNO, Linker.Option.firstVariadicArg(1));

    /** A raw syscall; returns its result or -errno. Pointers go as addresses, ints sign-extended. */
    static long syscall(MemorySegment callState, long nr, long a0, long a1, long a2, long a3, long a4, long a5) {
        try {
            long r = (long) SYSCALL.invokeExact(callState, nr, a0, a1, a2, a3, a4, a5);
            return r == -1 ? -errno(callState) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long syscall(MemorySegment callState, long nr, long a0, long a1, long a2) {
        return syscall(callState, nr, a0, a1, a2, 0, 0, 0);
    }

    static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }
}
