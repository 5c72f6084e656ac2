package dev.vigil.hunt.store;

import dev.vigil.hunt.ingest.AlertRow;
import dev.vigil.hunt.ingest.EventRow;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Events and alerts in one DuckDB database file. Inserts are idempotent: an event's id is
 * {@code <sensor>-<seq>}, and an in-memory index of stored (sensor, seq) intervals, rebuilt from the table at
 * open, skips any event already stored, so a batch re-sent after a timeout adds nothing. Alerts go through an
 * in-memory staging table and {@code INSERT OR IGNORE} on their primary key (the SHA-256 of the alert line).
 */
public final class EventStore implements AutoCloseable {
    /** Version of the table layout below, kept in {@code meta}; a different stored value refuses to open. */
    public static final int STORE_VERSION = 1;

    /**
     * The raw JSON line, zstd-compressed at checkpoints: on ~800-byte lines that are all different, DuckDB's
     * default string compression analysis at each checkpoint cost more than zstd (store-only: ~76,000 against
     * ~108,000 rows/s), and the file is ~45 % smaller than uncompressed.
     */
    private static final String RAW_TYPE = "VARCHAR USING COMPRESSION zstd";

    /** Event columns filled from {@link EventRow}, in appender order. */
    static final String[][] EVENT_COLUMNS = {
        {"id", "VARCHAR"}, {"schema", "INTEGER"}, {"sensor", "VARCHAR"}, {"seq", "BIGINT"}, {"time_ns", "BIGINT"},
        {"kind", "VARCHAR"}, {"evt_type", "VARCHAR"}, {"syscall", "VARCHAR"}, {"workload", "VARCHAR"},
        {"container_id", "VARCHAR"}, {"image", "VARCHAR"}, {"project", "VARCHAR"}, {"environment", "VARCHAR"},
        {"pid", "INTEGER"}, {"tid", "INTEGER"}, {"ppid", "INTEGER"}, {"proc_name", "VARCHAR"},
        {"exe_path", "VARCHAR"}, {"exe_sha256", "VARCHAR"}, {"cmdline", "VARCHAR"}, {"cwd", "VARCHAR"},
        {"uid", "INTEGER"}, {"proc_start_ns", "BIGINT"}, {"parent_name", "VARCHAR"}, {"parent_exe", "VARCHAR"},
        {"path", "VARCHAR"}, {"target", "VARCHAR"}, {"protocol", "VARCHAR"}, {"remote_address", "VARCHAR"},
        {"remote_port", "INTEGER"}, {"local_address", "VARCHAR"}, {"local_port", "INTEGER"},
        {"remote_names", "VARCHAR[]"}, {"dns_names", "VARCHAR[]"}, {"dns_answers", "VARCHAR[]"}, {"domains", "VARCHAR[]"},
        {"rcode", "INTEGER"}, {"res", "BIGINT"}, {"child_pid", "INTEGER"}, {"target_pid", "INTEGER"},
        {"raw", RAW_TYPE}};
    static final String[][] ALERT_COLUMNS = {
        {"id", "VARCHAR"}, {"time_ns", "BIGINT"}, {"time", "VARCHAR"}, {"rule", "VARCHAR"}, {"priority", "VARCHAR"},
        {"output", "VARCHAR"}, {"source", "VARCHAR"}, {"hostname", "VARCHAR"}, {"tags", "VARCHAR[]"},
        {"container_id", "VARCHAR"}, {"pid", "INTEGER"}, {"proc_name", "VARCHAR"}, {"event_id", "VARCHAR"},
        {"output_fields", "VARCHAR"}, {"raw", RAW_TYPE}};

    /** One row per process image seen (sensor, pid, start time, executable hash): what IOC sweeps scan. */
    static final String PROCESSES_DDL = "CREATE TABLE IF NOT EXISTS processes (sensor VARCHAR, pid INTEGER, "
            + "start_ns BIGINT, ppid INTEGER, workload VARCHAR, container_id VARCHAR, proc_name VARCHAR, exe_path VARCHAR, "
            + "exe_sha256 VARCHAR, cmdline VARCHAR, parent_name VARCHAR, first_ns BIGINT, first_ts TIMESTAMP, "
            + "first_event_id VARCHAR)";

    private final Path file;
    private final DuckDBConnection writer;
    private final SeqIndex index = new SeqIndex();
    private final Set<String> processKeys = new HashSet<>();
    private final ConcurrentLinkedQueue<DuckDBConnection> appenders = new ConcurrentLinkedQueue<>();

    private EventStore(Path file, DuckDBConnection writer) {
        this.file = file;
        this.writer = writer;
    }

    /**
     * Opens (creating if needed) the database at {@code file}.
     *
     * @param memoryLimit DuckDB memory limit such as "1GB"
     * @param threads     DuckDB worker threads
     */
    public static EventStore open(Path file, String memoryLimit, int threads) throws SQLException {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create the directory of " + file + ": " + e.getMessage(), e);
        }
        Properties props = new Properties();
        props.setProperty("autoinstall_known_extensions", "false");
        props.setProperty("autoload_known_extensions", "false");
        DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), props);
        try (Statement s = c.createStatement()) {
            s.execute("SET memory_limit = '" + memoryLimit.replace("'", "") + "'");
            s.execute("SET threads = " + Math.max(1, threads));
            s.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)");
            s.execute("INSERT OR IGNORE INTO meta VALUES ('store_version', '" + STORE_VERSION + "')");
            try (ResultSet r = s.executeQuery("SELECT value FROM meta WHERE key = 'store_version'")) {
                r.next();
                if (!String.valueOf(STORE_VERSION).equals(r.getString(1)))
                    throw new SQLException(file + ": store version " + r.getString(1) + ", this server reads "
                            + STORE_VERSION + "; use a new --db file");
            }
            s.execute("SET wal_autocheckpoint = '128MB'");
            s.execute("CREATE TABLE IF NOT EXISTS events (" + columns(EVENT_COLUMNS, true)
                    + ", ts TIMESTAMP, ingested_at TIMESTAMP)");
            s.execute(PROCESSES_DDL);
            s.execute("CREATE TABLE IF NOT EXISTS alerts (" + columns(ALERT_COLUMNS, true)
                    + ", ts TIMESTAMP, ingested_at TIMESTAMP, PRIMARY KEY (id))");
            s.execute("CREATE TEMP TABLE IF NOT EXISTS stage_alerts (" + columns(ALERT_COLUMNS, true) + ")");
            // From here on SQL can touch nothing but this database, and nobody can undo that.
            s.execute("SET enable_external_access = false");
            s.execute("SET lock_configuration = true");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        EventStore store = new EventStore(file, c);
        store.loadIndex();
        return store;
    }

    /**
     * Rebuilds the (sensor, seq) index from the stored events: one interval per run of consecutive seqs. A
     * hash aggregate finds the sensors without gaps (the usual case, one interval each); only sensors with gaps
     * pay for the sorted gaps-and-islands query.
     */
    private void loadIndex() throws SQLException {
        List<String> gapped = new ArrayList<>();
        try (Statement s = writer.createStatement(); ResultSet r = s.executeQuery(
                "SELECT sensor, min(seq), max(seq), count(*) FROM events GROUP BY sensor")) {
            while (r.next()) {
                long lo = r.getLong(2), hi = r.getLong(3), n = r.getLong(4);
                if (hi - lo + 1 == n) index.add(r.getString(1), lo, hi);
                else gapped.add(r.getString(1));
            }
        }
        if (!gapped.isEmpty()) {
            try (java.sql.PreparedStatement ps = writer.prepareStatement(
                    "SELECT sensor, min(seq), max(seq) FROM (SELECT sensor, seq, seq - row_number() OVER "
                            + "(PARTITION BY sensor ORDER BY seq) AS grp FROM events WHERE sensor = ?) GROUP BY sensor, grp")) {
                for (String sensor : gapped) {
                    ps.setString(1, sensor);
                    try (ResultSet r = ps.executeQuery()) {
                        while (r.next()) index.add(r.getString(1), r.getLong(2), r.getLong(3));
                    }
                }
            }
        }
        try (Statement s = writer.createStatement(); ResultSet r = s.executeQuery(
                "SELECT sensor, pid, start_ns, exe_sha256 FROM processes")) {
            while (r.next()) processKeys.add(processKey(r.getString(1), r.getInt(2), r.getLong(3), r.getString(4)));
        }
    }

    private static String columns(String[][] cols, boolean types) {
        StringBuilder sb = new StringBuilder();
        for (String[] col : cols) {
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(col[0]);
            if (types) sb.append(' ').append(col[1]);
        }
        return sb.toString();
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /**
     * Inserts a batch; events whose (sensor, seq) is already stored, or repeated in the batch, are skipped and
     * counted. Events are appended on a connection of their own, so concurrent batches are written in parallel;
     * their ids are reserved in the index first and released if the write fails.
     */
    public InsertResult insert(List<EventRow> events, List<AlertRow> alerts) throws SQLException {
        long ev = 0;
        if (!events.isEmpty()) {
            List<EventRow> fresh = new ArrayList<>(events.size());
            List<EventRow> newProcesses = new ArrayList<>();
            List<String> newKeys = new ArrayList<>();
            synchronized (index) {
                for (EventRow r : events) {
                    if (index.contains(r.sensor(), r.seq())) continue;
                    index.add(r.sensor(), r.seq());
                    fresh.add(r);
                    if (r.pid() != null) {
                        String key = processKey(r);
                        if (processKeys.add(key)) {
                            newKeys.add(key);
                            newProcesses.add(r);
                        }
                    }
                }
            }
            try {
                appendEvents(fresh, newProcesses);
            } catch (SQLException | RuntimeException e) {
                synchronized (index) {
                    for (EventRow r : fresh) index.remove(r.sensor(), r.seq());
                    newKeys.forEach(processKeys::remove);
                }
                throw e;
            }
            ev = fresh.size();
        }
        long al = alerts.isEmpty() ? 0 : insertAlerts(alerts);
        return new InsertResult(ev, events.size() - ev, al, alerts.size() - al);
    }

    private static String processKey(EventRow r) {
        return processKey(r.sensor(), r.pid(), r.procStartNs() == null ? 0 : r.procStartNs(), r.exeSha256());
    }

    private static String processKey(String sensor, int pid, long startNs, String sha) {
        return sensor + '\0' + pid + '\0' + startNs + '\0' + (sha == null ? "" : sha);
    }

    private void appendEvents(List<EventRow> rows, List<EventRow> newProcesses) throws SQLException {
        if (rows.isEmpty()) return;
        DuckDBConnection c = appenders.poll();
        if (c == null) c = (DuckDBConnection) writer.duplicate();
        boolean ok = false;
        try {
            c.setAutoCommit(false);
            long now = Math.multiplyExact(System.currentTimeMillis(), 1000L);
            try (DuckDBAppender a = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
                for (EventRow r : rows) appendEvent(a, r, now);
            }
            if (!newProcesses.isEmpty()) {
                try (DuckDBAppender a = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "processes")) {
                    for (EventRow r : newProcesses) {
                        a.beginRow();
                        str(a, r.sensor()); a.append(r.pid().intValue());
                        a.append(r.procStartNs() == null ? 0L : r.procStartNs().longValue());
                        i32(a, r.ppid()); str(a, r.workload()); str(a, r.containerId()); str(a, r.procName());
                        str(a, r.exePath()); str(a, r.exeSha256()); str(a, r.cmdline()); str(a, r.parentName());
                        a.append(r.timeNs()); a.appendEpochMicros(Math.floorDiv(r.timeNs(), 1000L)); str(a, r.id());
                        a.endRow();
                    }
                }
            }
            c.commit();
            ok = true;
        } finally {
            if (!ok) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is discarded below
                }
                c.close();
            } else {
                appenders.offer(c);
            }
        }
    }

    private synchronized long insertAlerts(List<AlertRow> alerts) throws SQLException {
        writer.setAutoCommit(false);
        try {
            long al;
            try (DuckDBAppender a = writer.createAppender("temp", "main", "stage_alerts")) {
                for (AlertRow r : alerts) appendAlert(a, r);
            }
            try (Statement s = writer.createStatement()) {
                al = s.executeUpdate("INSERT OR IGNORE INTO alerts SELECT " + columns(ALERT_COLUMNS, false)
                        + ", make_timestamp(time_ns // 1000), now() FROM temp.main.stage_alerts");
                s.execute("DELETE FROM temp.main.stage_alerts");
            }
            writer.commit();
            return al;
        } catch (SQLException | RuntimeException e) {
            try {
                writer.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            writer.setAutoCommit(true);
        }
    }

    /** DDL of a table with the events layout: the typed columns, raw, ts and ingested_at (no constraints). */
    public static String eventsTableDdl(String name) {
        return "CREATE TABLE " + name + " (" + columns(EVENT_COLUMNS, true) + ", ts TIMESTAMP, ingested_at TIMESTAMP)";
    }

    /** DDL of a table with the alert columns (no ts, no ingested_at, no constraints). */
    public static String alertsStageDdl(String name) {
        return "CREATE TABLE " + name + " (" + columns(ALERT_COLUMNS, true) + ")";
    }

    /** Appends one event in the {@link #eventsTableDdl} layout. */
    public static void appendEventRow(DuckDBAppender a, EventRow r, long nowMicros) throws SQLException {
        appendEvent(a, r, nowMicros);
    }

    /** Appends one alert in the {@link #alertsStageDdl} layout. */
    public static void appendAlertRow(DuckDBAppender a, AlertRow r) throws SQLException {
        appendAlert(a, r);
    }

    private static void appendEvent(DuckDBAppender a, EventRow r, long nowMicros) throws SQLException {
        a.beginRow();
        str(a, r.id()); a.append(r.schema()); str(a, r.sensor()); a.append(r.seq()); a.append(r.timeNs());
        str(a, r.kind()); str(a, r.evtType()); str(a, r.syscall()); str(a, r.workload()); str(a, r.containerId());
        str(a, r.image()); str(a, r.project()); str(a, r.environment());
        i32(a, r.pid()); i32(a, r.tid()); i32(a, r.ppid()); str(a, r.procName()); str(a, r.exePath());
        str(a, r.exeSha256()); str(a, r.cmdline()); str(a, r.cwd()); i32(a, r.uid()); i64(a, r.procStartNs());
        str(a, r.parentName()); str(a, r.parentExe()); str(a, r.path()); str(a, r.target()); str(a, r.protocol());
        str(a, r.remoteAddress()); i32(a, r.remotePort()); str(a, r.localAddress()); i32(a, r.localPort());
        list(a, r.remoteNames()); list(a, r.dnsNames()); list(a, r.dnsAnswers()); list(a, r.domains()); i32(a, r.rcode());
        i64(a, r.res()); i32(a, r.childPid()); i32(a, r.targetPid()); a.append(r.raw());
        a.appendEpochMicros(Math.floorDiv(r.timeNs(), 1000L));
        a.appendEpochMicros(nowMicros);
        a.endRow();
    }

    private static void appendAlert(DuckDBAppender a, AlertRow r) throws SQLException {
        a.beginRow();
        str(a, r.id()); a.append(r.timeNs()); str(a, r.time()); str(a, r.rule()); str(a, r.priority());
        str(a, r.output()); str(a, r.source()); str(a, r.hostname()); list(a, r.tags()); str(a, r.containerId());
        i32(a, r.pid()); str(a, r.procName()); str(a, r.eventId()); str(a, r.outputFields()); str(a, r.raw());
        a.endRow();
    }

    private static void str(DuckDBAppender a, String v) throws SQLException {
        if (v == null) a.appendNull(); else a.append(v);
    }

    private static void i32(DuckDBAppender a, Integer v) throws SQLException {
        if (v == null) a.appendNull(); else a.append(v.intValue());
    }

    private static void i64(DuckDBAppender a, Long v) throws SQLException {
        if (v == null) a.appendNull(); else a.append(v.longValue());
    }

    private static void list(DuckDBAppender a, Collection<String> v) throws SQLException {
        if (v == null) a.appendNull(); else a.append(v);
    }

    /**
     * A new connection to the same database for one reader; the caller closes it. Reads happen inside
     * {@code BEGIN TRANSACTION READ ONLY}, see {@code QueryService}.
     */
    public Connection readConnection() throws SQLException {
        return writer.duplicate();
    }

    /** Row counts of the two tables. */
    public long[] counts() throws SQLException {
        try (Connection c = readConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM alerts)")) {
            r.next();
            return new long[] {r.getLong(1), r.getLong(2)};
        }
    }

    /** Writes everything to the database file (DuckDB CHECKPOINT) and closes. */
    @Override public synchronized void close() throws SQLException {
        if (writer.isClosed()) return;
        for (DuckDBConnection c; (c = appenders.poll()) != null; ) c.close();
        try (Statement s = writer.createStatement()) {
            s.execute("CHECKPOINT");
        } finally {
            writer.close();
        }
    }
}
