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
 * with -Xrs, so the {@code ./vigil} launcher starts the JVM with -Xrs and all six signals blocked; they are
 * then read here with signalfd (under -Xrs the JVM has no signal dispatcher thread for its own handlers). Signals the kernel itself generated for the terminal's foreground process
 * group (Ctrl-C, SI_KERNEL) already reached the workload, which shares our process group, and are not sent
 * twice. Started without the launcher, the JVM's own signal API is used instead and SIGQUIT is not forwarded.
 */
public final class SignalForwarder implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SignalForwarder.class.getName());
    private static final int SI_KERNEL = 0x80;
    private static final int[] FORWARDED = {Libc.SIGHUP, Libc.SIGINT, Libc.SIGQUIT, Libc.SIGTERM, Libc.SIGUSR1,
        Libc.SIGUSR2};
    private static final String[] NAMES = {"HUP", "INT", "QUIT", "TERM", "USR1", "USR2"};

    private final IntSupplier target;
    private final AtomicLong forwarded;
    private final List<String> notForwarded = new ArrayList<>();
    private Thread signalfdThread;
    private int wakeFd = -1;

    /** @param target the pid to forward to (0 while there is none yet) */
    public SignalForwarder(IntSupplier target, AtomicLong forwarded) {
        this.target = target;
        this.forwarded = forwarded;
    }

    /** Installs the forwarding; returns a short description for verbose output. */
    public String start() {
        long blocked = blockedInThisThread();
        List<Integer> viaFd = new ArrayList<>();
        List<String> fdNames = new ArrayList<>(), jvmNames = new ArrayList<>();
        for (int i = 0; i < FORWARDED.length; i++) {
            if ((blocked & (1L << (FORWARDED[i] - 1))) != 0) {
                viaFd.add(FORWARDED[i]);
                fdNames.add(NAMES[i]);
            } else if (handleWithJvm(NAMES[i])) {
                jvmNames.add(NAMES[i]);
            } else {
                notForwarded.add(NAMES[i]);
            }
        }
        if (!viaFd.isEmpty()) startSignalfdThread(viaFd.stream().mapToInt(Integer::intValue).toArray());
        return (fdNames.isEmpty() ? "" : "signalfd for " + String.join(" ", fdNames))
                + (jvmNames.isEmpty() ? "" : (fdNames.isEmpty() ? "" : ", ") + "JVM handlers for " + String.join(" ", jvmNames))
                + (notForwarded.isEmpty() ? "" : "; not forwarded: " + String.join(" ", notForwarded)
                + " (start Vigil through ./vigil, which blocks them for signalfd)");
    }

    private void forward(int sig) {
        int pid = target.getAsInt();
        if (pid <= 0) return;
        try (Arena a = Arena.ofConfined()) {
            if (new Libc(a).kill(pid, sig) == 0) forwarded.incrementAndGet();
        }
    }

    /** JVM handlers run only when the JVM was started without -Xrs (it then has a signal dispatcher thread). */
    private static boolean jvmDispatchesSignals() {
        try {
            // /proc/self/cmdline rather than the management API, whose classes cost start-up time
            for (String a : new String(Files.readAllBytes(Path.of("/proc/self/cmdline")), java.nio.charset.StandardCharsets.UTF_8).split("\0")) {
                if (a.equals("-Xrs") || a.equals("-XX:+ReduceSignalUsage")) return false;
            }
        } catch (IOException e) {
            return true;
        }
        return true;
    }

    private boolean handleWithJvm(String name) {
        if (!jvmDispatchesSignals()) return false;
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> forward(s.getNumber()));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Reads the signals on a thread that polls the signalfd together with an eventfd, so that {@link #close()}
     * can end it: HotSpot's exit waits up to 300 ms for threads still blocked in native code.
     */
    private void startSignalfdThread(int[] signals) {
        try (Arena a = Arena.ofConfined()) {
            wakeFd = new Libc(a).eventfdOrThrow();
        }
        signalfdThread = Thread.ofPlatform().daemon().name("vigil-signals").unstarted(() -> {
            try (Arena a = Arena.ofConfined()) {
                Libc libc = new Libc(a);
                int fd = libc.signalfd(signals);
                if (fd < 0) {
                    LOG.log(System.Logger.Level.WARNING, "signalfd failed: " + Libc.errorName(fd));
                    return;
                }
                MemorySegment info = a.allocate(128);
                MemorySegment fds = a.allocate(16, 8);
                fds.set(JAVA_INT, 0, fd);
                fds.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 4, Libc.POLLIN);
                fds.set(JAVA_INT, 8, wakeFd);
                fds.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 12, Libc.POLLIN);
                while (true) {
                    int r = libc.poll(fds, 2, -1);
                    if (r == -4) continue; // EINTR
                    if (r < 0 || fds.get(java.lang.foreign.ValueLayout.JAVA_SHORT, 14) != 0) break;
                    long n = libc.read(fd, info, 128);
                    if (n == 128) {
                        int signo = info.get(JAVA_INT, 0);
                        int code = info.get(JAVA_INT, 8);
                        if (code != SI_KERNEL) forward(signo);
                    }
                }
                libc.close(fd);
            }
        });
        signalfdThread.start();
    }

    /** Stops forwarding and ends the signalfd thread. */
    @Override public void close() throws InterruptedException {
        if (signalfdThread == null) return;
        Libc.signalEventfd(wakeFd);
        signalfdThread.join(1000);
        try (Arena a = Arena.ofConfined()) {
            new Libc(a).close(wakeFd);
        }
        signalfdThread = null;
    }

    /** The blocked-signal mask of the calling thread (inherited by every JVM thread from the launcher). */
    private static long blockedInThisThread() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("SigBlk:")) return Long.parseUnsignedLong(line.substring(7).trim(), 16);
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
