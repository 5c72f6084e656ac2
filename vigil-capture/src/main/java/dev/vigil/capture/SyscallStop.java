package dev.vigil.capture;

import dev.vigil.capture.linux.ProcessMemory;
import dev.vigil.capture.syscall.Sys;

import java.util.List;

/**
 * A watched syscall at entry: a mutable view reused by its capture thread for every stop, so it must not be
 * kept past {@link SyscallHandler#onSyscall}. Memory reads go to the stopped task.
 */
public final class SyscallStop {
    private final ProcessMemory memory;
    private final long[] args = new long[6];
    private int tid;
    private Sys sys;
    private long nr;
    private CaptureMode via;

    public SyscallStop(ProcessMemory memory) {
        this.memory = memory;
    }

    /** Refills the view; called by the capture thread. */
    public void set(int tid, Sys sys, long nr, CaptureMode via, long a0, long a1, long a2, long a3, long a4, long a5) {
        this.tid = tid;
        this.sys = sys;
        this.nr = nr;
        this.via = via;
        args[0] = a0; args[1] = a1; args[2] = a2; args[3] = a3; args[4] = a4; args[5] = a5;
    }

    /** The calling thread's id (in Vigil's pid namespace). */
    public int tid() { return tid; }
    public Sys sys() { return sys; }
    public long nr() { return nr; }
    public CaptureMode via() { return via; }
    public long arg(int i) { return args[i]; }

    /** A NUL-terminated string from the caller's memory; see {@link ProcessMemory#readString}. */
    public String readString(long addr, int max) {
        return memory.readString(tid, addr, max);
    }

    /** A NULL-terminated string array (argv) from the caller's memory. */
    public List<String> readStringArray(long addr, int maxArgs, int maxBytes, boolean[] truncated) {
        return memory.readStringArray(tid, addr, maxArgs, maxBytes, truncated);
    }

    /** Raw access for decoders (sockaddr, DNS payloads, ...). */
    public ProcessMemory memory() {
        return memory;
    }
}
