package dev.vigil.capture.notify;

import dev.vigil.capture.CaptureMode;
import dev.vigil.capture.CaptureStats;
import dev.vigil.capture.SyscallHandler;
import dev.vigil.capture.SyscallStop;
import dev.vigil.capture.linux.Errnos;
import dev.vigil.capture.linux.Libc;
import dev.vigil.capture.linux.ProcessMemory;
import dev.vigil.capture.linux.Seccomp;
import dev.vigil.capture.syscall.SyscallTable;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** Serves one seccomp listener until every task using the filter is gone, or until {@link #shutdown()}. */
public final class NotifySupervisor implements Runnable {
    private static final System.Logger LOG = System.getLogger(NotifySupervisor.class.getName());

    private final int listener;
    private final SyscallTable table;
    private final SyscallHandler handler;
    private final CaptureStats stats;
    private final int wakeFd;
    private volatile boolean syncWakeUp;
    private volatile boolean stopping;

    public NotifySupervisor(int listener, SyscallTable table, SyscallHandler handler, CaptureStats stats) {
        this.listener = listener;
        this.table = table;
        this.handler = handler;
        this.stats = stats;
        try (Arena a = Arena.ofConfined()) {
            this.wakeFd = new Libc(a).eventfdOrThrow();
        }
    }

    /** Whether the kernel accepted SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (known once {@link #run} started). */
    public boolean syncWakeUp() {
        return syncWakeUp;
    }

    /** Asks the loop to end after the notification in hand, if any. Safe from any thread. */
    public void shutdown() {
        stopping = true;
        Libc.signalEventfd(wakeFd);
    }

    @Override public void run() {
        try (Arena arena = Arena.ofConfined()) {
            Libc libc = new Libc(arena);
            Seccomp seccomp = new Seccomp(arena);
            SyscallStop stop = new SyscallStop(new ProcessMemory(arena, 64 * 1024));
            syncWakeUp = seccomp.setSyncWakeUp(listener) == 0;
            MemorySegment fds = arena.allocate(16, 8);
            fds.set(JAVA_INT, 0, listener);
            fds.set(JAVA_SHORT, 4, Libc.POLLIN);
            fds.set(JAVA_INT, 8, wakeFd);
            fds.set(JAVA_SHORT, 12, Libc.POLLIN);
            while (!stopping) {
                fds.set(JAVA_SHORT, 6, (short) 0);
                fds.set(JAVA_SHORT, 14, (short) 0);
                int n = libc.poll(fds, 2, -1);
                if (n == -Errnos.EINTR) continue;
                if (n < 0) {
                    LOG.log(System.Logger.Level.ERROR, "poll on the seccomp listener failed: " + Libc.errorName(n));
                    break;
                }
                short revents = fds.get(JAVA_SHORT, 6);
                if ((revents & Libc.POLLIN) != 0) {
                    serveOne(seccomp, stop);
                } else if ((revents & (Libc.POLLHUP | Libc.POLLERR | Libc.POLLNVAL)) != 0) {
                    break; // no task uses the filter any more
                }
                if (fds.get(JAVA_SHORT, 14) != 0) break;
            }
            libc.close(listener);
            libc.close(wakeFd);
        }
    }

    private void serveOne(Seccomp seccomp, SyscallStop stop) {
        int r = seccomp.receive(listener);
        if (r < 0) {
            // ENOENT: the task died between poll and receive; EINTR: retry on the next poll.
            if (r != -Errnos.ENOENT && r != -Errnos.EINTR) stats.internalErrors.incrementAndGet();
            return;
        }
        stats.notifications.incrementAndGet();
        long id = seccomp.notifId();
        int errno = 0;
        try {
            if (seccomp.notifArch() != table.auditArch()) {
                stats.foreignArchSyscalls.incrementAndGet();
            } else {
                long nr = seccomp.notifNr();
                stop.set(seccomp.notifPid(), table.sys(nr), nr, CaptureMode.NOTIFY, seccomp.notifArg(0),
                        seccomp.notifArg(1), seccomp.notifArg(2), seccomp.notifArg(3), seccomp.notifArg(4),
                        seccomp.notifArg(5));
                errno = handler.onSyscall(stop);
                if (errno < 0) errno = 0; // WANT_EXIT cannot be had here: such syscalls are routed to ptrace stops
            }
        } catch (RuntimeException | AssertionError e) {
            stats.handlerErrors.incrementAndGet();
            errno = 0;
        }
        // What was read from the task's memory is only meaningful if the request is still alive (pid reuse).
        if (!seccomp.idValid(listener, id)) {
            stats.notificationsStale.incrementAndGet();
            return;
        }
        if (errno != 0) stats.denied.incrementAndGet();
        int s = seccomp.respond(listener, id, errno);
        if (s < 0 && s != -Errnos.ENOENT) stats.internalErrors.incrementAndGet();
    }
}
