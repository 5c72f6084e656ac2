package dev.vigil.state.decode;

import dev.vigil.capture.linux.ProcessMemory;
import dev.vigil.event.ProcessInfo;
import dev.vigil.state.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.vigil.state.decode.PathResolver.AT_FDCWD;
import static org.assertj.core.api.Assertions.assertThat;

class PathResolverTest {
    @TempDir Path proc;

    private final ProcessInfo inWork = new ProcessInfo(10, 10, 1, "app", "/usr/bin/app", List.of("app"), false,
            "/work/dir", 0, 0, 0, 0, 10, 10, -1, null, 0, List.of());

    private PathResolver resolver() {
        return new PathResolver(new ProcFs(proc));
    }

    @Test
    void relative_path_is_made_absolute_against_the_cwd_with_dot_dot_removed() {
        assertThat(resolver().resolve(10, inWork, AT_FDCWD, "../x/./y")).isEqualTo("/work/x/y");
    }

    @Test
    void absolute_path_is_normalized_only() {
        assertThat(resolver().resolve(10, inWork, AT_FDCWD, "//etc/./passwd")).isEqualTo("/etc/passwd");
    }

    @Test
    void a_path_nothing_of_which_could_be_read_is_not_put_in_the_cwd() {
        // a bad pointer: there is no file name, so no directory either (not "/work/dir/<unreadable>")
        assertThat(resolver().resolve(10, inWork, AT_FDCWD, ProcessMemory.UNREADABLE)).isEqualTo(ProcessMemory.UNREADABLE);
    }

    @Test
    void a_partly_read_relative_path_keeps_its_marker_after_the_cwd() {
        assertThat(resolver().resolve(10, inWork, AT_FDCWD, "name" + ProcessMemory.UNREADABLE))
                .isEqualTo("/work/dir/name" + ProcessMemory.UNREADABLE);
    }
}
