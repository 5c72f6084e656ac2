package dev.vigil.hunt.query;

import java.util.Locale;
import java.util.Set;

/**
 * First line of defence for user SQL: exactly one statement, starting with SELECT or WITH, with no keyword
 * that writes, changes settings or reaches outside the database, and no table function that reads files.
 * Comments, string literals, quoted identifiers and dollar-quoted strings are skipped while scanning, so a
 * keyword inside a string does not count and a {@code ;} hidden in a comment does not split statements.
 * The second and third lines are DuckDB's own parser ({@code json_serialize_sql} accepts only SELECT) and the
 * read-only transaction with external access disabled (see {@link QueryService}).
 */
public final class SqlGuard {
    /** Longest SQL text accepted. */
    public static final int MAX_LENGTH = 64 * 1024;

    private static final Set<String> FORBIDDEN_WORDS = Set.of("insert", "update", "delete", "merge", "upsert",
            "copy", "attach", "detach", "pragma", "set", "reset", "install", "load", "call", "export", "import",
            "create", "drop", "alter", "checkpoint", "vacuum", "begin", "commit", "rollback", "abort", "truncate",
            "use", "prepare", "execute", "deallocate", "grant", "revoke", "analyze", "summarize", "describe",
            "show", "transaction");
    private static final Set<String> FORBIDDEN_FUNCTIONS = Set.of("read_csv", "read_csv_auto", "read_parquet",
            "parquet_scan", "parquet_metadata", "parquet_schema", "parquet_file_metadata", "read_json",
            "read_json_auto", "read_json_objects", "read_ndjson", "read_ndjson_auto", "read_ndjson_objects",
            "read_text", "read_blob", "glob", "sniff_csv", "query", "query_table", "getenv", "read_xlsx",
            "iceberg_scan", "delta_scan", "sqlite_scan", "postgres_scan", "mysql_scan", "http_get", "load_extension",
            "duckdb_secrets", "which_secret", "current_setting", "duckdb_settings", "read_duckdb");

    private SqlGuard() {}

    /** Returns the statement without a trailing {@code ;}, or refuses it with a reason. */
    public static String check(String sql) throws QueryRefusedException {
        if (sql == null || sql.isBlank()) throw new QueryRefusedException("empty query");
        if (sql.length() > MAX_LENGTH)
            throw new QueryRefusedException("query too long: " + sql.length() + " characters, limit " + MAX_LENGTH);
        if (sql.indexOf('\0') >= 0) throw new QueryRefusedException("query contains a NUL character");
        int n = sql.length();
        int i = 0;
        String firstWord = null;
        int semicolonAt = -1;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int e = sql.indexOf('\n', i);
                i = e < 0 ? n : e + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int e = sql.indexOf("*/", i + 2);
                if (e < 0) throw new QueryRefusedException("unterminated /* comment");
                i = e + 2;
            } else if (c == '\'' || c == '"') {
                if (c == '\'' && i > 0 && (sql.charAt(i - 1) == 'e' || sql.charAt(i - 1) == 'E')
                        && (i < 2 || !(Character.isLetterOrDigit(sql.charAt(i - 2)) || sql.charAt(i - 2) == '_')))
                    throw new QueryRefusedException("E'...' escape strings are not supported; use '' for a quote");
                i = skipQuoted(sql, i, c);
            } else if (c == '$') {
                int tagEnd = sql.indexOf('$', i + 1);
                if (tagEnd > i && sql.substring(i + 1, tagEnd).chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')) {
                    String tag = sql.substring(i, tagEnd + 1);
                    int e = sql.indexOf(tag, tagEnd + 1);
                    if (e < 0) throw new QueryRefusedException("unterminated dollar-quoted string");
                    i = e + tag.length();
                } else {
                    i++;
                }
            } else if (c == ';') {
                if (semicolonAt < 0) semicolonAt = i;
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int s = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) i++;
                if (semicolonAt >= 0) throw new QueryRefusedException("only one statement is allowed");
                String word = sql.substring(s, i).toLowerCase(Locale.ROOT);
                if (firstWord == null) firstWord = word;
                if (FORBIDDEN_WORDS.contains(word))
                    throw new QueryRefusedException("'" + word.toUpperCase(Locale.ROOT)
                            + "' is not allowed: the query API runs a single read-only SELECT");
                if (FORBIDDEN_FUNCTIONS.contains(word) && nextNonSpace(sql, i) == '(')
                    throw new QueryRefusedException("function " + word + "() is not allowed: queries read only "
                            + "the events and alerts tables");
            } else {
                if (semicolonAt >= 0 && !Character.isWhitespace(c))
                    throw new QueryRefusedException("only one statement is allowed");
                i++;
            }
        }
        if (firstWord == null || !(firstWord.equals("select") || firstWord.equals("with")))
            throw new QueryRefusedException("only a SELECT or WITH query is allowed");
        String body = semicolonAt >= 0 ? sql.substring(0, semicolonAt) : sql;
        return body.strip();
    }

    private static char nextNonSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return i < s.length() ? s.charAt(i) : 0;
    }

    private static int skipQuoted(String s, int i, char q) throws QueryRefusedException {
        int j = i + 1;
        while (j < s.length()) {
            if (s.charAt(j) == q) {
                if (j + 1 < s.length() && s.charAt(j + 1) == q) j += 2;
                else return j + 1;
            } else {
                j++;
            }
        }
        throw new QueryRefusedException("unterminated " + (q == '\'' ? "string literal" : "quoted identifier"));
    }
}
