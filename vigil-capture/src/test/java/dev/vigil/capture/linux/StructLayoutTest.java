package dev.vigil.capture.linux;

import dev.vigil.capture.KernelFeatures;
import dev.vigil.capture.syscall.SyscallTable;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StructLayoutTest {
    @Test
    void seccomp_structs_have_the_kernel_sizes() {
        assertThat(Seccomp.SECCOMP_DATA.byteSize()).isEqualTo(64);
        assertThat(Seccomp.NOTIF.byteSize()).isEqualTo(80);
        assertThat(Seccomp.NOTIF_RESP.byteSize()).isEqualTo(24);
        KernelFeatures k = KernelFeatures.detect(SyscallTable.host());
        if (k.notifSizes() != null) assertThat(k.notifLayoutsMatch()).isTrue();
    }

    @Test
    void process_memory_reads_strings_across_pages_and_marks_what_it_cannot_read() {
        try (Arena a = Arena.ofConfined()) {
            ProcessMemory mem = new ProcessMemory(a, 64 * 1024);
            int self = Libc.getpid();
            // a string that crosses a page boundary
            MemorySegment page = a.allocate(8192, 4096);
            String text = "x".repeat(100) + "/etc/passwd";
            page.setString(4096 - 50, text);
            assertThat(mem.readString(self, page.address() + 4096 - 50, 4096)).isEqualTo(text);
            // longer than the bound: cut and marked
            assertThat(mem.readString(self, page.address() + 4096 - 50, 20)).isEqualTo("x".repeat(20) + "...");
            // a wild pointer: what could be read (nothing) and the marker
            assertThat(mem.readString(self, 8, 100)).isEqualTo(ProcessMemory.UNREADABLE);
            assertThat(mem.readString(self, 0, 100)).isNull();
            // argv: pointer array, NULL-terminated
            MemorySegment a1 = a.allocateFrom("ls"), a2 = a.allocateFrom("-la");
            MemorySegment arr = a.allocate(24, 8);
            arr.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, a1.address());
            arr.set(java.lang.foreign.ValueLayout.JAVA_LONG, 8, a2.address());
            arr.set(java.lang.foreign.ValueLayout.JAVA_LONG, 16, 0L);
            boolean[] truncated = new boolean[1];
            assertThat(mem.readStringArray(self, arr.address(), 100, 1000, truncated)).isEqualTo(List.of("ls", "-la"));
            assertThat(truncated[0]).isFalse();
            assertThat(mem.readStringArray(self, arr.address(), 1, 1000, truncated)).isEqualTo(List.of("ls"));
            assertThat(truncated[0]).isTrue();
        }
    }

    @Test
    void errno_names_and_wait_status_decoding() {
        assertThat(Libc.errorName(1)).isEqualTo("EPERM");
        assertThat(Libc.strerror(2)).containsIgnoringCase("no such file");
        assertThat(Libc.exited(3 << 8)).isTrue();
        assertThat(Libc.exitStatus(3 << 8)).isEqualTo(3);
        assertThat(Libc.signaled(9)).isTrue();
        assertThat(Libc.termSig(9)).isEqualTo(9);
        assertThat(Libc.stopped(0x137f)).isTrue();
        assertThat(Libc.stopSig(0x137f)).isEqualTo(19);
        assertThat(new LinuxException("PTRACE_SEIZE(pid 42)", 1)).hasMessageStartingWith("PTRACE_SEIZE(pid 42): EPERM");
    }
}
