package dev.vigil.hunt.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenAuthTest {
    @TempDir Path dir;

    @Test void a_token_is_generated_once_then_read_back() throws Exception {
        Path f = dir.resolve("sub/token");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TokenAuth a = TokenAuth.load(null, f, new PrintStream(out));
        assertThat(out.toString()).contains(a.token()).contains(f.toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertThat(TokenAuth.load("", f, new PrintStream(again)).token()).isEqualTo(a.token());
        assertThat(again.size()).isZero();
    }

    @Test void an_explicit_token_wins_and_short_tokens_are_refused() throws Exception {
        assertThat(TokenAuth.load("0123456789abcdef-env", dir.resolve("t"), null).token()).isEqualTo("0123456789abcdef-env");
        assertThat(dir.resolve("t")).doesNotExist();
        assertThatThrownBy(() -> TokenAuth.of("short")).hasMessageContaining("at least 16");
        Files.writeString(dir.resolve("weak"), "abc\n");
        assertThatThrownBy(() -> TokenAuth.load(null, dir.resolve("weak"), null)).hasMessageContaining("too short");
    }

    @Test void header_check_needs_the_bearer_scheme_and_the_exact_token() {
        TokenAuth a = TokenAuth.of("0123456789abcdef0123");
        assertThat(a.matchesHeader("Bearer 0123456789abcdef0123")).isTrue();
        assertThat(a.matchesHeader("bearer   0123456789abcdef0123 ")).isTrue();
        assertThat(a.matchesHeader("Bearer 0123456789abcdef012")).isFalse();
        assertThat(a.matchesHeader("Basic 0123456789abcdef0123")).isFalse();
        assertThat(a.matchesHeader("0123456789abcdef0123")).isFalse();
        assertThat(a.matchesHeader(null)).isFalse();
        assertThat(a.toString()).doesNotContain("0123");
    }
}
