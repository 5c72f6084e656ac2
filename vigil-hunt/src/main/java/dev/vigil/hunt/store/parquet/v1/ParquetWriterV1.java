package dev.vigil.hunt.store.parquet.v1;

import dev.vigil.hunt.ingest.AlertRow;
import dev.vigil.hunt.ingest.EventRow;
import dev.vigil.hunt.store.EventStore;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Writes batches of rows as Parquet files partitioned by day and workload (layout in {@code package-info}),
 * through an in-memory DuckDB: rows are appended to a table, then {@code COPY ... (FORMAT parquet,
 * PARTITION_BY (day, workload), APPEND)} writes new files beside the old ones.
 */
public final class ParquetWriterV1 implements AutoCloseable {
    /** Layout version, the first directory under the root. */
    public static final String VERSION_DIR = "v1";
    private final DuckDBConnection db;
    private final Path events;
    private final Path alerts;

    private ParquetWriterV1(DuckDBConnection db, Path root) {
        this.db = db;
        this.events = root.resolve(VERSION_DIR).resolve("events");
        this.alerts = root.resolve(VERSION_DIR).resolve("alerts");
    }

    /** Opens a writer for files under {@code root} (created when absent). */
    public static ParquetWriterV1 open(Path root, String memoryLimit) throws IOException, SQLException {
        Files.createDirectories(root.resolve(VERSION_DIR).resolve("events"));
        Files.createDirectories(root.resolve(VERSION_DIR).resolve("alerts"));
        DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = c.createStatement()) {
            s.execute("SET memory_limit = '" + memoryLimit.replace("'", "") + "'");
            s.execute(EventStore.eventsTableDdl("ev"));
            s.execute(EventStore.alertsStageDdl("al"));
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new ParquetWriterV1(c, root);
    }

    /** The directory of the event files (a hive-partitioned dataset). */
    public Path eventsDir() {
        return events;
    }

    /** The directory of the alert files. */
    public Path alertsDir() {
        return alerts;
    }

    /** Writes one batch; returns when the files are complete on disk. */
    public void write(List<EventRow> eventRows, List<AlertRow> alertRows) throws SQLException {
        long now = Math.multiplyExact(System.currentTimeMillis(), 1000L);
        try (Statement s = db.createStatement()) {
            if (!eventRows.isEmpty()) {
                try (DuckDBAppender a = db.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "ev")) {
                    EventStore.appendEventRows(a, eventRows, now);
                }
                s.execute("COPY (SELECT * EXCLUDE (workload), workload AS workload_name, strftime(ts, '%Y-%m-%d') AS day, "
                        + "coalesce(regexp_replace(workload, '[^A-Za-z0-9._-]', '_', 'g'), '_unknown') AS workload FROM ev) "
                        + "TO " + literal(events) + " (FORMAT parquet, PARTITION_BY (day, workload), APPEND, "
                        + "FILENAME_PATTERN 'events_{uuid}')");
                s.execute("DELETE FROM ev");
            }
            if (!alertRows.isEmpty()) {
                try (DuckDBAppender a = db.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "al")) {
                    EventStore.appendAlertRows(a, alertRows);
                }
                s.execute("COPY (SELECT *, make_timestamp(time_ns // 1000) AS ts, "
                        + "strftime(make_timestamp(time_ns // 1000), '%Y-%m-%d') AS day FROM al) TO " + literal(alerts)
                        + " (FORMAT parquet, PARTITION_BY (day), APPEND, FILENAME_PATTERN 'alerts_{uuid}')");
                s.execute("DELETE FROM al");
            }
        }
    }

    private static String literal(Path p) {
        return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
    }

    @Override public void close() throws SQLException {
        db.close();
    }
}
