package dev.vigil.capture.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * socket.h and epoll bindings used on sockets duplicated from the workload with pidfd_getfd: peek at a
 * datagram without consuming it, read a socket's addresses and pending error, wait for a connect to finish.
 * An instance owns its errno slot and scratch buffers: one thread only.
 */
public final class Sockets {
    private static final MethodHandle RECVFROM = Native.link("recvfrom", FunctionDescriptor.of(JAVA_LONG,
            JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS), Native.CAPTURE_ERRNO);
    private static final MethodHandle GETSOCKNAME = Native.link("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), Native.CAPTURE_ERRNO);
    private static final MethodHandle GETPEERNAME = Native.link("getpeername",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), Native.CAPTURE_ERRNO);
    private static final MethodHandle GETSOCKOPT = Native.link("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), Native.CAPTURE_ERRNO);
    private static final MethodHandle EPOLL_CREATE1 = Native.link("epoll_create1",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), Native.CAPTURE_ERRNO);
    private static final MethodHandle EPOLL_CTL = Native.link("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), Native.CAPTURE_ERRNO);
    private static final MethodHandle EPOLL_WAIT = Native.link("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Native.CAPTURE_ERRNO);

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
        try {
            long r = (long) RECVFROM.invokeExact(callState, fd, buf, size, MSG_PEEK | MSG_DONTWAIT, addr, len);
            return r < 0 ? -Native.errno(callState) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public int sockName(int fd) {
        len.set(JAVA_INT, 0, (int) addr.byteSize());
        try {
            int r = (int) GETSOCKNAME.invokeExact(callState, fd, addr, len);
            return r < 0 ? -Native.errno(callState) : 0;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public int peerName(int fd) {
        len.set(JAVA_INT, 0, (int) addr.byteSize());
        try {
            int r = (int) GETPEERNAME.invokeExact(callState, fd, addr, len);
            return r < 0 ? -Native.errno(callState) : 0;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** An int socket option (SOL_SOCKET level), or -errno encoded as Integer.MIN_VALUE + errno on failure. */
    public int intOption(int fd, int option) {
        len.set(JAVA_INT, 0, 4);
        try {
            int r = (int) GETSOCKOPT.invokeExact(callState, fd, SOL_SOCKET, option, intOut, len);
            return r < 0 ? Integer.MIN_VALUE + Native.errno(callState) : intOut.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** TCP state of a socket from TCP_INFO (1 ESTABLISHED, 2 SYN_SENT, 7 CLOSE, ...): no side effects. */
    public int tcpState(int fd) {
        len.set(JAVA_INT, 0, 8);
        try {
            int r = (int) GETSOCKOPT.invokeExact(callState, fd, SOL_TCP, TCP_INFO, addr, len);
            return r < 0 ? -Native.errno(callState) : addr.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0) & 0xff;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public int epollCreate() {
        try {
            int r = (int) EPOLL_CREATE1.invokeExact(callState, EPOLL_CLOEXEC);
            if (r < 0) throw new LinuxException("epoll_create1", Native.errno(callState));
            return r;
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** epoll_ctl with a 64-bit cookie; {@code event} is a scratch segment of EPOLL_EVENT_SIZE bytes. */
    public int epollCtl(int epfd, int op, int fd, int events, long cookie, MemorySegment event) {
        event.set(JAVA_INT, 0, events);
        event.set(JAVA_LONG.withByteAlignment(4), EPOLL_EVENT_SIZE == 12 ? 4 : 8, cookie);
        try {
            int r = (int) EPOLL_CTL.invokeExact(callState, epfd, op, fd, event);
            return r < 0 ? -Native.errno(callState) : 0;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public int epollWait(int epfd, MemorySegment events, int max, int timeoutMs) {
        try {
            int r = (int) EPOLL_WAIT.invokeExact(callState, epfd, events, max, timeoutMs);
            return r < 0 ? -Native.errno(callState) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int eventMask(MemorySegment events, int i) {
        return events.get(JAVA_INT, (long) i * EPOLL_EVENT_SIZE);
    }

    public static long eventCookie(MemorySegment events, int i) {
        return events.get(JAVA_LONG.withByteAlignment(4), (long) i * EPOLL_EVENT_SIZE + (EPOLL_EVENT_SIZE == 12 ? 4 : 8));
    }
}
