package dev.vigil.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.event.Event;
import dev.vigil.event.FileOp;
import dev.vigil.event.FileOp.Op;
import dev.vigil.event.OpenFlags;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WrittenFilesTest {
    @TempDir Path tmp;
    private final WrittenFiles w = new WrittenFiles(4);

    private static FileOp op(String syscall, Op op, String path, String target, int flags, int mode, long res) {
        return new FileOp(null, null, syscall, op, path, target, flags, mode, -1, -1, -1, res);
    }

    private static FileOp open(String path, int flags, int mode) {
        return op("openat", Op.OPEN, path, null, flags, mode, Event.RES_UNKNOWN);
    }

    @Test
    void opens_for_writing_are_recorded_reads_are_not() {
        w.observe(open("/app/out", OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_TRUNC, 0644));
        w.observe(open("/usr/bin/true", 0, 0));
        assertThat(w.wrote("/app/out")).isTrue();
        assertThat(w.wrote("/usr/bin/true")).isFalse();
    }

    @Test
    void a_new_file_without_execute_bits_waits_for_its_chmod() {
        int excl = OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_EXCL;
        w.observe(open("/tmp/plain", excl, 0644));
        assertThat(w.wrote("/tmp/plain")).isFalse();
        w.observe(op("fchmodat", Op.CHMOD, "/tmp/plain", null, 0, 0755, Event.RES_UNKNOWN));
        assertThat(w.wrote("/tmp/plain")).isTrue();
        w.observe(open("/tmp/tool", excl, 0755)); // cp keeps the source's mode
        assertThat(w.wrote("/tmp/tool")).isTrue();
        w.observe(op("fchmodat", Op.CHMOD, "/tmp/other", null, 0, 0600, Event.RES_UNKNOWN));
        assertThat(w.wrote("/tmp/other")).isFalse();
    }

    @Test
    void rename_and_link_targets_truncate_and_not_failed_calls() {
        w.observe(op("renameat2", Op.RENAME, "/tmp/a", "/app/bin/a", 0, 0, Event.RES_UNKNOWN));
        w.observe(op("linkat", Op.LINK, "/tmp/b", "/app/bin/b", 0, 0, 0));
        w.observe(op("truncate", Op.TRUNCATE, "/app/bin/c", null, 0, 0, Event.RES_UNKNOWN));
        w.observe(op("openat", Op.OPEN, "/app/bin/d", null, OpenFlags.O_WRONLY, 0, -13));
        assertThat(w.wrote("/app/bin/a")).isTrue();
        assertThat(w.wrote("/app/bin/b")).isTrue();
        assertThat(w.wrote("/app/bin/c")).isTrue();
        assertThat(w.wrote("/app/bin/d")).isFalse();
        assertThat(w.wrote("/tmp/a")).isFalse();
    }

    @Test
    void proc_sys_and_dev_are_not_files_a_workload_drops_but_dev_shm_is() {
        w.observe(open("/proc/self/attr/current", OpenFlags.O_WRONLY, 0));
        w.observe(open("/dev/null", OpenFlags.O_WRONLY, 0));
        w.observe(open("/dev/shm/x", OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0755));
        assertThat(w.size()).isEqualTo(1);
        assertThat(w.wrote("/dev/shm/x")).isTrue();
    }

    @Test
    void bounded_least_recently_used_first() {
        for (int i = 0; i < 6; i++) w.observe(open("/app/f" + i, OpenFlags.O_WRONLY, 0));
        assertThat(w.size()).isEqualTo(4);
        assertThat(w.wrote("/app/f0")).isFalse();
        assertThat(w.wrote("/app/f5")).isTrue();
        assertThat(w.dropped.get()).isEqualTo(2);
    }

    @Test
    void a_chmodded_file_is_known_by_inode_under_another_name(/* a later rename of its directory */) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("d1"));
        Path f = Files.writeString(dir.resolve("tool"), "x");
        w.observe(op("fchmodat", Op.CHMOD, f.toString(), null, 0, 0755, Event.RES_UNKNOWN));
        Path moved = Files.move(dir, tmp.resolve("d2")).resolve("tool");
        assertThat(w.wrote(moved.toString())).isFalse();
        // the process's /proc/<pid>/exe: here a fake proc root whose <pid>/exe links to the moved file
        Path proc = Files.createDirectories(tmp.resolve("proc/77"));
        Files.createSymbolicLink(proc.resolve("exe"), moved);
        assertThat(w.wrote(moved.toString(), tmp.resolve("proc"), 77)).isTrue();
        Path other = Files.writeString(tmp.resolve("other"), "y");
        Files.delete(proc.resolve("exe"));
        Files.createSymbolicLink(proc.resolve("exe"), other);
        assertThat(w.wrote(other.toString(), tmp.resolve("proc"), 77)).isFalse();
    }
}
