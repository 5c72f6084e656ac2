package dev.vigil.capture.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Reads a stopped task's memory with process_vm_readv(2). Strings are read in page-bounded chunks, because a
 * string may end just before an unmapped page; what cannot be read is reported, never thrown. One instance per
 * thread (it owns its scratch buffers).
 */
public final class ProcessMemory {
    private static final MethodHandle READV = Native.link("process_vm_readv", FunctionDescriptor.of(JAVA_LONG,
            JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG), Native.CAPTURE_ERRNO);
    private static final int PAGE = 4096;
    /** Marker appended to a string or argv element that could not be read completely. */
    public static final String UNREADABLE = "<unreadable>";

    private final MemorySegment callState;
    /** The local iovec (bytes 0-15), then up to two remote ones, written with one bulk copy of {@link #iovecs}. */
    private final MemorySegment iov;
    private final MemorySegment local;
    private final MemorySegment remote;
    private final long[] iovecs = new long[6];
    private final MemorySegment buf;
    private final byte[] bytes;
    private final long[] ptrs;

    /** @param maxRead the largest single read (bounds a string and the argv pointer array) */
    public ProcessMemory(Arena owner, int maxRead) {
        this.callState = owner.allocate(Native.CALL_STATE_LAYOUT);
        this.iov = owner.allocate(48, 8);
        this.local = iov.asSlice(0, 16);
        this.remote = iov.asSlice(16, 32);
        this.buf = owner.allocate(maxRead, 8);
        this.bytes = new byte[maxRead];
        this.ptrs = new long[maxRead / 8];
    }

    /** Reads up to {@code len} bytes at {@code addr} into the scratch buffer; returns bytes read or -errno. */
    public long read(int tid, long addr, long len) {
        long n = Math.min(len, buf.byteSize());
        iovecs[0] = buf.address();
        iovecs[1] = n;
        iovecs[2] = addr;
        iovecs[3] = n;
        return readv(tid, 1);
    }

    /**
     * Reads {@code lenA} bytes at {@code a} and then {@code lenB} bytes at {@code b} into the scratch buffer
     * (at 0 and at {@code lenA}) with one syscall; returns the bytes read (short when either range is not all
     * readable: the caller then reads them one by one to know which) or -errno.
     */
    public long read2(int tid, long a, int lenA, long b, int lenB) {
        if (lenA < 0 || lenB < 0 || (long) lenA + lenB > buf.byteSize()) return -Errnos.EINVAL;
        iovecs[0] = buf.address();
        iovecs[1] = lenA + lenB;
        iovecs[2] = a;
        iovecs[3] = lenA;
        iovecs[4] = b;
        iovecs[5] = lenB;
        return readv(tid, 2);
    }

    /** process_vm_readv of the iovecs in {@link #iovecs}: the local one, then {@code remoteCount} remote ones. */
    private long readv(int tid, long remoteCount) {
        MemorySegment.copy(iovecs, 0, iov, JAVA_LONG, 0, 2 + 2 * (int) remoteCount);
        try {
            long r = (long) READV.invokeExact(callState, tid, local, 1L, remote, remoteCount, 0L);
            return r < 0 ? -Native.errno(callState) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** The scratch buffer holding the last {@link #read}. */
    public MemorySegment buffer() {
        return buf;
    }

    /** A 64-bit word at {@code addr}, or {@code fallback} when unreadable. */
    public long readLong(int tid, long addr, long fallback) {
        return read(tid, addr, 8) == 8 ? buf.get(JAVA_LONG, 0) : fallback;
    }

    /**
     * A NUL-terminated string at {@code addr} of at most {@code max} bytes. Returns null for a NULL pointer;
     * a string that could not be read to its end gets {@link #UNREADABLE} appended; one longer than {@code max}
     * ends with "...".
     */
    public String readString(int tid, long addr, int max) {
        if (addr == 0) return null;
        max = Math.min(max, bytes.length);
        int got = 0;
        while (got < max) {
            long at = addr + got;
            int room = (int) Math.min(PAGE - (at & (PAGE - 1)), max - got);
            long n = read(tid, at, room);
            if (n <= 0) return new String(bytes, 0, got, StandardCharsets.UTF_8) + UNREADABLE;
            MemorySegment.copy(buf, JAVA_BYTE, 0, bytes, got, (int) n);
            for (int i = got, end = got + (int) n; i < end; i++) {
                if (bytes[i] == 0) return new String(bytes, 0, i, StandardCharsets.UTF_8);
            }
            got += (int) n;
        }
        return new String(bytes, 0, got, StandardCharsets.UTF_8) + "...";
    }

    /**
     * A NULL-terminated array of string pointers (argv) at {@code addr}: at most {@code maxArgs} elements and
     * {@code maxBytes} in all. {@code truncated[0]} is set when either bound was hit or memory was unreadable.
     */
    public List<String> readStringArray(int tid, long addr, int maxArgs, int maxBytes, boolean[] truncated) {
        List<String> out = new ArrayList<>();
        if (addr == 0) return out;
        long[] ptrs = this.ptrs;
        int limit = Math.min(maxArgs, ptrs.length);
        int n = 0;
        boolean end = false;
        while (n < limit && !end) {
            long at = addr + 8L * n;
            int room = (int) Math.min((PAGE - (at & (PAGE - 1))) / 8, limit - n);
            if (room == 0) room = 1;
            long r = read(tid, at, 8L * room);
            if (r < 8) { truncated[0] = true; out.add(UNREADABLE); break; }
            for (int i = 0; i < r / 8; i++) {
                long p = buf.get(JAVA_LONG, 8L * i);
                if (p == 0) { end = true; break; }
                ptrs[n++] = p;
            }
        }
        if (!end && n == limit) truncated[0] = true;
        int total = 0;
        for (int i = 0; i < n; i++) {
            if (total >= maxBytes) { truncated[0] = true; break; }
            String s = readString(tid, ptrs[i], Math.min(maxBytes - total, bytes.length));
            if (s == null) break;
            if (s.endsWith(UNREADABLE) || (s.endsWith("...") && total + s.length() >= maxBytes)) truncated[0] = true;
            total += s.length() + 1;
            out.add(s);
        }
        return out;
    }
}
