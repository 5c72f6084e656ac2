package dev.vigil.capture.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * socket.h and epoll bindings used on sockets duplicated from the workload with pidfd_getfd: peek at a
 * datagram without consuming it, read a socket's addresses and pending error, wait for a connect to finish.
 * An instance owns its errno slot and scratch buffers: one thread only.
 */
public final class Sockets {
    public static final int SOL_TCP = 6, TCP_INFO = 11, TCP_ESTABLISHED = 1, TCP_SYN_SENT = 2, TCP_SYN_RECV = 3,
            TCP_CLOSE = 7;
    public static final int MSG_PEEK = 2, MSG_DONTWAIT = 0x40, MSG_TRUNC = 0x20;
    public static final int SOL_SOCKET = 1, SO_TYPE = 3, SO_ERROR = 4, SO_DOMAIN = 39, SO_PROTOCOL = 38;
    public static final int EPOLL_CLOEXEC = 0x80000, EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2;
    public static final int EPOLLIN = 1, EPOLLOUT = 4, EPOLLERR = 8, EPOLLHUP = 0x10, EPOLLONESHOT = 1 << 30;
    /** {@code struct epoll_event} is packed on x86_64 (12 bytes) and naturally aligned elsewhere (16). */
    public static final int EPOLL_EVENT_SIZE = System.getProperty("os.arch").equals("amd64") ? 12 : 16;

    private final MemorySegment callState;
    private final MemorySegment addr;
    private final MemorySegment len;
    private final MemorySegment intOut;

    public Sockets(Arena owner) {
        callState = owner.allocate(Native.CALL_STATE_LAYOUT);
        addr = owner.allocate(128, 8);
        len = owner.allocate(JAVA_INT);
        intOut = owner.allocate(JAVA_INT);
    }

    /** The address buffer filled by the last getsockname/getpeername/peek (valid for {@link #addrLen()} bytes). */
    public MemorySegment addr() { return addr; }
    public int addrLen() { return len.get(JAVA_INT, 0); }

    /** recvfrom(MSG_PEEK|MSG_DONTWAIT) into {@code buf}: what the next receive will return, left in place. */
    public long peek(int fd, MemorySegment buf, long size) {
        len.set(JAVA_INT, 0, (int) addr.byteSize());
        return Native.syscall(callState, SyscallNr.RECVFROM, fd, buf.address(), Math.min(size, buf.byteSize()),
                MSG_PEEK | MSG_DONTWAIT, addr.address(), len.address());
    }

    public int sockName(int fd) {
        len.set(JAVA_INT, 0, (int) addr.byteSize());
        return (int) Native.syscall(callState, SyscallNr.GETSOCKNAME, fd, addr.address(), len.address());
    }

    public int peerName(int fd) {
        len.set(JAVA_INT, 0, (int) addr.byteSize());
        return (int) Native.syscall(callState, SyscallNr.GETPEERNAME, fd, addr.address(), len.address());
    }

    /** An int socket option (SOL_SOCKET level), or -errno encoded as Integer.MIN_VALUE + errno on failure. */
    public int intOption(int fd, int option) {
        len.set(JAVA_INT, 0, 4);
        long r = Native.syscall(callState, SyscallNr.GETSOCKOPT, fd, SOL_SOCKET, option, intOut.address(), len.address(), 0);
        return r < 0 ? Integer.MIN_VALUE + (int) -r : intOut.get(JAVA_INT, 0);
    }

    /** TCP state of a socket from TCP_INFO (1 ESTABLISHED, 2 SYN_SENT, 7 CLOSE, ...): no side effects. */
    public int tcpState(int fd) {
        len.set(JAVA_INT, 0, 8);
        long r = Native.syscall(callState, SyscallNr.GETSOCKOPT, fd, SOL_TCP, TCP_INFO, addr.address(), len.address(), 0);
        return r < 0 ? (int) r : addr.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0) & 0xff;
    }

    public int epollCreate() {
        int r = (int) Native.syscall(callState, SyscallNr.EPOLL_CREATE1, EPOLL_CLOEXEC, 0, 0);
        if (r < 0) throw new LinuxException("epoll_create1", -r);
        return r;
    }

    /** epoll_ctl with a 64-bit cookie; {@code event} is a scratch segment of EPOLL_EVENT_SIZE bytes. */
    public int epollCtl(int epfd, int op, int fd, int events, long cookie, MemorySegment event) {
        event.set(JAVA_INT, 0, events);
        event.set(JAVA_LONG.withByteAlignment(4), EPOLL_EVENT_SIZE == 12 ? 4 : 8, cookie);
        return (int) Native.syscall(callState, SyscallNr.EPOLL_CTL, epfd, op, fd, event.address(), 0, 0);
    }

    public int epollWait(int epfd, MemorySegment events, int max, int timeoutMs) {
        return (int) Native.syscall(callState, SyscallNr.EPOLL_PWAIT, epfd, events.address(), max, timeoutMs, 0,
                SyscallNr.SIGSET_SIZE);
    }

    public static int eventMask(MemorySegment events, int i) {
        return events.get(JAVA_INT, (long) i * EPOLL_EVENT_SIZE);
    }

    public static long eventCookie(MemorySegment events, int i) {
        return events.get(JAVA_LONG.withByteAlignment(4), (long) i * EPOLL_EVENT_SIZE + (EPOLL_EVENT_SIZE == 12 ? 4 : 8));
    }
}
