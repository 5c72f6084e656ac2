package dev.vigil.capture.syscall;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SyscallTableTest {
    @Test
    void x86_64_numbers_match_the_kernel_abi() {
        SyscallTable t = X86_64Table.INSTANCE;
        assertThat(t.nr(Sys.EXECVE)).isEqualTo(59);
        assertThat(t.nr(Sys.OPENAT)).isEqualTo(257);
        assertThat(t.nr(Sys.CLONE3)).isEqualTo(435);
        assertThat(t.nr(Sys.PIDFD_GETFD)).isEqualTo(438);
        assertThat(t.sys(257)).isEqualTo(Sys.OPENAT);
        assertThat(t.sys(100_000)).isNull();
        assertThat(t.auditArch()).isEqualTo(0xC000003E);
    }

    @Test
    void aarch64_lacks_the_legacy_syscalls_and_numbers_the_rest_generically() {
        SyscallTable t = Aarch64Table.INSTANCE;
        for (Sys s : new Sys[] {Sys.OPEN, Sys.CREAT, Sys.FORK, Sys.VFORK, Sys.UNLINK, Sys.RENAME, Sys.CHMOD}) {
            assertThat(t.nr(s)).as(s.name()).isEqualTo(SyscallTable.ABSENT);
        }
        assertThat(t.nr(Sys.EXECVE)).isEqualTo(221);
        assertThat(t.nr(Sys.OPENAT)).isEqualTo(56);
        assertThat(t.sys(221)).isEqualTo(Sys.EXECVE);
        assertThat(t.argOffset(0)).isEqualTo(t.retOffset()); // x0 is both: entry decoders keep arg0 themselves
    }

    @Test
    void every_number_maps_back_to_its_syscall() {
        for (SyscallTable t : new SyscallTable[] {X86_64Table.INSTANCE, Aarch64Table.INSTANCE}) {
            for (Sys s : Sys.values()) {
                if (t.nr(s) != SyscallTable.ABSENT) assertThat(t.sys(t.nr(s))).as(t.name() + " " + s).isEqualTo(s);
            }
        }
    }

    @Test
    void kernel_names_are_falco_event_types() {
        assertThat(Sys.OPENAT.kernelName()).isEqualTo("openat");
        assertThat(Sys.byKernelName("memfd_create")).isEqualTo(Sys.MEMFD_CREATE);
        assertThat(Sys.byKernelName("nonsense")).isNull();
    }
}
