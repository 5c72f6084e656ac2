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
    private static final VarHandle ERRNO = CALL_STATE_LAYOUT.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

    private Native() {}

    static MethodHandle link(String name, FunctionDescriptor desc, Linker.Option... options) {
        MemorySegment addr = LIBC.find(name).orElseThrow(
                () -> new UnsupportedOperationException("libc has no symbol " + name + " (glibc 2.31+ needed)"));
        return LINKER.downcallHandle(addr, desc, options);
    }

    static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    /** C {@code long}/pointer-sized value. */
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
}
