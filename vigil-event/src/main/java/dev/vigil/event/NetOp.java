package dev.vigil.event;

import java.util.List;

/**
 * A socket operation. Seen at syscall entry (while it can still be blocked), so {@code res} is usually unknown;
 * a connect's outcome follows as a second event with op CONNECT_RESULT and evt_type "connect_result" once the
 * kernel has it (established, refused, timed out), so Falco's connect rules see one connect each.
 *
 * @param syscall     socket, connect, accept, accept4, bind, listen, sendto, sendmsg, ...
 * @param fd          the socket fd (for socket/accept: the fd returned, when observed; else -1)
 * @param family      "inet", "inet6", "unix", ...
 * @param sock        the socket's type ("stream", "dgram", "raw", "seqpacket", or "unknown(N)") and protocol
 *                    ("tcp", "udp", "icmp", or "" when the kernel chooses), possibly read on first use
 * @param local       local address when known, else null
 * @param remote      remote address when known, else null
 * @param remoteNames domain names the remote IP was resolved from earlier in this workload (Falco
 *                    {@code fd.sip.name}); empty when none
 * @param res         result when observed (0, -EINPROGRESS, -ECONNREFUSED, ...), else RES_UNKNOWN
 */
public record NetOp(EventHeader header, ProcessInfo process, String syscall, Op op, int fd, String family,
                    SockKind sock, SockAddr local, SockAddr remote, List<String> remoteNames,
                    long res) implements Event {
    /** Socket operation kinds. */
    public enum Op {
        SOCKET, CONNECT, CONNECT_RESULT, ACCEPT, BIND, LISTEN, SEND;

        /** The event kind, "net." and the name in lower case: made once, read for every event. */
        private final String kind = "net." + name().toLowerCase(java.util.Locale.ROOT);

        public String kind() {
            return kind;
        }
    }

    public NetOp {
        remoteNames = remoteNames == null ? List.of() : List.copyOf(remoteNames);
    }

    /** With the socket's type and protocol known. */
    public NetOp(EventHeader header, ProcessInfo process, String syscall, Op op, int fd, String family,
                 String sockType, String protocol, SockAddr local, SockAddr remote, List<String> remoteNames,
                 long res) {
        this(header, process, syscall, op, fd, family, SockKind.of(sockType, protocol), local, remote, remoteNames, res);
    }

    /** "stream", "dgram", "raw", "seqpacket", or "unknown(N)". */
    public String sockType() {
        return sock.type();
    }

    /** "tcp", "udp", "icmp", or "" when the kernel chooses. */
    public String protocol() {
        return sock.protocol();
    }
    @Override public String kind() { return op.kind(); }
    @Override public String evtType() { return op == Op.CONNECT_RESULT ? "connect_result" : syscall; }
}
