package dev.vigil.hunt.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.hunt.store.EventStore;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Struct;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs queries against the store with a row limit and a time limit. User SQL passes {@link SqlGuard}, then
 * DuckDB's parser (exactly one SELECT statement), and runs inside {@code BEGIN TRANSACTION READ ONLY} on its
 * own connection; the transaction is always rolled back. Canned hunts use {@link #trusted} (same limits and
 * read-only transaction, no guard, bound parameters).
 */
public final class QueryService implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventStore store;
    private final int maxRows;
    private final Duration timeout;
    private final ScheduledExecutorService timer;
    private final java.util.Set<PreparedStatement> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param maxRows most rows any query returns (more are cut and flagged {@code truncated})
     * @param timeout wall-clock limit per query; the query is cancelled when it is reached
     */
    public QueryService(EventStore store, int maxRows, Duration timeout) {
        this.store = store;
        this.maxRows = maxRows;
        this.timeout = timeout;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-hunt-query-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** The server-wide row limit. */
    public int maxRows() {
        return maxRows;
    }

    /** Runs user SQL: refused unless it is a single read-only SELECT/WITH. {@code rows} ≤ 0 means the limit. */
    public QueryResult query(String sql, int rows) throws QueryRefusedException, SQLException {
        String body = SqlGuard.check(sql);
        return run(body, List.of(), rows, true);
    }

    /** Runs server-written SQL with bound parameters, with the same limits and read-only transaction. */
    public QueryResult trusted(String sql, List<?> params, int rows) throws SQLException {
        try {
            return run(sql, params, rows, false);
        } catch (QueryRefusedException e) {
            throw new AssertionError("trusted query refused: " + e.getMessage(), e);
        }
    }

    private QueryResult run(String sql, List<?> params, int rows, boolean user) throws QueryRefusedException, SQLException {
        int limit = rows <= 0 ? maxRows : Math.min(rows, maxRows);
        long t0 = System.nanoTime();
        try (Connection c = store.readConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN TRANSACTION READ ONLY");
            }
            try {
                if (user) parserCheck(c, sql);
                String wrapped = "SELECT * FROM (\n" + sql + "\n) AS vigil_q LIMIT " + (limit + 1);
                try (PreparedStatement ps = c.prepareStatement(wrapped)) {
                    if (closed) throw new SQLException("the query service is closed");
                    running.add(ps);
                    for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
                    AtomicBoolean timedOut = new AtomicBoolean();
                    ScheduledFuture<?> cancel = timer.schedule(() -> {
                        timedOut.set(true);
                        try {
                            ps.cancel();
                        } catch (SQLException ignored) {
                            // the statement finished meanwhile
                        }
                    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
                    List<String> cols = new ArrayList<>();
                    List<String> types = new ArrayList<>();
                    List<List<Object>> out = new ArrayList<>();
                    boolean truncated = false;
                    try (ResultSet rs = ps.executeQuery()) {
                        ResultSetMetaData md = rs.getMetaData();
                        int n = md.getColumnCount();
                        for (int i = 1; i <= n; i++) {
                            cols.add(md.getColumnLabel(i));
                            types.add(md.getColumnTypeName(i));
                        }
                        while (rs.next()) {
                            if (out.size() == limit) {
                                truncated = true;
                                break;
                            }
                            List<Object> row = new ArrayList<>(n);
                            for (int i = 1; i <= n; i++) row.add(jsonValue(rs.getObject(i)));
                            out.add(row);
                        }
                    } catch (SQLException e) {
                        if (!timedOut.get()) throw e;
                    } finally {
                        cancel.cancel(false);
                        running.remove(ps);
                    }
                    return new QueryResult(cols, types, out, truncated, timedOut.get(),
                            (System.nanoTime() - t0) / 1_000_000);
                }
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("ROLLBACK");
                } catch (SQLException ignored) {
                    // a cancelled or failed transaction may already be gone
                }
            }
        }
    }

    /** DuckDB's own parser: json_serialize_sql serializes SELECT statements only, one entry per statement. */
    private static void parserCheck(Connection c, String sql) throws QueryRefusedException, SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
            ps.setString(1, sql);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                JsonNode tree = JSON.readTree(rs.getString(1));
                if (tree.path("error").asBoolean(false))
                    throw new QueryRefusedException("refused by the SQL parser: " + tree.path("error_message").asText());
                if (tree.path("statements").size() != 1)
                    throw new QueryRefusedException("only one statement is allowed");
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new SQLException("unexpected json_serialize_sql output", e);
            }
        }
    }

    static Object jsonValue(Object v) throws SQLException {
        return switch (v) {
            case null -> null;
            case Boolean b -> b;
            case Integer i -> i;
            case Long l -> l;
            case Short s -> s.intValue();
            case Byte b -> b.intValue();
            case Double d -> Double.isFinite(d) ? d : d.toString();
            case Float f -> Float.isFinite(f) ? f.doubleValue() : f.toString();
            case BigInteger b -> b.bitLength() < 64 ? b.longValue() : b.toString();
            case BigDecimal b -> b.toPlainString();
            case String s -> s;
            case Array a -> {
                Object arr = a.getArray();
                List<Object> list = new ArrayList<>();
                if (arr instanceof Object[] objs) for (Object o : objs) list.add(jsonValue(o));
                yield list;
            }
            case Struct s -> {
                List<Object> list = new ArrayList<>();
                for (Object o : s.getAttributes()) list.add(jsonValue(o));
                yield list;
            }
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), jsonValue(e.getValue()));
                yield out;
            }
            case byte[] b -> Base64.getEncoder().encodeToString(b);
            case Blob b -> Base64.getEncoder().encodeToString(b.getBytes(1, (int) Math.min(b.length(), 1 << 20)));
            default -> v.toString();
        };
    }

    /** Cancels the running queries and refuses new ones. */
    @Override public void close() {
        closed = true;
        for (PreparedStatement ps : running) {
            try {
                ps.cancel();
            } catch (SQLException ignored) {
                // finished meanwhile
            }
        }
        timer.shutdownNow();
    }
}
