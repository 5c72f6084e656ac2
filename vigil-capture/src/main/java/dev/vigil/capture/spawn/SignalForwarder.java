package dev.vigil.capture.spawn;

import dev.vigil.capture.linux.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Forwards SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1 and SIGUSR2 sent to Vigil on to the workload, as an init
 * does. The JVM reserves SIGQUIT (thread dumps) and turns SIGHUP/SIGINT/SIGTERM into shutdown unless started
 * with -Xrs, so the {@code ./vigil} launcher starts the JVM with -Xrs and those four signals blocked; they are
 * then read here with signalfd. Signals the kernel itself generated for the terminal's foreground process
 * group (Ctrl-C, SI_KERNEL) already reached the workload, which shares our process group, and are not sent
 * twice. Started without the launcher, the JVM's own signal API is used instead and SIGQUIT is not forwarded.
 */
public final class SignalForwarder {
    private static final System.Logger LOG = System.getLogger(SignalForwarder.class.getName());
    private static final int SI_KERNEL = 0x80;
    private static final int[] VIA_SIGNALFD = {Libc.SIGHUP, Libc.SIGINT, Libc.SIGQUIT, Libc.SIGTERM};

    private final IntSupplier target;
    private final AtomicLong forwarded;
    private final List<String> notForwarded = new ArrayList<>();
    private boolean usingSignalfd;

    /** @param target the pid to forward to (0 while there is none yet) */
    public SignalForwarder(IntSupplier target, AtomicLong forwarded) {
        this.target = target;
        this.forwarded = forwarded;
    }

    /** Installs the forwarding; returns a short description for verbose output. */
    public String start() {
        if (blockedInThisThread(VIA_SIGNALFD)) {
            startSignalfdThread();
            usingSignalfd = true;
        } else {
            for (String name : new String[] {"HUP", "INT", "TERM"}) handleWithJvm(name);
            notForwarded.add("QUIT");
        }
        handleWithJvm("USR1");
        handleWithJvm("USR2");
        return (usingSignalfd ? "signalfd for HUP INT QUIT TERM, JVM handlers for USR1 USR2"
                : "JVM handlers for HUP INT TERM USR1 USR2")
                + (notForwarded.isEmpty() ? "" : "; not forwarded: " + String.join(" ", notForwarded)
                + " (start through ./vigil to forward them)");
    }

    private void forward(int sig) {
        int pid = target.getAsInt();
        if (pid <= 0) return;
        try (Arena a = Arena.ofConfined()) {
            if (new Libc(a).kill(pid, sig) == 0) forwarded.incrementAndGet();
        }
    }

    private void handleWithJvm(String name) {
        try {
            sun.misc.Signal sig = new sun.misc.Signal(name);
            sun.misc.Signal.handle(sig, s -> forward(s.getNumber()));
        } catch (IllegalArgumentException e) {
            notForwarded.add(name);
        }
    }

    private void startSignalfdThread() {
        Thread t = Thread.ofPlatform().daemon().name("vigil-signals").unstarted(() -> {
            try (Arena a = Arena.ofConfined()) {
                Libc libc = new Libc(a);
                int fd = libc.signalfd(VIA_SIGNALFD);
                if (fd < 0) {
                    LOG.log(System.Logger.Level.WARNING, "signalfd failed: " + Libc.errorName(fd));
                    return;
                }
                MemorySegment info = a.allocate(128);
                while (true) {
                    long n = libc.read(fd, info, 128);
                    if (n == 128) {
                        int signo = info.get(JAVA_INT, 0);
                        int code = info.get(JAVA_INT, 8);
                        if (code != SI_KERNEL) forward(signo);
                    } else if (n != -4) { // EINTR: retry
                        LOG.log(System.Logger.Level.WARNING, "signalfd read failed: " + Libc.errorName((int) n));
                        return;
                    }
                }
            }
        });
        t.start();
    }

    private static boolean blockedInThisThread(int[] signals) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("SigBlk:")) {
                    long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    for (int s : signals) if ((mask & (1L << (s - 1))) == 0) return false;
                    return true;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }
}
