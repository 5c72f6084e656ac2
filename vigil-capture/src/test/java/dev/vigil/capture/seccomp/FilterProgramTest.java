package dev.vigil.capture.seccomp;

import dev.vigil.capture.linux.Seccomp;
import dev.vigil.capture.syscall.Aarch64Table;
import dev.vigil.capture.syscall.Sys;
import dev.vigil.capture.syscall.X86_64Table;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FilterProgramTest {
    private static final int FOREIGN = Seccomp.RET_TRACE | FilterProgram.TRACE_DATA_FOREIGN;
    private final FilterProgram x86 = FilterProgram.build(X86_64Table.INSTANCE,
            Map.of(Sys.OPENAT, Seccomp.RET_USER_NOTIF, Sys.EXECVE, Seccomp.RET_TRACE | 1, Sys.OPEN, Seccomp.RET_USER_NOTIF),
            FOREIGN);

    @Test
    void watched_syscalls_get_their_action_and_everything_else_is_allowed() {
        int arch = X86_64Table.AUDIT_ARCH;
        assertThat(x86.evaluate(arch, 257)).isEqualTo(Seccomp.RET_USER_NOTIF);      // openat
        assertThat(x86.evaluate(arch, 2)).isEqualTo(Seccomp.RET_USER_NOTIF);        // open
        assertThat(x86.evaluate(arch, 59)).isEqualTo(Seccomp.RET_TRACE | 1);        // execve
        assertThat(x86.evaluate(arch, 39)).isEqualTo(Seccomp.RET_ALLOW);            // getpid
        assertThat(x86.evaluate(arch, 0)).isEqualTo(Seccomp.RET_ALLOW);             // read
    }

    @Test
    void another_architecture_and_x32_numbers_cannot_slip_past() {
        assertThat(x86.evaluate(0x40000003, 5)).isEqualTo(FOREIGN);                  // i386 int 0x80: open is 5 there
        assertThat(x86.evaluate(X86_64Table.AUDIT_ARCH, 0x40000000 | 257)).isEqualTo(FOREIGN);
    }

    @Test
    void syscalls_an_architecture_lacks_are_left_out() {
        FilterProgram arm = FilterProgram.build(Aarch64Table.INSTANCE,
                Map.of(Sys.OPEN, Seccomp.RET_USER_NOTIF, Sys.OPENAT, Seccomp.RET_USER_NOTIF), FOREIGN);
        assertThat(arm.evaluate(Aarch64Table.AUDIT_ARCH, 56)).isEqualTo(Seccomp.RET_USER_NOTIF); // openat on aarch64
        assertThat(arm.evaluate(Aarch64Table.AUDIT_ARCH, 2)).isEqualTo(Seccomp.RET_ALLOW);
        // no x32 check on aarch64: arch load, jeq, ret, nr load, one watched syscall (2 insns), allow
        assertThat(arm.instructions()).hasSize(7);
    }

    @Test
    void an_argument_test_notifies_only_calls_that_pass_the_argument() {
        FilterProgram f = FilterProgram.build(X86_64Table.INSTANCE,
                Map.of(Sys.RECVFROM, Seccomp.RET_USER_NOTIF, Sys.OPENAT, Seccomp.RET_USER_NOTIF),
                Map.of(Sys.RECVFROM, 4), FOREIGN);
        int arch = X86_64Table.AUDIT_ARCH;
        assertThat(f.evaluate(arch, 45, 3, 0x1000, 512, 0, 0x7ffd0000L, 0x7ffd0010L)).isEqualTo(Seccomp.RET_USER_NOTIF);
        assertThat(f.evaluate(arch, 45, 3, 0x1000, 512, 0, 0, 0)).isEqualTo(Seccomp.RET_ALLOW);
        assertThat(f.evaluate(arch, 45, 3, 0x1000, 512, 0, 0x7ffd_0000_0000L, 0)).isEqualTo(Seccomp.RET_USER_NOTIF); // high word only
        assertThat(f.evaluate(arch, 257)).isEqualTo(Seccomp.RET_USER_NOTIF); // the chain goes on after the test
        assertThat(f.evaluate(arch, 39)).isEqualTo(Seccomp.RET_ALLOW);
    }

    @Test
    void hex_form_has_sixteen_digits_per_instruction_in_stub_order() {
        String hex = x86.toHex();
        assertThat(hex).hasSize(16 * x86.instructions().size());
        // first instruction: BPF_LD|BPF_W|BPF_ABS (0x20) of seccomp_data.arch (offset 4)
        assertThat(hex.substring(0, 16)).isEqualTo("0020000000000004");
    }
}
