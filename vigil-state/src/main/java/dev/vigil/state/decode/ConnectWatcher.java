package dev.vigil.state.decode;

import dev.vigil.capture.linux.Libc;
import dev.vigil.capture.linux.Sockets;
import dev.vigil.event.NetOp;
import dev.vigil.event.SockAddr;
import dev.vigil.state.EventEmitter;
import dev.vigil.state.net.SockAddrDecoder;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Learns how each connect ended, without touching the workload's syscall: a copy of the socket (pidfd_getfd)
 * waits in an epoll set until it becomes writable or fails, then the outcome is read with side-effect-free
 * queries (TCP_INFO state, getpeername) and reported as a {@code CONNECT_RESULT} event: 0 when established,
 * -ECONNREFUSED when the handshake was answered by a reset or an unreachable error, -ETIMEDOUT when it did
 * not finish within {@link #MAX_WAIT_MS}. SO_ERROR is never read: reading it would take the error away from
 * the workload. The copy is closed as soon as the outcome is known, so the socket's life is not extended
 * beyond the handshake (at most {@link #MAX_WAIT_MS}).
 *
 * <p>One platform thread; {@link #watch} may be called from any capture thread.
 */
public final class ConnectWatcher implements AutoCloseable {
    static final int MAX_WAIT_MS = 10_000;
    private static final int NOT_STARTED_RECHECK_MS = 2, NOT_STARTED_MAX_MS = 1000, ECONNREFUSED = 111, ETIMEDOUT = 110;

    private final EventEmitter emitter;
    private final int connectNr;
    private final ConcurrentLinkedQueue<Pending> incoming = new ConcurrentLinkedQueue<>();
    private final Map<Long, Pending> pending = new HashMap<>();
    private final Thread thread;
    private final int wakeFd;
    private volatile boolean stopping;
    private long nextCookie = 1;
    final AtomicLong reported = new AtomicLong();

    private static final class Pending {
        final int dup;
        final NetOp connect;
        final long startNs = System.nanoTime();
        long cookie;
        boolean sawHandshake;
        long recheckAtNs;

        Pending(int dup, NetOp connect) {
            this.dup = dup;
            this.connect = connect;
        }
    }

    /** @param connectNr the connect syscall's number, to tell from /proc/<tid>/syscall whether it has returned */
    public ConnectWatcher(EventEmitter emitter, int connectNr) {
        this.emitter = emitter;
        this.connectNr = connectNr;
        try (Arena a = Arena.ofConfined()) {
            this.wakeFd = new Libc(a).eventfdOrThrow();
        }
        this.thread = Thread.ofPlatform().daemon().name("vigil-connects").start(this::loop);
    }

    /** Takes ownership of {@code dup} (a copy of the connecting socket) and reports the connect's outcome. */
    public void watch(int dup, NetOp connect) {
        incoming.add(new Pending(dup, connect));
        wake();
    }

    private void wake() {
        Libc.signalEventfd(wakeFd);
    }

    private void loop() {
        try (Arena a = Arena.ofConfined()) {
            Libc libc = new Libc(a);
            Sockets so = new Sockets(a);
            int ep = so.epollCreate();
            MemorySegment ev = a.allocate(Sockets.EPOLL_EVENT_SIZE);
            MemorySegment events = a.allocate((long) Sockets.EPOLL_EVENT_SIZE * 64);
            MemorySegment drain = a.allocate(8);
            so.epollCtl(ep, Sockets.EPOLL_CTL_ADD, wakeFd, Sockets.EPOLLIN, 0, ev);
            while (!stopping || !pending.isEmpty() || !incoming.isEmpty()) {
                Pending in;
                while ((in = incoming.poll()) != null) {
                    in.cookie = nextCookie++;
                    pending.put(in.cookie, in);
                    check(libc, so, ep, ev, in, 0);
                }
                int n = so.epollWait(ep, events, 64, pending.isEmpty() ? (stopping ? 0 : -1) : NOT_STARTED_RECHECK_MS);
                for (int i = 0; i < n; i++) {
                    long cookie = Sockets.eventCookie(events, i);
                    if (cookie == 0) {
                        libc.read(wakeFd, drain, 8);
                        continue;
                    }
                    Pending p = pending.get(cookie);
                    if (p != null) check(libc, so, ep, ev, p, Sockets.eventMask(events, i));
                }
                long now = System.nanoTime();
                for (Iterator<Pending> it = new ArrayList<>(pending.values()).iterator(); it.hasNext(); ) {
                    Pending p = it.next();
                    if (p.recheckAtNs != 0 && now >= p.recheckAtNs) check(libc, so, ep, ev, p, 0);
                    else if ((now - p.startNs) / 1_000_000 > MAX_WAIT_MS) finish(libc, so, ep, ev, p, -ETIMEDOUT);
                }
                if (stopping && n <= 0) {
                    for (Pending p : List.copyOf(pending.values())) {
                        check(libc, so, ep, ev, p, 0);
                        if (pending.containsKey(p.cookie)) finish(libc, so, ep, ev, p, NetOp.RES_UNKNOWN);
                    }
                }
            }
            libc.close(ep);
        }
    }

    private void check(Libc libc, Sockets so, int ep, MemorySegment ev, Pending p, int mask) {
        long ageMs = (System.nanoTime() - p.startNs) / 1_000_000;
        boolean tcp = "tcp".equals(p.connect.protocol());
        if (tcp) {
            int state = so.tcpState(p.dup);
            boolean closedMeansFailed = p.sawHandshake || (mask & Sockets.EPOLLERR) != 0;
            if (state == Sockets.TCP_CLOSE && !closedMeansFailed && connectReturned(p)) {
                // The state was read before we learnt that the thread has left connect: the connect may have run
                // in between (this thread can be descheduled between the two reads). Read it again, now final.
                state = so.tcpState(p.dup);
                closedMeansFailed = true;
            }
            if (state == Sockets.TCP_SYN_SENT || state == Sockets.TCP_SYN_RECV) {
                p.sawHandshake = true;
                arm(so, ep, ev, p);
                return;
            }
            if (state > 0 && state != Sockets.TCP_CLOSE) { // ESTABLISHED or past it (FIN_WAIT, CLOSE_WAIT, ...)
                finish(libc, so, ep, ev, p, 0);
                return;
            }
            if (state == Sockets.TCP_CLOSE && closedMeansFailed) {
                finish(libc, so, ep, ev, p, -ECONNREFUSED);
                return;
            }
        } else if (so.peerName(p.dup) == 0) {
            finish(libc, so, ep, ev, p, 0);
            return;
        }
        // The workload's connect has not run yet (we saw it at entry), or failed without a trace: look again soon.
        if (ageMs > NOT_STARTED_MAX_MS) {
            finish(libc, so, ep, ev, p, tcp ? -ECONNREFUSED : NetOp.RES_UNKNOWN);
            return;
        }
        p.recheckAtNs = System.nanoTime() + NOT_STARTED_RECHECK_MS * 1_000_000L;
    }

    /**
     * Whether the thread that called connect has left the call: a TCP socket that is closed after that has
     * failed, one that is closed before has not started. {@code /proc/<tid>/syscall} names the syscall a
     * blocked thread is in; a thread gone or elsewhere has returned.
     */
    private boolean connectReturned(Pending p) {
        int tid = p.connect.process().tid();
        try {
            String sc = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + tid + "/syscall"));
            return connectReturned(sc, connectNr, p.connect.fd());
        } catch (java.io.IOException | RuntimeException e) {
            return true; // the thread is gone
        }
    }

    /**
     * Reads {@code /proc/<tid>/syscall}: "nr arg0 ..." for a blocked thread, "-1 sp pc" for one stopped outside
     * a syscall, "running" for a runnable one. A runnable thread tells nothing: it may have just been let go
     * by the supervisor and not yet entered connect (the socket is still closed because the connect has not
     * run), so it has not returned as far as we know; a thread that keeps running after a failed connect is
     * settled by {@link #NOT_STARTED_MAX_MS}.
     */
    static boolean connectReturned(String procSyscall, int connectNr, int fd) {
        String sc = procSyscall.trim();
        if (sc.equals("running")) return false;
        String[] f = sc.split(" ");
        if (f.length < 2 || !f[0].equals(Integer.toString(connectNr))) return true;
        return Long.decode(f[1]) != fd;
    }

    private void arm(Sockets so, int ep, MemorySegment ev, Pending p) {
        int events = Sockets.EPOLLOUT | Sockets.EPOLLONESHOT;
        p.recheckAtNs = 0;
        if (so.epollCtl(ep, 3 /* EPOLL_CTL_MOD */, p.dup, events, p.cookie, ev) < 0) {
            so.epollCtl(ep, Sockets.EPOLL_CTL_ADD, p.dup, events, p.cookie, ev);
        }
    }

    private void finish(Libc libc, Sockets so, int ep, MemorySegment ev, Pending p, long res) {
        pending.remove(p.cookie);
        SockAddr local = so.sockName(p.dup) == 0 ? SockAddrDecoder.decode(so.addr(), 0, so.addrLen()) : p.connect.local();
        so.epollCtl(ep, Sockets.EPOLL_CTL_DEL, p.dup, 0, 0, ev);
        libc.close(p.dup);
        NetOp c = p.connect;
        reported.incrementAndGet();
        emitter.emit(h -> new NetOp(h, c.process(), "connect", NetOp.Op.CONNECT_RESULT, c.fd(), c.family(), c.sockType(),
                c.protocol(), local, c.remote(), c.remoteNames(), res));
    }

    /** Reports what is still pending (outcome unknown) and ends the thread. */
    @Override public void close() throws InterruptedException {
        stopping = true;
        wake();
        thread.join(2000);
    }
}
