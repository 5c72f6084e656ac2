package dev.vigil.capture.spawn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandResolverTest {
    @TempDir Path dir;

    @Test
    void finds_the_first_executable_on_path_like_a_shell() throws Exception {
        Path a = dir.resolve("a"), b = dir.resolve("b");
        Files.createDirectories(a);
        Files.createDirectories(b);
        Path plain = Files.writeString(a.resolve("tool"), "x");
        Path exe = Files.writeString(b.resolve("tool"), "x");
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(CommandResolver.resolve("tool", a + ":" + b)).isEqualTo(exe);
        assertThat(plain).exists();
    }

    @Test
    void reports_not_found_and_not_executable_with_shell_exit_codes() throws Exception {
        assertThatThrownBy(() -> CommandResolver.resolve("no-such-tool", dir.toString()))
                .isInstanceOfSatisfying(CommandResolver.CommandException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(127);
                    assertThat(e).hasMessage("no-such-tool: command not found");
                });
        Path plain = Files.writeString(dir.resolve("plain"), "x");
        assertThatThrownBy(() -> CommandResolver.resolve("plain", dir.toString()))
                .isInstanceOfSatisfying(CommandResolver.CommandException.class, e -> assertThat(e.exitCode()).isEqualTo(126));
        assertThatThrownBy(() -> CommandResolver.resolve(plain.toString(), ""))
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> CommandResolver.resolve(dir.resolve("missing").toString(), ""))
                .hasMessageContaining("no such file or directory");
        assertThatThrownBy(() -> CommandResolver.resolve(dir.toString(), ""))
                .hasMessageContaining("is a directory");
    }
}
