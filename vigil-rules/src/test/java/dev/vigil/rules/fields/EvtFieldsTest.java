package dev.vigil.rules.fields;

import static dev.vigil.rules.fields.FieldProbe.value;
import static dev.vigil.rules.testing.Events.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.event.Event;
import dev.vigil.event.FileOp;
import org.junit.jupiter.api.Test;

class EvtFieldsTest {

    @Test
    void exec_is_an_exit_event_with_result_zero() {
        Event e = exec(proc("bash"));
        assertThat(value("evt.type", e)).isEqualTo("execve");
        assertThat(value("evt.dir", e)).isEqualTo("<");
        assertThat(value("evt.res", e)).isEqualTo("SUCCESS");
        assertThat(value("evt.rawres", e)).isEqualTo("0");
        assertThat(value("evt.failed", e)).isEqualTo("false");
        assertThat(value("evt.source", e)).isEqualTo("syscall");
        assertThat(value("evt.hostname", e)).isEqualTo("test-host");
        assertThat(value("evt.category", e)).isEqualTo("process");
    }

    @Test
    void entry_only_events_have_direction_enter_and_no_result() {
        Event e = openEntry(proc("cat"), "/etc/passwd", O_RDONLY);
        assertThat(value("evt.dir", e)).isEqualTo(">");
        assertThat(value("evt.res", e)).isNull();
        assertThat(value("evt.rawres", e)).isNull();
    }

    @Test
    void failed_open_has_errno_result() {
        Event e = openFailed(proc("cat"), "/root/x", O_RDONLY, 13);
        assertThat(value("evt.res", e)).isEqualTo("EACCES");
        assertThat(value("evt.rawres", e)).isEqualTo("-13");
        assertThat(value("evt.failed", e)).isEqualTo("true");
    }

    @Test
    void time_fields() {
        Event e = exec(proc("bash"));
        assertThat(value("evt.time", e)).isEqualTo("16:00:00.123456789");
        assertThat(value("evt.time.s", e)).isEqualTo("16:00:00");
        assertThat(value("evt.time.iso8601", e)).isEqualTo("2025-12-04T16:00:00.123456789Z");
        assertThat(value("evt.datetime", e)).isEqualTo("2025-12-04 16:00:00.123456789");
        assertThat(value("evt.rawtime", e)).isEqualTo(Long.toString(T0));
        assertThat(value("evt.rawtime.ns", e)).isEqualTo("123456789");
        assertThat(FieldProbe.json("evt.time", e)).isEqualTo(T0);
    }

    @Test
    void open_flags_and_open_kind() {
        Event w = open(proc("sh"), "/etc/x", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC);
        assertThat(value("evt.arg.flags", w)).isEqualTo("O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC");
        assertThat(value("evt.is_open_write", w)).isEqualTo("true");
        assertThat(value("evt.is_open_read", w)).isEqualTo("false");
        Event r = open(proc("sh"), "/etc/x", O_RDONLY);
        assertThat(value("evt.arg.flags", r)).isEqualTo("O_RDONLY");
        assertThat(value("evt.is_open_read", r)).isEqualTo("true");
        Event rw = open(proc("sh"), "/etc/x", O_RDWR);
        assertThat(value("evt.is_open_read", rw)).isEqualTo("true");
        assertThat(value("evt.is_open_write", rw)).isEqualTo("true");
        assertThat(value("evt.is_open_write", exec(proc("sh")))).isNull();
    }

    @Test
    void arguments_by_name_and_position() {
        Event o = open(proc("cat"), "/etc/hosts", O_RDONLY);
        assertThat(value("evt.arg.name", o)).isEqualTo("/etc/hosts");
        assertThat(value("evt.arg.fd", o)).isEqualTo("3");
        assertThat(value("evt.arg[2]", o)).isEqualTo("/etc/hosts");
        assertThat(value("evt.args", o)).startsWith("fd=3 dirfd=AT_FDCWD name=/etc/hosts flags=O_RDONLY mode=");
        Event mv = fileOp(proc("mv"), "renameat2", FileOp.Op.RENAME, "/a", "/b");
        assertThat(value("evt.arg.oldpath", mv)).isEqualTo("/a");
        assertThat(value("evt.arg.newpath", mv)).isEqualTo("/b");
        // as the decoder builds it: path = the link created, target = what it points to
        Event ln = fileOp(proc("ln"), "symlinkat", FileOp.Op.SYMLINK, "/tmp/s", "/etc/shadow");
        assertThat(value("evt.arg.target", ln)).isEqualTo("/etc/shadow");
        assertThat(value("evt.arg.linkpath", ln)).isEqualTo("/tmp/s");
        assertThat(value("evt.arg[1]", ln)).isEqualTo("/etc/shadow");
        assertThat(value("fs.path.name", ln)).isEqualTo("/tmp/s");
        assertThat(value("fs.path.source", ln)).isEqualTo("/etc/shadow");
        assertThat(value("fs.path.target", ln)).isEqualTo("/tmp/s");
        Event hl = fileOp(proc("ln"), "linkat", FileOp.Op.LINK, "/etc/shadow", "/tmp/h");
        assertThat(value("evt.arg.oldpath", hl)).isEqualTo("/etc/shadow");
        assertThat(value("evt.arg.newpath", hl)).isEqualTo("/tmp/h");
        assertThat(value("fs.path.source", hl)).isEqualTo("/etc/shadow");
        assertThat(value("fs.path.target", hl)).isEqualTo("/tmp/h");
        assertThat(value("evt.arg.mode", chmod(proc("chmod"), "fchmodat", "/x", 04755)))
                .isEqualTo("S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR|S_ISUID");
        assertThat(value("evt.arg.request", ptrace(proc("gdb"), 1, 0x4206))).isEqualTo("PTRACE_SEIZE");
        assertThat(value("evt.arg.domain", socket(proc("x"), "packet", "raw"))).isEqualTo("AF_PACKET");
        assertThat(value("evt.arg.uid", setuid(proc("x"), 33))).isEqualTo("www-data");
        assertThat(value("evt.arg.nope", o)).isNull();
    }

    @Test
    void unfilled_evt_fields_have_no_value() {
        assertThat(value("evt.buffer", exec(proc("x")))).isNull();
        assertThat(value("evt.cpu", exec(proc("x")))).isNull();
    }
}
