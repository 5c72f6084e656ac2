package dev.vigil.state;

import dev.vigil.capture.CaptureMode;
import dev.vigil.capture.syscall.Sys;
import dev.vigil.event.Ancestor;
import dev.vigil.event.Event;
import dev.vigil.event.ProcessExec;
import dev.vigil.event.ProcessExecFailed;
import dev.vigil.event.ProcessExit;
import dev.vigil.event.ProcessFork;
import dev.vigil.event.Workload;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The process table fed with tracer facts over a fake /proc: no privileges needed. */
class ProcessTrackerTest {
    @TempDir Path proc;
    private final List<Event> events = new ArrayList<>();
    private ProcessTracker tracker;

    private void fakeTask(int pid, int tgid, int ppid, String comm, String exe, String cwd, String... cmdline) throws IOException {
        Path d = Files.createDirectories(proc.resolve(Integer.toString(pid)));
        Files.writeString(d.resolve("comm"), comm + "\n");
        Files.deleteIfExists(d.resolve("exe"));
        Files.deleteIfExists(d.resolve("cwd"));
        Files.createSymbolicLink(d.resolve("exe"), Path.of(exe));
        Files.createSymbolicLink(d.resolve("cwd"), Path.of(cwd));
        Files.writeString(d.resolve("status"), "Name:\t" + comm + "\nTgid:\t" + tgid + "\nPPid:\t" + ppid
                + "\nUid:\t1000\t1001\t1001\t1001\nGid:\t2000\t2001\t2001\t2001\n");
        Files.writeString(d.resolve("stat"), pid + " (" + comm + ") S " + ppid + " 77 66 34816 0 0");
        Files.writeString(d.resolve("cmdline"), String.join("\0", cmdline) + "\0");
    }

    @BeforeEach
    void setUp() throws IOException {
        EventEmitter emitter = new EventEmitter("s1", new Workload("w", "abc123def456", "w", null, null, null, null, "none", null),
                events::add, Clock.fixed(Instant.ofEpochSecond(1000), ZoneOffset.UTC));
        tracker = new ProcessTracker(emitter, new ProcFs(proc), List.of(new Ancestor(1, "init", "/sbin/init", List.of("init"))));
        fakeTask(100, 100, 1, "vigil-exec-stub", "/opt/stub", "/srv", "stub");
        tracker.onStart(100, CaptureMode.NOTIFY);
    }

    @Test
    void exec_uses_the_argv_seen_at_the_attempt_and_reads_the_image_from_proc() throws IOException {
        tracker.onExecAttempt(100, Sys.EXECVE, "/bin/sh", -100, 0, List.of("sh", "-c", "x"), false);
        fakeTask(100, 100, 1, "sh", "/usr/bin/dash", "/srv", "ignored");
        tracker.onExec(100, 100);
        ProcessExec e = (ProcessExec) events.getLast();
        assertThat(e.process().argv()).containsExactly("sh", "-c", "x");
        assertThat(e.process().exePath()).isEqualTo("/usr/bin/dash");
        assertThat(e.process().name()).isEqualTo("sh");
        assertThat(e.process().uid()).isEqualTo(1000);
        assertThat(e.process().euid()).isEqualTo(1001);
        assertThat(e.process().pgid()).isEqualTo(77);
        assertThat(e.process().sid()).isEqualTo(66);
        assertThat(e.process().tty()).isEqualTo("pts/0");
        assertThat(e.process().ancestors()).extracting(Ancestor::name).containsExactly("init");
        assertThat(e.header().seq()).isEqualTo(1);
        assertThat(e.header().timeNs()).isEqualTo(1000_000_000_000L);
    }

    @Test
    void forked_children_inherit_context_and_get_their_parent_as_first_ancestor() throws IOException {
        tracker.onExecAttempt(100, Sys.EXECVE, "/bin/sh", -100, 0, List.of("sh"), false);
        fakeTask(100, 100, 1, "sh", "/usr/bin/dash", "/srv", "sh");
        tracker.onExec(100, 100);
        tracker.onFork(100, 101, Sys.CLONE, false);
        tracker.onExecAttempt(101, Sys.EXECVE, "ls", -100, 0, List.of("ls", "-l"), false);
        fakeTask(101, 101, 100, "ls", "/usr/bin/ls", "/srv", "ls", "-l");
        tracker.onExec(101, 101);
        ProcessExec ls = (ProcessExec) events.getLast();
        assertThat(ls.process().ppid()).isEqualTo(100);
        assertThat(ls.process().ancestors()).extracting(Ancestor::name).containsExactly("sh", "init");
        assertThat(ls.process().ancestors().getFirst().cmdline()).isEqualTo("sh");
        tracker.onExit(101, 2 << 8);
        ProcessExit exit = (ProcessExit) events.getLast();
        assertThat(exit.exitCode()).isEqualTo(2);
        assertThat(exit.process().name()).isEqualTo("ls");
    }

    @Test
    void failed_exec_is_reported_with_an_absolute_path_and_the_caller_unchanged() throws IOException {
        tracker.onExecAttempt(100, Sys.EXECVE, "bin/tool", -100, 0, List.of("tool"), false);
        tracker.onExecFailed(100, 2);
        ProcessExecFailed f = (ProcessExecFailed) events.getLast();
        assertThat(f.path()).isEqualTo("/srv/bin/tool");
        assertThat(f.errno()).isEqualTo(2);
        assertThat(f.process().name()).isEqualTo("vigil-exec-stub");
    }

    @Test
    void threads_are_not_processes_and_a_thread_exit_is_not_a_process_exit() {
        tracker.onFork(100, 105, Sys.CLONE3, true);
        assertThat(((ProcessFork) events.getLast()).thread()).isTrue();
        tracker.onExit(105, 0);
        assertThat(events.getLast()).isInstanceOf(ProcessFork.class);
        assertThat(tracker.liveProcesses()).isEqualTo(1);
        tracker.onExit(100, 0);
        assertThat(events.getLast()).isInstanceOf(ProcessExit.class);
        assertThat(tracker.liveProcesses()).isZero();
    }

    @Test
    void exec_from_a_non_leader_thread_keeps_the_pid_and_drops_the_former_tid() throws IOException {
        tracker.onFork(100, 107, Sys.CLONE3, true);
        tracker.onExecAttempt(107, Sys.EXECVE, "/bin/echo", -100, 0, List.of("echo", "hi"), false);
        fakeTask(100, 100, 1, "echo", "/usr/bin/echo", "/srv", "echo", "hi");
        tracker.onExec(100, 107);
        ProcessExec e = (ProcessExec) events.getLast();
        assertThat(e.formerTid()).isEqualTo(107);
        assertThat(e.process().pid()).isEqualTo(100);
        assertThat(e.process().argv()).containsExactly("echo", "hi");
    }

    @Test
    void memory_is_bounded_by_live_processes_however_many_came_and_went() throws IOException {
        for (int i = 0; i < 50_000; i++) {
            int child = 1000 + (i % 20_000);
            tracker.onFork(100, child, Sys.FORK, false);
            tracker.onExecAttempt(child, Sys.EXECVE, "/bin/true", -100, 0, List.of("true"), false);
            tracker.onExecFailed(child, 2); // no fake /proc entry needed
            tracker.onExit(child, 0);
        }
        assertThat(tracker.liveProcesses()).isEqualTo(1);
        assertThat(tracker.processesSeen()).isEqualTo(50_001);
        assertThat(events.stream().filter(e -> e instanceof ProcessExit)).hasSize(50_000);
        for (int i = 0; i < events.size(); i++) assertThat(events.get(i).header().seq()).isEqualTo(i + 1);
    }
}
