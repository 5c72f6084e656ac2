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


/**
 * Serves one seccomp listener until {@link #shutdown()}. The loop blocks in NOTIF_RECV itself (no poll before
 * it: one syscall less per notification); a blocking RECV cannot be cancelled by closing the fd, so shutdown
 * sends the thread a signal with a do-nothing handler and no SA_RESTART, which makes RECV return EINTR.
 */
public final class NotifySupervisor implements Runnable {
    private static final System.Logger LOG = System.getLogger(NotifySupervisor.class.getName());
    /** Installed once per process; SIGURG is ignored by default and unused by the JVM. */
    private static final int WAKE_SIGNAL = Libc.SIGURG;
    private static final boolean WAKE_SIGNAL_READY = Libc.interruptingSignal(WAKE_SIGNAL) == 0;

    private final int listener;
    private final SyscallTable table;
    private final SyscallHandler handler;
    private final CaptureStats stats;
    private volatile boolean syncWakeUp;
    private volatile boolean stopping;
    private volatile int threadId;
    private volatile boolean ended;

    public NotifySupervisor(int listener, SyscallTable table, SyscallHandler handler, CaptureStats stats) {
        if (!WAKE_SIGNAL_READY) throw new IllegalStateException("cannot install the supervisor's wake-up signal handler");
        this.listener = listener;
        this.table = table;
        this.handler = handler;
        this.stats = stats;
    }

    /** Whether the kernel accepted SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (known once {@link #run} started). */
    public boolean syncWakeUp() {
        return syncWakeUp;
    }

    /**
     * Asks the loop to end after the notification in hand, if any, and wakes it from RECV. Safe from any thread;
     * call again until the thread has ended (a signal that lands just before the thread enters RECV is missed).
     */
    public void shutdown() {
        stopping = true;
        int tid = threadId;
        if (tid != 0 && !ended) Libc.signalThread(tid, WAKE_SIGNAL);
    }

    @Override public void run() {
        threadId = Libc.gettid();
        try (Arena arena = Arena.ofConfined()) {
            Libc libc = new Libc(arena);
            Seccomp seccomp = new Seccomp(arena);
            SyscallStop stop = new SyscallStop(new ProcessMemory(arena, 64 * 1024));
            syncWakeUp = seccomp.setSyncWakeUp(listener) == 0;
            while (!stopping) serveOne(seccomp, stop);
            libc.close(listener);
        } finally {
            ended = true;
        }
    }

    private void serveOne(Seccomp seccomp, SyscallStop stop) {
        int r = seccomp.receive(listener);
        if (r < 0) {
            // EINTR: the wake-up signal (the loop then checks whether to stop); ENOENT: the task died first.
            if (r != -Errnos.ENOENT && r != -Errnos.EINTR) {
                stats.internalErrors.incrementAndGet();
                if (r == -Errnos.EBADF || r == -Errnos.EINVAL) stopping = true; // the listener is unusable
            }
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
