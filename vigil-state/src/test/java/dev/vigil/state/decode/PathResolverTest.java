package dev.vigil.state.decode;

import dev.vigil.capture.linux.ProcessMemory;
import dev.vigil.event.ProcessInfo;
import dev.vigil.state.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PathResolverTest {
    @TempDir Path proc;

    private static ProcessInfo inDir(String cwd) {
        return new ProcessInfo(7, 7, 1, "app", "/app", List.of("app"), false, cwd, 0, 0, 0, 0, 7, 7, -1, null, 0, List.of());
    }

    @Test
    void dot_and_dot_dot_are_removed_lexically_and_symlinks_left_as_given() {
        assertThat(PathResolver.normalize("/etc/./passwd")).isEqualTo("/etc/passwd");
        assertThat(PathResolver.normalize("/var/www/../../etc//shadow")).isEqualTo("/etc/shadow");
        assertThat(PathResolver.normalize("/../../..")).isEqualTo("/");
        assertThat(PathResolver.normalize("/tmp/dir/")).isEqualTo("/tmp/dir");
        assertThat(PathResolver.normalize("/usr/bin/true")).isEqualTo("/usr/bin/true");
        assertThat(PathResolver.normalize("/etc/.hidden/..x")).isEqualTo("/etc/.hidden/..x");
        assertThat(PathResolver.normalize("/")).isEqualTo("/");
        assertThat(PathResolver.normalize("/.")).isEqualTo("/");
        assertThat(PathResolver.normalize("//")).isEqualTo("/");
        assertThat(PathResolver.normalize("/a/b/..")).isEqualTo("/a");
    }

    @Test
    void relative_paths_resolve_against_the_cwd_or_the_dirfd() throws Exception {
        Path fd = Files.createDirectories(proc.resolve("7/fd"));
        Files.createSymbolicLink(fd.resolve("5"), Path.of("/srv/data"));
        PathResolver r = new PathResolver(new ProcFs(proc));
        ProcessInfo p = inDir("/home/app");
        assertThat(r.resolve(7, p, PathResolver.AT_FDCWD, "notes.txt")).isEqualTo("/home/app/notes.txt");
        assertThat(r.resolve(7, p, PathResolver.AT_FDCWD, "../other/x")).isEqualTo("/home/other/x");
        assertThat(r.resolve(7, p, 5, "in/file")).isEqualTo("/srv/data/in/file");
        assertThat(r.resolve(7, p, 5, "")).isEqualTo("/srv/data"); // AT_EMPTY_PATH
        assertThat(r.resolve(7, p, 5, "/abs/ignores/dirfd")).isEqualTo("/abs/ignores/dirfd");
        assertThat(r.resolve(7, p, 9, "x")).isEqualTo("x");        // an fd that is not there: kept as given
        assertThat(r.fdPath(7, 9)).isEqualTo("<fd 9>");
        assertThat(r.resolve(7, p, PathResolver.AT_FDCWD, null)).isNull();
    }

    @Test
    void a_path_nothing_of_which_could_be_read_is_not_put_in_the_cwd() {
        // a bad pointer: there is no file name, so no directory either (not "/home/app/<unreadable>")
        PathResolver r = new PathResolver(new ProcFs(proc));
        assertThat(r.resolve(7, inDir("/home/app"), PathResolver.AT_FDCWD, ProcessMemory.UNREADABLE))
                .isEqualTo(ProcessMemory.UNREADABLE);
        // what was read before the unreadable part is a name like any other
        assertThat(r.resolve(7, inDir("/home/app"), PathResolver.AT_FDCWD, "name" + ProcessMemory.UNREADABLE))
                .isEqualTo("/home/app/name" + ProcessMemory.UNREADABLE);
    }
}
