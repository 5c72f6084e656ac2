package dev.vigil.capture;

import dev.vigil.capture.syscall.Sys;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The syscall channel's contract, for every capture mode: a handler sees the watched syscalls of real processes
 * with their arguments readable, and its errno verdict fails the syscall while the process goes on.
 */
class CaptureSessionIT {
    @TempDir Path tmp;

    /** Records what the tracer reports. */
    static final class Recorder implements ProcessSink {
        final List<String> log = Collections.synchronizedList(new ArrayList<>());
        @Override public void onStart(int rootPid, CaptureMode mode) { log.add("start " + mode); }
        @Override public void onExecAttempt(int tid, Sys sys, String path, int dirfd, int flags, List<String> argv, boolean t) { log.add("attempt " + path + " " + argv); }
        @Override public void onExec(int pid, int formerTid) { log.add("exec " + pid); }
        @Override public void onExecFailed(int tid, int errno) { log.add("failed " + errno); }
        @Override public void onFork(int parentTid, int childTid, Sys via, boolean thread) { log.add("fork " + via); }
        @Override public void onExit(int tid, int status) { log.add("exit " + tid + " " + status); }
    }

    @ParameterizedTest
    @EnumSource(CaptureMode.class)
    void handler_sees_watched_syscalls_and_its_verdict_fails_them(CaptureMode mode) throws Exception {
        Path secret = Files.writeString(tmp.resolve("forbidden.txt"), "secret");
        Path fine = Files.writeString(tmp.resolve("fine.txt"), "fine");
        Path out = tmp.resolve("out.txt");
        List<String> opened = Collections.synchronizedList(new ArrayList<>());
        List<Thread> handlerThreads = Collections.synchronizedList(new ArrayList<>());
        SyscallHandler handler = stop -> {
            handlerThreads.add(Thread.currentThread());
            String path = stop.readString(stop.arg(stop.sys() == Sys.OPENAT ? 1 : 0), 4096);
            opened.add(stop.sys().kernelName() + " " + path);
            return path != null && path.endsWith("forbidden.txt") ? 13 : 0; // EACCES
        };
        String script = "cat " + fine + " > " + out + "; cat " + secret + " >> " + out + " 2>&1; echo rc=$? >> " + out;
        Recorder rec = new Recorder();
        CaptureSession s = new CaptureSession(new CaptureConfig(Path.of("/bin/sh"), List.of("sh", "-c", script), mode,
                Set.of(Sys.OPENAT, Sys.OPEN), true, false), rec, handler);
        int status = s.run();
        assertThat(status).isZero();
        assertThat(s.mode()).isEqualTo(mode);
        assertThat(Files.readString(out)).startsWith("fine").contains("Permission denied").endsWith("rc=1\n");
        assertThat(opened).contains("openat " + fine, "openat " + secret);
        assertThat(s.stats().denied.get()).isGreaterThanOrEqualTo(1);
        String expectedThread = mode == CaptureMode.NOTIFY ? "vigil-notify" : "vigil-tracer";
        assertThat(handlerThreads).extracting(Thread::getName).containsOnly(expectedThread);
        assertThat(rec.log).contains("start " + mode).anyMatch(l -> l.startsWith("attempt /bin/sh"));
        assertThat(rec.log.stream().filter(l -> l.startsWith("exec "))).hasSize(3); // sh, cat, cat
    }
}
