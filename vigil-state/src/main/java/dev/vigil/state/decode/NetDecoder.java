package dev.vigil.state.decode;

import dev.vigil.capture.SyscallStop;
import dev.vigil.capture.linux.Libc;
import dev.vigil.capture.linux.Sockets;
import dev.vigil.capture.syscall.Sys;
import dev.vigil.capture.syscall.SyscallTable;
import dev.vigil.event.DnsMessage;
import dev.vigil.event.Event;
import dev.vigil.event.NetOp;
import dev.vigil.event.NetOp.Op;
import dev.vigil.event.ProcessInfo;
import dev.vigil.event.SockAddr;
import dev.vigil.event.SockKind;
import dev.vigil.state.DnsCache;
import dev.vigil.state.EventEmitter;
import dev.vigil.state.net.DnsParser;
import dev.vigil.state.net.SockAddrDecoder;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Sockets and DNS. Addresses come from the caller's memory; what the arguments do not say (a socket's type, its
 * local address, a connected socket's peer) comes from a copy of the caller's fd taken with pidfd_getfd, used
 * only for side-effect-free queries and closed at once (or, for a connect, when its outcome is known).
 *
 * <p>DNS: queries are parsed from sendto/sendmsg/sendmmsg payloads (UDP, or TCP with its length prefix) sent to
 * port 53 or that parse as DNS; answers from a resolver's recvfrom, which the filter hands over only when the
 * call passes a source-address buffer (a resolver does, a TCP server does not), by peeking at the datagram the
 * call is about to return, without consuming it.
 */
final class NetDecoder {
    private static final int PAYLOAD_HEAD = 512, DATAGRAM_MAX = 4096, MAX_MMSG = 8, PIDFD_CACHE = 64;
    private static final int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;

    private final EventEmitter emitter;
    private final DnsCache dns;
    private final ConnectWatcher connects;
    private final long pidfdOpenNr, pidfdGetfdNr;
    final AtomicLong dnsAnswersMissed = new AtomicLong();
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    /** Per capture thread buffers and bindings. */
    private static final class Scratch {
        final Arena arena = Arena.ofAuto();
        final Libc libc = new Libc(arena);
        final Sockets sockets = new Sockets(arena);
        final MemorySegment datagram = arena.allocate(DATAGRAM_MAX);
        final byte[] bytes = new byte[DATAGRAM_MAX];
        /**
         * pidfds of the processes whose sockets were looked at lately (most recently used last), so that a copy
         * of an fd costs one pidfd_getfd instead of pidfd_open, pidfd_getfd and close. A pidfd names one process:
         * once it is gone, pidfd_getfd fails with ESRCH and the pid is opened again.
         */
        final java.util.LinkedHashMap<Integer, Integer> pidfds = new java.util.LinkedHashMap<>(64, 0.75f, true) {
            @Override protected boolean removeEldestEntry(java.util.Map.Entry<Integer, Integer> eldest) {
                if (size() <= PIDFD_CACHE) return false;
                libc.close(eldest.getValue());
                return true;
            }
        };
        /** The events emitted while decoding the current syscall (a send can carry a datagram and a DNS query). */
        final java.util.ArrayList<Event> emitted = new java.util.ArrayList<>(2);
    }

    private <E extends Event> E emit(java.util.function.Function<dev.vigil.event.EventHeader, E> make) {
        E e = emitter.emit(make);
        scratch.get().emitted.add(e);
        return e;
    }

    /**
     * Decodes a syscall at entry, emitting its events; returns them (a list reused by this thread, valid until
     * its next call) so that they can be judged.
     */
    List<Event> decodeAll(SyscallStop s, ProcessInfo p) {
        List<Event> out = scratch.get().emitted;
        out.clear();
        decode(s, p);
        return out;
    }

    NetDecoder(EventEmitter emitter, DnsCache dns, ConnectWatcher connects, SyscallTable table) {
        this.emitter = emitter;
        this.dns = dns;
        this.connects = connects;
        this.pidfdOpenNr = table.nr(Sys.PIDFD_OPEN);
        this.pidfdGetfdNr = table.nr(Sys.PIDFD_GETFD);
    }

    static boolean handles(Sys sys) {
        return switch (sys) {
            case SOCKET, CONNECT, BIND, LISTEN, ACCEPT, ACCEPT4, SENDTO, SENDMSG, SENDMMSG, RECVFROM -> true;
            default -> false;
        };
    }

    /** The socket facts a copy of the caller's fd tells. */
    private record SockInfo(String family, String type, String protocol, SockAddr local, SockAddr peer) {}

    private SockInfo info(Scratch sc, int dup) {
        return info(sc, dup, true, -1);
    }

    /**
     * Type and protocol of a socket copy, and with {@code addresses} its local and peer addresses; a
     * {@code knownDomain} (AF_*, not -1) spares asking the socket for it.
     */
    private SockInfo info(Scratch sc, int dup, boolean addresses, int knownDomain) {
        Sockets so = sc.sockets;
        int domain = knownDomain >= 0 ? knownDomain : so.intOption(dup, Sockets.SO_DOMAIN),
                type = so.intOption(dup, Sockets.SO_TYPE), proto = so.intOption(dup, Sockets.SO_PROTOCOL);
        SockAddr local = addresses && so.sockName(dup) == 0 ? SockAddrDecoder.decode(so.addr(), 0, so.addrLen()) : null;
        SockAddr peer = addresses && so.peerName(dup) == 0 ? SockAddrDecoder.decode(so.addr(), 0, so.addrLen()) : null;
        return new SockInfo(domain < 0 ? "unknown" : SockAddrDecoder.family(domain),
                type < 0 ? "unknown" : SockAddrDecoder.sockType(type),
                domain < 0 || type < 0 ? "" : SockAddrDecoder.protocol(domain, type, proto < 0 ? 0 : proto), local, peer);
    }

    /**
     * What a copy of the caller's socket {@code fd} tells ({@link #info}), the copy closed again; unknown when the
     * socket cannot be copied.
     */
    private SockInfo infoOf(Scratch sc, int pid, int fd, boolean addresses, int knownDomain) {
        int dup = takeFd(sc, pid, fd);
        if (dup < 0) return unknown();
        try {
            return info(sc, dup, addresses, knownDomain);
        } finally {
            sc.libc.close(dup);
        }
    }

    /**
     * A copy of the caller's fd (pidfd_getfd, kernel ≥ 5.6; allowed to us as its tracer), or -errno; close it.
     * pidfd_open takes the process (thread-group leader), not the calling thread.
     */
    private int takeFd(Scratch sc, int pid, int fd) {
        Integer cached = sc.pidfds.get(pid);
        if (cached != null) {
            long ours = sc.libc.syscall(pidfdGetfdNr, cached, fd, 0, 0, 0, 0);
            if (ours != -dev.vigil.capture.linux.Errnos.ESRCH) return (int) ours;
            sc.pidfds.remove(pid); // that process is gone and its pid was reused: open the new one's
            sc.libc.close(cached);
        }
        long pidfd = sc.libc.syscall(pidfdOpenNr, pid, 0, 0, 0, 0, 0);
        if (pidfd < 0) return (int) pidfd;
        sc.pidfds.put(pid, (int) pidfd);
        return (int) sc.libc.syscall(pidfdGetfdNr, pidfd, fd, 0, 0, 0, 0);
    }

    private static SockInfo unknown() {
        return new SockInfo("unknown", "unknown", "", null, null);
    }

    /** Reads a sockaddr of {@code len} bytes from the caller; null for a NULL pointer. */
    private static SockAddr addr(SyscallStop s, long ptr, long len) {
        if (ptr == 0 || len <= 0) return null;
        int n = (int) Math.min(len, 128);
        long got = s.memory().read(s.tid(), ptr, n);
        if (got <= 0) return new SockAddr("unknown", "<unreadable>", 0);
        return SockAddrDecoder.decode(s.memory().buffer(), 0, (int) got);
    }

    private void decode(SyscallStop s, ProcessInfo p) {
        Scratch sc = scratch.get();
        int fd = (int) s.arg(0);
        String syscall = s.sys().kernelName();
        switch (s.sys()) {
            case SOCKET -> {
                int domain = (int) s.arg(0), type = (int) s.arg(1), proto = (int) s.arg(2);
                emit(h -> new NetOp(h, p, syscall, Op.SOCKET, -1, SockAddrDecoder.family(domain),
                        SockAddrDecoder.sockType(type), SockAddrDecoder.protocol(domain, type, proto), null, null,
                        List.of(), Event.RES_UNKNOWN));
            }
            case CONNECT -> connectNow(s, p);
            case BIND, LISTEN -> {
                SockAddr given = s.sys() == Sys.BIND ? addr(s, s.arg(1), s.arg(2)) : null;
                SockInfo i = infoOf(sc, p.pid(), fd, true, -1);
                SockAddr local = given != null ? given : i.local();
                String family = given != null ? given.family() : i.family();
                emit(h -> new NetOp(h, p, syscall, s.sys() == Sys.BIND ? Op.BIND : Op.LISTEN, fd, family,
                        i.type(), i.protocol(), local, null, List.of(), Event.RES_UNKNOWN));
            }
            case SENDTO -> {
                long buf = s.arg(1), len = s.arg(2), to = s.arg(4), toLen = s.arg(5);
                int addrLen = (int) Math.min(toLen, 128), payloadLen = (int) Math.min(len, PAYLOAD_HEAD);
                // The usual datagram: destination and payload in one process_vm_readv; anything short of both
                // (unreadable, no destination) takes the path that reads them one by one.
                if (to != 0 && toLen > 0 && buf != 0 && len >= 12
                        && s.memory().read2(s.tid(), to, addrLen, buf, payloadLen) == addrLen + payloadLen) {
                    SockAddr dest = SockAddrDecoder.decode(s.memory().buffer(), 0, addrLen);
                    MemorySegment.copy(s.memory().buffer(), JAVA_BYTE, addrLen, sc.bytes, 0, payloadLen);
                    send(p, sc, s, fd, dest);
                    dnsPayload(s, p, sc, fd, payloadLen, dest);
                } else {
                    SockAddr dest = addr(s, to, toLen);
                    if (dest != null) send(p, sc, s, fd, dest);
                    dnsQuery(s, p, sc, fd, buf, len, dest);
                }
            }
            case SENDMSG -> sendmsg(s, p, sc, fd, s.arg(1));
            case SENDMMSG -> {
                long vlen = Math.min(s.arg(2), MAX_MMSG);
                // struct mmsghdr: msghdr (56) + len, padded
                for (int i = 0; i < vlen; i++) sendmsg(s, p, sc, fd, s.arg(1) + 64L * i);
            }
            case RECVFROM -> {
                if (s.arg(4) != 0) dnsAnswer(s, p, sc, fd);
            }
            default -> { } // accept/accept4: seen at exit (acceptExit)
        }
    }

    /**
     * accept/accept4 at syscall exit: the new fd and the peer. Emitted straight to the emitter, not collected
     * like the events of {@link #decodeAll}: nothing judges it, and nothing would clear the list on a thread that
     * sees only accepts at exit.
     */
    void acceptExit(SyscallStop s, ProcessInfo p, long result) {
        if (result < 0) return;
        Scratch sc = scratch.get();
        int newFd = (int) result;
        SockAddr peer = addr(s, s.arg(1), s.arg(2) == 0 ? 0 : s.memory().readLong(s.tid(), s.arg(2), 0) & 0xffffffffL);
        SockInfo i = infoOf(sc, p.pid(), newFd, true, -1);
        SockAddr remote = peer != null && !"unknown".equals(peer.family()) ? peer : i.peer();
        String syscall = s.sys().kernelName();
        emitter.emit(h -> new NetOp(h, p, syscall, Op.ACCEPT, newFd, i.family(), i.type(), i.protocol(), i.local(),
                remote, remote == null ? List.of() : dns.names(remote.address()), result));
    }

    /** What a connect's arguments and a copy of its socket tell; the copy is kept open only when asked. */
    private record ConnectFacts(int fd, SockAddr remote, SockInfo sock, String family, List<String> names, int dup) {}

    private ConnectFacts connectFacts(SyscallStop s, ProcessInfo p, Scratch sc, boolean keepCopy) {
        int fd = (int) s.arg(0);
        SockAddr remote = addr(s, s.arg(1), s.arg(2));
        int dup = takeFd(sc, p.pid(), fd);
        // before the connect runs, the local end is unbound and the peer is the argument: type and protocol only.
        // The address's family stands for the socket's domain (one syscall less): inet and inet6 name protocols
        // alike, so a dual-stack socket connecting to an inet address gets the same names.
        SockInfo i = dup >= 0 ? info(sc, dup, false, remote == null ? -1 : SockAddrDecoder.domainOf(remote.family())) : unknown();
        if (dup >= 0 && !keepCopy) {
            sc.libc.close(dup);
            dup = -1;
        }
        String family = remote != null ? remote.family() : i.family();
        List<String> names = remote == null ? List.of() : dns.names(remote.address());
        return new ConnectFacts(fd, remote, i, family, names, dup);
    }

    /** A connect at entry whose event is built at the syscall-exit stop, with the exact result. */
    Decoded connectAtExit(SyscallStop s, ProcessInfo p) {
        ConnectFacts c = connectFacts(s, p, scratch.get(), false);
        return (h, res) -> new NetOp(h, p, "connect", Op.CONNECT, c.fd(), c.family(), c.sock().type(),
                c.sock().protocol(), c.sock().local(), c.remote(), c.names(), res);
    }

    /**
     * A connect seen at entry only: emitted now (it can still be blocked), its outcome reported later by the
     * {@link ConnectWatcher} from a copy of the socket kept until {@link #afterVerdict}.
     */
    private void connectNow(SyscallStop s, ProcessInfo p) {
        SockAddr remote = connects == null ? addr(s, s.arg(1), s.arg(2)) : null;
        if (remote != null) {
            connectReadingKindOnDemand(s, p, remote);
            return;
        }
        ConnectFacts c = connectFacts(s, p, scratch.get(), connects != null);
        NetOp e = emit(h -> new NetOp(h, p, "connect", Op.CONNECT, c.fd(), c.family(), c.sock().type(),
                c.sock().protocol(), c.sock().local(), c.remote(), c.names(), Event.RES_UNKNOWN));
        if (c.dup() >= 0) pendingConnect.set(new PendingConnect(c.dup(), e));
    }

    /**
     * Without event output (rules only) the socket's type and protocol are read only if a rule asks, while the
     * connect is held: a socket copy, two getsockopt and a close that most connects never need (one default rule
     * reads the protocol, of shells' connects only). Sealed after the verdict: {@link #afterVerdict}.
     */
    private void connectReadingKindOnDemand(SyscallStop s, ProcessInfo p, SockAddr remote) {
        SockKind stale = pendingKind.get();
        if (stale != null) stale.seal(); // a connect whose verdict never came: its socket is not ours to read now
        int fd = (int) s.arg(0), pid = p.pid(), domain = SockAddrDecoder.domainOf(remote.family());
        SockKind kind = SockKind.lazy(() -> {
            SockInfo i = infoOf(scratch.get(), pid, fd, false, domain);
            return new String[] {i.type(), i.protocol()};
        });
        pendingKind.set(kind);
        List<String> names = dns.names(remote.address());
        emit(h -> new NetOp(h, p, "connect", Op.CONNECT, fd, remote.family(), kind, null, remote, names,
                Event.RES_UNKNOWN));
    }

    private final ThreadLocal<SockKind> pendingKind = new ThreadLocal<>();

    /** A connect's fd copy waiting for the verdict: watched if the connect runs, closed if it is blocked. */
    record PendingConnect(int dup, NetOp event) {}
    private final ThreadLocal<PendingConnect> pendingConnect = new ThreadLocal<>();

    /** Called by the dispatcher after the verdict of a connect event. */
    void afterVerdict(int errno) {
        SockKind kind = pendingKind.get();
        if (kind != null) {
            pendingKind.remove();
            kind.seal();
        }
        PendingConnect pc = pendingConnect.get();
        if (pc == null) return;
        pendingConnect.remove();
        if (errno == 0 && connects != null) connects.watch(pc.dup(), pc.event());
        else scratch.get().libc.close(pc.dup());
    }

    private void send(ProcessInfo p, Scratch sc, SyscallStop s, int fd, SockAddr dest) {
        String syscall = s.sys().kernelName();
        // A destination on an inet socket: a UDP datagram (the common case, not worth an fd copy per packet).
        // Any other family (netlink, unix datagrams) is asked for its real type: it is not UDP.
        String type = "dgram", protocol = "udp";
        if (!"inet".equals(dest.family()) && !"inet6".equals(dest.family())) {
            SockInfo i = infoOf(sc, p.pid(), fd, true, -1);
            type = i.type();
            protocol = i.protocol();
        }
        String t = type, proto = protocol;
        emit(h -> new NetOp(h, p, syscall, Op.SEND, fd, dest.family(), t, proto, null, dest,
                dns.names(dest.address()), Event.RES_UNKNOWN));
    }

    private void sendmsg(SyscallStop s, ProcessInfo p, Scratch sc, int fd, long msghdr) {
        // struct msghdr { void *name; socklen_t namelen; struct iovec *iov; size_t iovlen; ... }
        long n = s.memory().read(s.tid(), msghdr, 32);
        if (n < 32) return;
        MemorySegment m = s.memory().buffer();
        long namePtr = m.get(JAVA_LONG, 0), nameLen = m.get(JAVA_INT, 8) & 0xffffffffL, iov = m.get(JAVA_LONG, 16),
                iovLen = m.get(JAVA_LONG, 24);
        SockAddr dest = addr(s, namePtr, nameLen);
        if (dest != null) send(p, sc, s, fd, dest);
        if (iovLen > 0 && iov != 0 && s.memory().read(s.tid(), iov, 16) == 16) {
            MemorySegment v = s.memory().buffer();
            long base = v.get(JAVA_LONG, 0), len = v.get(JAVA_LONG, 8);
            dnsQuery(s, p, sc, fd, base, len, dest);
        }
    }

    /** A DNS query in a send payload: port 53, or a payload that parses as DNS. */
    private void dnsQuery(SyscallStop s, ProcessInfo p, Scratch sc, int fd, long buf, long len, SockAddr dest) {
        if (buf == 0 || len < 12) return;
        int n = (int) s.memory().read(s.tid(), buf, Math.min(len, PAYLOAD_HEAD));
        if (n < 12) return;
        MemorySegment.copy(s.memory().buffer(), JAVA_BYTE, 0, sc.bytes, 0, n);
        dnsPayload(s, p, sc, fd, n, dest);
    }

    /** The first {@code n} bytes of a send payload, in {@code sc.bytes}: a DNS query event if they are one. */
    private void dnsPayload(SyscallStop s, ProcessInfo p, Scratch sc, int fd, int n, SockAddr dest) {
        if (n < 12) return;
        boolean udp = DnsParser.looksLikeDns(sc.bytes, 0, n);
        boolean tcp = !udp && n > 14 && DnsParser.looksLikeDns(sc.bytes, 2, n - 2);
        if (!udp && !tcp && (dest == null || dest.port() != 53)) return;
        SockAddr server = dest;
        String transport = tcp ? "tcp" : "udp";
        if (server == null) {
            int dup = takeFd(sc, p.pid(), fd);
            if (dup >= 0) {
                SockInfo i = info(sc, dup);
                sc.libc.close(dup);
                server = i.peer();
                if (i.type().equals("stream")) transport = "tcp";
                if (server == null || (!udp && !tcp && server.port() != 53)) return;
            }
        }
        DnsParser.Parsed d = DnsParser.parse(sc.bytes, 0, n, transport.equals("tcp"));
        if (d.response()) return;
        SockAddr srv = server;
        String tr = transport;
        String syscall = s.sys().kernelName();
        emit(h -> new DnsMessage(h, p, syscall, false, tr, srv, d.id(), 0, d.questions(), List.of(), d.problem()));
    }

    /** A resolver's recvfrom: peek at the datagram it is about to receive. */
    private void dnsAnswer(SyscallStop s, ProcessInfo p, Scratch sc, int fd) {
        int dup = takeFd(sc, p.pid(), fd);
        if (dup < 0) return;
        long n;
        SockAddr from;
        try {
            n = sc.sockets.peek(dup, sc.datagram, DATAGRAM_MAX);
            from = n >= 0 ? SockAddrDecoder.decode(sc.sockets.addr(), 0, sc.sockets.addrLen()) : null;
        } finally {
            sc.libc.close(dup);
        }
        if (n < 12) {
            if (n == -11) dnsAnswersMissed.incrementAndGet(); // EAGAIN: nothing queued yet (a blocking resolver)
            return;
        }
        int len = (int) Math.min(n, DATAGRAM_MAX);
        MemorySegment.copy(sc.datagram, JAVA_BYTE, 0, sc.bytes, 0, len);
        if ((from == null || from.port() != 53) && !DnsParser.looksLikeDns(sc.bytes, 0, len)) return;
        DnsParser.Parsed d = DnsParser.parse(sc.bytes, 0, len, false);
        if (!d.response()) return;
        String qname = d.questions().isEmpty() ? null : d.questions().getFirst().name();
        for (DnsMessage.Answer a : d.answers()) {
            if (a.type().equals("A") || a.type().equals("AAAA")) {
                if (qname != null) dns.put(a.data(), qname);
                if (!a.name().equals(qname)) dns.put(a.data(), a.name());
            }
        }
        String syscall = s.sys().kernelName();
        emit(h -> new DnsMessage(h, p, syscall, true, "udp", from, d.id(), d.rcode(), d.questions(), d.answers(),
                d.problem()));
    }
}
