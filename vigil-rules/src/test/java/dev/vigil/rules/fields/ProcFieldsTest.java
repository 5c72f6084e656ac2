package dev.vigil.rules.fields;

import static dev.vigil.rules.fields.FieldProbe.value;
import static dev.vigil.rules.testing.Events.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.event.Event;
import org.junit.jupiter.api.Test;

class ProcFieldsTest {
    private final Event e = exec(proc("python3").exe("/usr/bin/python3.12").args("python", "-c", "print(1)")
            .tty("/dev/pts/3").cwd("/srv").sid(4000).pgid(4242)
            .parent("bash", "/bin/bash", "-l").parent("sshd", "/usr/sbin/sshd", "-D").parent("systemd", "/lib/systemd/systemd"));

    @Test
    void identity_and_command_line() {
        assertThat(value("proc.name", e)).isEqualTo("python3");
        assertThat(value("proc.exe", e)).isEqualTo("python");
        assertThat(value("proc.exepath", e)).isEqualTo("/usr/bin/python3.12");
        assertThat(value("proc.args", e)).isEqualTo("-c print(1)");
        assertThat(value("proc.cmdline", e)).isEqualTo("python3 -c print(1)");
        assertThat(value("proc.exeline", e)).isEqualTo("python -c print(1)");
        assertThat(value("proc.cmdnargs", e)).isEqualTo("2");
        assertThat(value("proc.cwd", e)).isEqualTo("/srv");
        assertThat(value("proc.pid", e)).isEqualTo("4242");
        assertThat(value("proc.vpid", e)).isEqualTo("4242");
        assertThat(value("proc.ppid", e)).isEqualTo("4200");
    }

    @Test
    void parent_and_ancestors() {
        assertThat(value("proc.pname", e)).isEqualTo("bash");
        assertThat(value("proc.pexepath", e)).isEqualTo("/bin/bash");
        assertThat(value("proc.pcmdline", e)).isEqualTo("bash -l");
        assertThat(value("proc.aname[0]", e)).isEqualTo("python3");
        assertThat(value("proc.aname[1]", e)).isEqualTo("bash");
        assertThat(value("proc.aname[2]", e)).isEqualTo("sshd");
        assertThat(value("proc.aname[3]", e)).isEqualTo("systemd");
        assertThat(value("proc.aname[4]", e)).isNull();
        assertThat(value("proc.aexepath[2]", e)).isEqualTo("/usr/sbin/sshd");
        assertThat(value("proc.acmdline[2]", e)).isEqualTo("sshd -D");
        assertThat(value("proc.apid[1]", e)).isEqualTo("4200");
        assertThat(value("proc.aname", e)).isEqualTo("bash,sshd,systemd");
    }

    @Test
    void sessions_groups_and_terminal() {
        assertThat(value("proc.tty", e)).isEqualTo(Long.toString((136 << 8) | 3));
        assertThat(value("proc.tty", exec(proc("x")))).isEqualTo("0");
        assertThat(value("proc.is_vpgid_leader", e)).isEqualTo("true");
        assertThat(value("proc.vpgid.name", e)).isEqualTo("python3");
        assertThat(value("proc.sname", e)).isNull();
        assertThat(value("proc.sid", e)).isEqualTo("4000");
    }

    @Test
    void duration_and_memfd() {
        assertThat(value("proc.duration", e)).isEqualTo("5000000000");
        assertThat(value("proc.is_exe_from_memfd", e)).isEqualTo("false");
        assertThat(value("proc.is_exe_from_memfd", filelessExec(proc("x")))).isEqualTo("true");
        assertThat(value("proc.is_exe_from_memfd", open(proc("x").exe("/memfd:x (deleted)"), "/a", 0))).isEqualTo("true");
    }

    @Test
    void exe_written_by_the_workload_is_the_upper_layer() {
        assertThat(value("proc.is_exe_upper_layer", e)).isEqualTo("false");
        assertThat(value("evt.arg.flags", e)).isEqualTo("0");
        Event dropped = exec(proc("x").exe("/tmp/x").written());
        assertThat(value("proc.is_exe_upper_layer", dropped)).isEqualTo("true");
        assertThat(value("evt.arg.flags", dropped)).isEqualTo("EXE_UPPER_LAYER");
        assertThat(value("proc.is_exe_upper_layer", open(proc("x").written(), "/a", 0))).isEqualTo("true");
        assertThat(value("evt.arg.flags", filelessExec(proc("x")))).isEqualTo("EXE_FROM_MEMFD");
    }

    @Test
    void unfilled_proc_fields_have_no_value() {
        assertThat(value("proc.env", e)).isNull();
        assertThat(value("proc.exe_ino.ctime", e)).isNull();
    }

    @Test
    void thread_fields() {
        assertThat(value("thread.tid", e)).isEqualTo("4242");
        assertThat(value("thread.ismain", e)).isEqualTo("true");
        Event caps = capset(proc("x"), (1L << 21) | (1L << 1), 1L << 21);
        assertThat(value("thread.cap_effective", caps)).isEqualTo("CAP_DAC_OVERRIDE CAP_SYS_ADMIN");
        assertThat(value("thread.cap_permitted", caps)).isEqualTo("CAP_SYS_ADMIN");
        assertThat(value("thread.cap_effective", e)).isNull();
    }
}
