package dev.vigil.hunt;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one hunt server. Build with {@link #of(Path)} and the {@code with...} methods.
 *
 * @param db              the DuckDB database file (created when absent)
 * @param bind            address to listen on; 127.0.0.1 unless the server must be reachable from elsewhere
 * @param port            TCP port; 0 picks a free one ({@link HuntServer#port()} tells which)
 * @param token           the API token, or null to use {@code tokenFile}
 * @param tokenFile       where the token is read from, or written to when generated on first start
 * @param maxRequestBytes largest request body accepted (ingest batches); larger ones get 413
 * @param maxLineBytes    largest single NDJSON line; a longer line is refused, the rest of its batch kept
 * @param maxQueryRows    most rows one query returns
 * @param queryTimeout    time limit of one query
 * @param memoryLimit     DuckDB memory limit, e.g. "1GB"
 * @param threads         DuckDB worker threads
 * @param httpThreads     HTTP worker threads
 */
public record HuntConfig(Path db, String bind, int port, String token, Path tokenFile, int maxRequestBytes,
                         int maxLineBytes, int maxQueryRows, Duration queryTimeout, String memoryLimit, int threads,
                         int httpThreads) {
    public HuntConfig {
        if (db == null) throw new IllegalArgumentException("db is required");
        if (bind == null || bind.isBlank()) bind = "127.0.0.1";
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        if (token == null && tokenFile == null) tokenFile = db.toAbsolutePath().resolveSibling(db.getFileName() + ".token");
    }

    /** Defaults: 127.0.0.1, a free port, token file beside the database, 16 MiB requests, 1 MiB lines. */
    public static HuntConfig of(Path db) {
        return new HuntConfig(db, "127.0.0.1", 0, null, null, 16 << 20, 1 << 20, 10_000, Duration.ofSeconds(30),
                "1GB", 2, 8);
    }

    public HuntConfig withBind(String v) { return new HuntConfig(db, v, port, token, tokenFile, maxRequestBytes, maxLineBytes, maxQueryRows, queryTimeout, memoryLimit, threads, httpThreads); }
    public HuntConfig withPort(int v) { return new HuntConfig(db, bind, v, token, tokenFile, maxRequestBytes, maxLineBytes, maxQueryRows, queryTimeout, memoryLimit, threads, httpThreads); }
    public HuntConfig withToken(String v) { return new HuntConfig(db, bind, port, v, tokenFile, maxRequestBytes, maxLineBytes, maxQueryRows, queryTimeout, memoryLimit, threads, httpThreads); }
    public HuntConfig withTokenFile(Path v) { return new HuntConfig(db, bind, port, token, v, maxRequestBytes, maxLineBytes, maxQueryRows, queryTimeout, memoryLimit, threads, httpThreads); }
    public HuntConfig withMaxRequestBytes(int v) { return new HuntConfig(db, bind, port, token, tokenFile, v, maxLineBytes, maxQueryRows, queryTimeout, memoryLimit, threads, httpThreads); }
    public HuntConfig withMaxLineBytes(int v) { return new HuntConfig(db, bind, port, token, tokenFile, maxRequestBytes, v, maxQueryRows, queryTimeout, memoryLimit, threads, httpThreads); }
    public HuntConfig withMaxQueryRows(int v) { return new HuntConfig(db, bind, port, token, tokenFile, maxRequestBytes, maxLineBytes, v, queryTimeout, memoryLimit, threads, httpThreads); }
    public HuntConfig withQueryTimeout(Duration v) { return new HuntConfig(db, bind, port, token, tokenFile, maxRequestBytes, maxLineBytes, maxQueryRows, v, memoryLimit, threads, httpThreads); }
    public HuntConfig withMemoryLimit(String v) { return new HuntConfig(db, bind, port, token, tokenFile, maxRequestBytes, maxLineBytes, maxQueryRows, queryTimeout, v, threads, httpThreads); }
    public HuntConfig withThreads(int v) { return new HuntConfig(db, bind, port, token, tokenFile, maxRequestBytes, maxLineBytes, maxQueryRows, queryTimeout, memoryLimit, v, httpThreads); }
}
