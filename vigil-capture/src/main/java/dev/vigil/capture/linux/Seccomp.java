package dev.vigil.capture.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.ByteOrder;
import java.nio.LongBuffer;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * seccomp(2) and the user-notification listener ioctls. The notification and response buffers are owned by
 * the instance, which belongs to the supervisor thread.
 */
public final class Seccomp {
    public static final int SET_MODE_FILTER = 1, GET_ACTION_AVAIL = 2, GET_NOTIF_SIZES = 3;
    public static final int FILTER_FLAG_NEW_LISTENER = 1 << 3;
    public static final int RET_KILL_PROCESS = 0x80000000, RET_ERRNO = 0x00050000, RET_USER_NOTIF = 0x7fc00000,
            RET_TRACE = 0x7ff00000, RET_ALLOW = 0x7fff0000;
    public static final long IOCTL_NOTIF_RECV = 0xc0502100L, IOCTL_NOTIF_SEND = 0xc0182101L,
            IOCTL_NOTIF_ID_VALID = 0x40082102L, IOCTL_NOTIF_ADDFD = 0x40182103L, IOCTL_NOTIF_SET_FLAGS = 0x40082104L;
    public static final int USER_NOTIF_FLAG_CONTINUE = 1;
    public static final long USER_NOTIF_FD_SYNC_WAKE_UP = 1;

    /** {@code struct seccomp_data}: what the BPF filter sees. */
    public static final StructLayout SECCOMP_DATA = MemoryLayout.structLayout(
            JAVA_INT.withName("nr"), JAVA_INT.withName("arch"), JAVA_LONG.withName("instruction_pointer"),
            MemoryLayout.sequenceLayout(6, JAVA_LONG).withName("args"));
    /** {@code struct seccomp_notif}. */
    public static final StructLayout NOTIF = MemoryLayout.structLayout(
            JAVA_LONG.withName("id"), JAVA_INT.withName("pid"), JAVA_INT.withName("flags"),
            SECCOMP_DATA.withName("data"));
    /** {@code struct seccomp_notif_resp}. */
    public static final StructLayout NOTIF_RESP = MemoryLayout.structLayout(
            JAVA_LONG.withName("id"), JAVA_LONG.withName("val"), JAVA_INT.withName("error"),
            JAVA_INT.withName("flags"));
    /** Offsets into {@code struct seccomp_data} used by the BPF filter. */
    public static final int DATA_NR_OFFSET = 0, DATA_ARCH_OFFSET = 4, DATA_ARGS_OFFSET = 16;

    private final MemorySegment callState;
    private final MemorySegment notif;
    private final MemorySegment resp;
    private final MemorySegment id;
    /*
     * The notification and the response move between native memory and these arrays in one bulk copy each,
     * through LongBuffer views: field by field, each access is a var handle call, which the client compiler the
     * sensor runs with does not reduce to a load or a store, and MemorySegment.copy with an array checks the
     * array reflectively (a buffer's bulk get/put costs about half as much there).
     */
    private final long[] notifWords = new long[(int) (NOTIF.byteSize() / 8)];
    private final long[] respWords = new long[(int) (NOTIF_RESP.byteSize() / 8)];
    private final LongBuffer notifLongs;
    private final LongBuffer respLongs;
    private final LongBuffer idLong;

    public Seccomp(Arena owner) {
        this.callState = owner.allocate(Native.CALL_STATE_LAYOUT);
        this.notif = owner.allocate(NOTIF);
        this.resp = owner.allocate(NOTIF_RESP);
        this.id = owner.allocate(JAVA_LONG);
        this.notifLongs = notif.asByteBuffer().order(ByteOrder.nativeOrder()).asLongBuffer();
        this.respLongs = resp.asByteBuffer().order(ByteOrder.nativeOrder()).asLongBuffer();
        this.idLong = id.asByteBuffer().order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    private int ioctl(int fd, long request, long arg) {
        return (int) Native.syscall(callState, SyscallNr.IOCTL, fd, request, arg);
    }

    /** NOTIF_RECV into this instance's notification buffer (zeroed first, as the kernel requires); 0 or -errno. */
    public int receive(int listener) {
        notif.fill((byte) 0);
        int r = ioctl(listener, IOCTL_NOTIF_RECV, notif.address());
        if (r == 0) notifLongs.get(0, notifWords);
        return r;
    }

    // struct seccomp_notif in 64-bit words (little-endian): id | pid, flags | nr, arch | ip | args[6]
    public long notifId() { return notifWords[0]; }
    public int notifPid() { return (int) notifWords[1]; }
    public int notifNr() { return (int) notifWords[2]; }
    public int notifArch() { return (int) (notifWords[2] >>> 32); }
    public long notifArg(int i) { return notifWords[4 + i]; }

    /** NOTIF_ID_VALID: whether the notification is still pending (the task did not die meanwhile). */
    public boolean idValid(int listener, long notifId) {
        idLong.put(0, notifId);
        return ioctl(listener, IOCTL_NOTIF_ID_VALID, id.address()) == 0;
    }

    /** NOTIF_SEND: let the syscall run ({@code errno == 0}) or fail it with {@code -errno}; 0 or -errno. */
    public int respond(int listener, long notifId, int errno) {
        // struct seccomp_notif_resp in 64-bit words (little-endian): id | val | error, flags
        respWords[0] = notifId;
        respWords[1] = 0L;
        respWords[2] = errno == 0 ? (long) USER_NOTIF_FLAG_CONTINUE << 32 : -Math.abs(errno) & 0xffffffffL;
        respLongs.put(0, respWords);
        return ioctl(listener, IOCTL_NOTIF_SEND, resp.address());
    }

    /** NOTIF_SET_FLAGS(SYNC_WAKE_UP), kernel ≥ 6.6. The flag is passed by value despite the _IOW encoding. */
    public int setSyncWakeUp(int listener) {
        return ioctl(listener, IOCTL_NOTIF_SET_FLAGS, USER_NOTIF_FD_SYNC_WAKE_UP);
    }

    /** Kernel's sizes of seccomp_notif, seccomp_notif_resp and seccomp_data, to check our layouts at start. */
    public static int[] notifSizes(Libc libc, long seccompNr) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sizes = a.allocate(6);
            long r = libc.syscall(seccompNr, GET_NOTIF_SIZES, 0, sizes.address(), 0, 0, 0);
            if (r < 0) return null;
            return new int[] {sizes.get(JAVA_SHORT, 0), sizes.get(JAVA_SHORT, 2), sizes.get(JAVA_SHORT, 4)};
        }
    }

    /** Whether the kernel knows a seccomp return action (e.g. RET_USER_NOTIF, kernel ≥ 5.0). */
    public static boolean actionAvailable(Libc libc, long seccompNr, int action) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment act = a.allocate(JAVA_INT);
            act.set(JAVA_INT, 0, action);
            return libc.syscall(seccompNr, GET_ACTION_AVAIL, 0, act.address(), 0, 0, 0) == 0;
        }
    }
}
