package dev.vigil.hunt.query;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlGuardTest {
    @Test void a_single_select_or_with_passes_and_loses_its_trailing_semicolon() throws Exception {
        assertThat(SqlGuard.check("SELECT 1;")).isEqualTo("SELECT 1");
        assertThat(SqlGuard.check("  with x as (select 1) select * from x ; -- done")).isEqualTo("with x as (select 1) select * from x");
        assertThat(SqlGuard.check("SELECT 'drop; delete' AS \"update\" -- ; insert")).startsWith("SELECT");
        assertThat(SqlGuard.check("SELECT replace(cmdline, 'a', 'b'), $$ ; DELETE $$ FROM events")).startsWith("SELECT");
    }

    @Test void anything_else_is_refused_with_a_reason() {
        assertRefused("DELETE FROM events", "'DELETE' is not allowed");
        assertRefused("SELECT 1; SELECT 2", "only one statement");
        assertRefused("SELECT 1 /* x */ ; /* y */ SELECT 2", "only one statement");
        assertRefused("VALUES (1)", "only a SELECT or WITH");
        assertRefused("SELECT * FROM read_parquet ('x.parquet')", "read_parquet() is not allowed");
        assertRefused("SELECT * FROM glob('/etc/*')", "glob() is not allowed");
        assertRefused("WITH d AS (DELETE FROM events RETURNING *) SELECT * FROM d", "'DELETE'");
        assertRefused("SELECT 'unterminated", "unterminated string");
        assertRefused("SELECT 1 /* open", "unterminated /*");
        assertRefused("SELECT e'\\'' ; DROP TABLE events", "escape strings");
        assertRefused("SELECT 1; ATTACH 'x'", "only one statement");
        assertRefused("  ", "empty");
        assertRefused("SELECT '" + "x".repeat(SqlGuard.MAX_LENGTH) + "'", "too long");
    }

    private static void assertRefused(String sql, String reason) {
        assertThatThrownBy(() -> SqlGuard.check(sql)).as(sql).isInstanceOf(QueryRefusedException.class)
                .hasMessageContaining(reason);
    }
}
