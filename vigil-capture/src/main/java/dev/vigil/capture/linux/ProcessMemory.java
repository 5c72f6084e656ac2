package dev.vigil.capture.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Reads a stopped task's memory with process_vm_readv(2). Strings are read in page-bounded chunks, because a
 * string may end just before an unmapped page; what cannot be read is reported, never thrown. One instance per
 * thread (it owns its scratch buffers).
 */
public final class ProcessMemory {
    private static final int PAGE = 4096;
    /** argv strings read per process_vm_readv (one remote iovec each), and the bytes read of each in that pass. */
    private static final int BATCH = 16, CHUNK = 256;
    /** Marker appended to a string or argv element that could not be read completely. */
    public static final String UNREADABLE = "<unreadable>";

    private final MemorySegment callState;
    /** The local iovec (bytes 0-15), then up to {@link #BATCH} remote ones, written with one bulk copy of {@link #iovecs}. */
    private final MemorySegment iov;
    private final MemorySegment local;
    private final MemorySegment remote;
    private final long[] iovecs = new long[2 + 2 * BATCH];
    private final MemorySegment buf;
    /** Views of {@link #iov} and {@link #buf}: their bulk get/put copy at about half the cost of MemorySegment.copy
     * with an array under the client compiler (no reflective array checks). */
    private final LongBuffer iovLongs;
    private final ByteBuffer bufBytes;
    private final LongBuffer bufLongs;
    private final byte[] bytes;
    private final long[] ptrs;
    private final byte[] batch = new byte[BATCH * CHUNK];
    private final int[] chunkLen = new int[BATCH];
    /** Set by {@link #pointers}: the array's NULL terminator was reached. */
    private boolean pointersEnded;

    /** @param maxRead the largest single read (bounds a string and the argv pointer array) */
    public ProcessMemory(Arena owner, int maxRead) {
        this.callState = owner.allocate(Native.CALL_STATE_LAYOUT);
        this.iov = owner.allocate(16 + 16L * BATCH, 8);
        this.local = iov.asSlice(0, 16);
        this.remote = iov.asSlice(16, 16L * BATCH);
        this.buf = owner.allocate(maxRead, 8);
        this.iovLongs = iov.asByteBuffer().order(ByteOrder.nativeOrder()).asLongBuffer();
        this.bufBytes = buf.asByteBuffer();
        this.bufLongs = buf.asByteBuffer().order(ByteOrder.nativeOrder()).asLongBuffer();
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
        iovLongs.put(0, iovecs, 0, 2 + 2 * (int) remoteCount);
        return Native.syscall(callState, SyscallNr.PROCESS_VM_READV, tid, local.address(), 1, remote.address(),
                remoteCount, 0);
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
            bufBytes.get(0, bytes, got, (int) n);
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
        int n = pointers(tid, addr, 0, Math.min(maxArgs, ptrs.length), truncated, out);
        strings(tid, n, maxBytes, truncated, out);
        return out;
    }

    /**
     * An exec attempt's path ({@link #readString} rules, at most {@code maxPath} bytes) and its argv
     * ({@link #readStringArray} rules, added to {@code argv}). The usual exec costs two syscalls: the first page of
     * pointers and the path in one, the strings in batches of {@link #BATCH}; whatever those cannot settle (a string
     * longer than {@link #CHUNK} bytes, an unreadable range) is read piece by piece as above.
     */
    public String readExec(int tid, long pathAddr, int maxPath, long argvAddr, int maxArgs, int maxBytes,
                           List<String> argv, boolean[] truncated) {
        int limit = Math.min(maxArgs, ptrs.length);
        if (pathAddr == 0 || argvAddr == 0 || limit == 0) {
            String path = readString(tid, pathAddr, maxPath);
            argv.addAll(readStringArray(tid, argvAddr, maxArgs, maxBytes, truncated));
            return path;
        }
        int lenA = (int) Math.min(PAGE - (pathAddr & (PAGE - 1)), Math.min(maxPath, bytes.length));
        int slots = (int) Math.min((PAGE - (argvAddr & (PAGE - 1))) / 8, limit);
        String path;
        int n = 0;
        pointersEnded = false;
        // the pointers first, so that they stay 8-byte aligned in the buffer
        if (slots > 0 && read2(tid, argvAddr, 8 * slots, pathAddr, lenA) == lenA + 8L * slots) {
            bufBytes.get(8 * slots, bytes, 0, lenA);
            int nul = indexOfNul(bytes, 0, lenA);
            for (int i = 0; i < slots; i++) {
                long p = bufLongs.get(i);
                if (p == 0) {
                    pointersEnded = true;
                    break;
                }
                ptrs[n++] = p;
            }
            // the path's first page holds no NUL: it goes on past it (or is longer than maxPath)
            path = nul >= 0 ? new String(bytes, 0, nul, StandardCharsets.UTF_8) : readString(tid, pathAddr, maxPath);
        } else {
            path = readString(tid, pathAddr, maxPath);
        }
        if (!pointersEnded) n = pointers(tid, argvAddr, n, limit, truncated, argv);
        strings(tid, n, maxBytes, truncated, argv);
        return path;
    }

    /**
     * Collects string pointers into {@link #ptrs} from element {@code n} of the array at {@code addr} up to
     * {@code limit}, a page per read; returns the count. An unreadable array adds {@link #UNREADABLE} to {@code out}.
     */
    private int pointers(int tid, long addr, int n, int limit, boolean[] truncated, List<String> out) {
        long[] ptrs = this.ptrs;
        boolean end = false;
        while (n < limit && !end) {
            long at = addr + 8L * n;
            int room = (int) Math.min((PAGE - (at & (PAGE - 1))) / 8, limit - n);
            if (room == 0) room = 1;
            long r = read(tid, at, 8L * room);
            if (r < 8) { truncated[0] = true; out.add(UNREADABLE); break; }
            for (int i = 0; i < r / 8; i++) {
                long p = bufLongs.get(i);
                if (p == 0) { end = true; break; }
                ptrs[n++] = p;
            }
        }
        if (!end && n == limit) truncated[0] = true;
        return n;
    }

    /**
     * The strings at the first {@code n} {@link #ptrs}, at most {@code maxBytes} in all: up to {@link #BATCH} per
     * read, {@link #CHUNK} bytes of each (never past its page); a string not ended within its chunk, or beyond the
     * budget, is read alone with {@link #readString}.
     */
    private void strings(int tid, int n, int maxBytes, boolean[] truncated, List<String> out) {
        int total = 0;
        for (int i = 0; i < n; ) {
            int k = Math.min(BATCH, n - i);
            long want = 0;
            for (int j = 0; j < k; j++) {
                long p = ptrs[i + j];
                int len = (int) Math.min(PAGE - (p & (PAGE - 1)), CHUNK);
                chunkLen[j] = len;
                iovecs[2 + 2 * j] = p;
                iovecs[3 + 2 * j] = len;
                want += len;
            }
            iovecs[0] = buf.address();
            iovecs[1] = want;
            // a short read stops at the first remote iovec that failed: the chunks before it are whole
            long got = readv(tid, k);
            if (got > 0) bufBytes.get(0, batch, 0, (int) got);
            int at = 0;
            for (int j = 0; j < k; j++, i++) {
                if (total >= maxBytes) { truncated[0] = true; return; }
                int nul = at + chunkLen[j] <= got ? indexOfNul(batch, at, at + chunkLen[j]) : -1;
                String s;
                if (nul >= 0 && nul - at < maxBytes - total) {
                    s = new String(batch, at, nul - at, StandardCharsets.UTF_8);
                } else {
                    s = readString(tid, ptrs[i], Math.min(maxBytes - total, bytes.length));
                    if (s.endsWith(UNREADABLE) || (s.endsWith("...") && total + s.length() >= maxBytes)) truncated[0] = true;
                }
                at += chunkLen[j];
                total += s.length() + 1;
                out.add(s);
            }
        }
    }

    private static int indexOfNul(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] == 0) return i;
        return -1;
    }
}
