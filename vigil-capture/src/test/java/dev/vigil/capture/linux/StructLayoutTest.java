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
    void exec_path_and_argv_read_in_batches_agree_with_reading_piece_by_piece() {
        try (Arena a = Arena.ofConfined()) {
            ProcessMemory mem = new ProcessMemory(a, 64 * 1024);
            int self = Libc.getpid();
            MemorySegment page = a.allocate(3 * 4096, 4096);
            // 40 arguments (three batches): short ones, one longer than a batch reads of it, one that runs into the
            // next page, one at a wild pointer (unreadable), and an empty one
            List<MemorySegment> strings = new java.util.ArrayList<>();
            for (int i = 0; i < 36; i++) strings.add(a.allocateFrom("arg-" + i));
            strings.add(a.allocateFrom("y".repeat(1000)));
            page.setString(4096 - 10, "crosses-the-page-end");
            strings.add(page.asSlice(4096 - 10));
            strings.add(MemorySegment.ofAddress(8));
            strings.add(a.allocateFrom(""));
            MemorySegment arr = a.allocate(8L * (strings.size() + 1), 8);
            for (int i = 0; i < strings.size(); i++) arr.setAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG, i, strings.get(i).address());
            arr.setAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG, strings.size(), 0L);
            MemorySegment path = a.allocateFrom("/usr/bin/env");

            boolean[] t1 = new boolean[1], t2 = new boolean[1];
            List<String> batched = new java.util.ArrayList<>();
            String p = mem.readExec(self, path.address(), 4096, arr.address(), 4096, 256 * 1024, batched, t1);
            List<String> alone = mem.readStringArray(self, arr.address(), 4096, 256 * 1024, t2);
            assertThat(p).isEqualTo("/usr/bin/env");
            assertThat(batched).isEqualTo(alone).hasSize(40);
            assertThat(batched.get(0)).isEqualTo("arg-0");
            assertThat(batched.get(36)).hasSize(1000);
            assertThat(batched.get(37)).isEqualTo("crosses-the-page-end");
            assertThat(batched.get(38)).isEqualTo(ProcessMemory.UNREADABLE);
            assertThat(batched.get(39)).isEmpty();
            assertThat(t1[0]).isTrue().isEqualTo(t2[0]);

            // the byte budget cuts the same way; a path that runs into the next page is read whole
            page.setString(2 * 4096 - 5, "/opt/long-path");
            for (int budget : new int[] {30, 100, 1010}) {
                boolean[] b1 = new boolean[1], b2 = new boolean[1];
                List<String> cut = new java.util.ArrayList<>();
                assertThat(mem.readExec(self, page.address() + 2 * 4096 - 5, 4096, arr.address(), 4096, budget, cut, b1))
                        .isEqualTo("/opt/long-path");
                assertThat(cut).isEqualTo(mem.readStringArray(self, arr.address(), 4096, budget, b2));
                assertThat(b1[0]).isTrue().isEqualTo(b2[0]);
            }
            // NULL argv, unreadable path, unreadable array
            List<String> none = new java.util.ArrayList<>();
            assertThat(mem.readExec(self, path.address(), 4096, 0, 4096, 1000, none, new boolean[1])).isEqualTo("/usr/bin/env");
            assertThat(none).isEmpty();
            boolean[] bad = new boolean[1];
            assertThat(mem.readExec(self, 16, 4096, 24, 4096, 1000, none, bad)).isEqualTo(ProcessMemory.UNREADABLE);
            assertThat(none).containsExactly(ProcessMemory.UNREADABLE);
            assertThat(bad[0]).isTrue();
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
