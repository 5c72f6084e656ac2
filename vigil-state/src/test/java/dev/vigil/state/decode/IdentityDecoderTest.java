package dev.vigil.state.decode;

import dev.vigil.capture.CaptureMode;
import dev.vigil.capture.SyscallStop;
import dev.vigil.capture.syscall.Sys;
import dev.vigil.event.Ancestor;
import dev.vigil.event.Event;
import dev.vigil.event.ProcessInfo;
import dev.vigil.event.ProcessTamper;
import dev.vigil.event.Workload;
import dev.vigil.state.EventEmitter;
import dev.vigil.state.ProcFs;
import dev.vigil.state.ProcessTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** ptrace requests as the stock rules need them: attach and PTRACE_TRACEME (anti-debugging) both reported. */
class IdentityDecoderTest {
    @TempDir Path proc;

    private final ProcessInfo caller = new ProcessInfo(20, 20, 10, "evil", "/usr/bin/evil", List.of("evil"), false,
            "/", 0, 0, 0, 0, 20, 20, -1, null, 0, List.of());

    private Event decode(long request, long pid) {
        EventEmitter emitter = new EventEmitter("s", new Workload("w", "abc123def456", "w", null, null, null, null, "none", null),
                e -> { }, Clock.systemUTC());
        ProcessTracker tracker = new ProcessTracker(emitter, new ProcFs(proc), List.of(new Ancestor(1, "init", "/sbin/init", List.of("init"))));
        SyscallStop s = new SyscallStop(null);
        s.set(20, Sys.PTRACE, 101, CaptureMode.NOTIFY, request, pid, 0, 0, 0, 0);
        Decoded d = new IdentityDecoder(tracker).decode(s, caller);
        return d == null ? null : d.build(null, -1);
    }

    @Test
    void ptrace_attach_names_the_target() {
        ProcessTamper t = (ProcessTamper) decode(16, 33);
        assertThat(t.syscall()).isEqualTo("ptrace");
        assertThat(t.request()).isEqualTo(16);
        assertThat(t.targetPid()).isEqualTo(33);
        assertThat(t.res()).isEqualTo(-1);
    }

    @Test
    void ptrace_traceme_is_reported_with_the_parent_as_target() {
        ProcessTamper t = (ProcessTamper) decode(0, 0);
        assertThat(t.request()).isZero();
        assertThat(t.targetPid()).isEqualTo(10);
    }
}
