package dev.vigil.hunt.store;

import dev.vigil.hunt.ingest.AlertRow;
import dev.vigil.hunt.ingest.EventRow;
import dev.vigil.hunt.ingest.IngestParser;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

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
    static final String[][] PROCESS_COLUMNS = {
        {"sensor", "VARCHAR"}, {"pid", "INTEGER"}, {"start_ns", "BIGINT"}, {"ppid", "INTEGER"},
        {"workload", "VARCHAR"}, {"container_id", "VARCHAR"}, {"proc_name", "VARCHAR"}, {"exe_path", "VARCHAR"},
        {"exe_sha256", "VARCHAR"}, {"cmdline", "VARCHAR"}, {"parent_name", "VARCHAR"}, {"first_ns", "BIGINT"},
        {"first_ts", "TIMESTAMP"}, {"first_event_id", "VARCHAR"}};

    /** The duckdb_type ids of the events table (the typed columns, raw, ts, ingested_at), alerts and processes. */
    private static final int[] EVENT_TYPES = typeIds(EVENT_COLUMNS, "TIMESTAMP", "TIMESTAMP");
    private static final int[] ALERT_TYPES = typeIds(ALERT_COLUMNS);
    private static final int[] PROCESS_TYPES = typeIds(PROCESS_COLUMNS);

    /** Rows per DuckDB transaction at most: one row group, which DuckDB writes straight to the database file. */
    static final int COMMIT_ROWS = 122_880;
    /** Longest an accepted event waits to be committed, by default (queries and {@link #sync} do not wait for it). */
    static final Duration COMMIT_DELAY = Duration.ofSeconds(1);
    /** Accepted events not yet handed to DuckDB, at most; inserts wait for room beyond it. */
    static final int QUEUE_ROWS = 65_536;
    /** Longest an insert waits for room or for the journal, and a reader for {@link #sync}. */
    static final long WAIT_SECONDS = 30;
    static final long JOURNAL_SEGMENT_BYTES = 64L << 20;
    /** Longest event line read back from the journal (the server refuses longer ones at ingest anyway). */
    private static final int REPLAY_MAX_LINE = 64 << 20;
    private static final System.Logger LOG = System.getLogger(EventStore.class.getName());

    private final Path file;
    private final DuckDBConnection writer;
    private final SeqIndex index = new SeqIndex();
    private final Set<ProcessKey> processKeys = new HashSet<>();
    private final IngestJournal journal;

    /** Orders the acceptance of batches: dedupe, journal record and queue entry in one order. */
    private final ReentrantLock accepting = new ReentrantLock();
    private final Semaphore room = new Semaphore(QUEUE_ROWS);
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile IngestJournal.Position submitted = IngestJournal.Position.START;
    private volatile IngestJournal.Position committed = IngestJournal.Position.START;
    private volatile boolean closing;
    /** Tests: the writer's next append fails as a DuckDB error would. */
    private volatile boolean failNextAppend;
    /** Why the writer thread ended, when it ended on its own. */
    private volatile Throwable writerFailure;
    private final long commitDelayNanos;
    private Thread writerThread;

    // The open transaction, used by the writer thread only (and by open() before the thread starts).
    private DuckDBConnection txn;
    private DuckDBAppender eventAppender, processAppender;
    private ChunkAppender eventRows, processRows;
    private long txnRows;
    private long txnStartNanos;
    private IngestJournal.Position txnEnd = IngestJournal.Position.START;

    private final AtomicLong eventsCommitted = new AtomicLong(), commits = new AtomicLong(),
            writeErrors = new AtomicLong(), recordsReplayed = new AtomicLong(), recordsDamaged = new AtomicLong();

    /** Accepted events on their way to the writer: the journal position just past their record. */
    private record Batch(List<EventRow> events, List<EventRow> newProcesses, IngestJournal.Position end, int permits) {}

    /** Asks the writer to commit what it holds; {@code last} also ends the writer. */
    private record Sync(CompletableFuture<Void> done, boolean last) {}

    private EventStore(Path file, DuckDBConnection writer, IngestJournal journal, Duration commitDelay) {
        this.file = file;
        this.writer = writer;
        this.journal = journal;
        this.commitDelayNanos = commitDelay.toNanos();
    }

    /**
     * Opens (creating if needed) the database at {@code file}.
     *
     * @param memoryLimit DuckDB memory limit such as "1GB"
     * @param threads     DuckDB worker threads
     */
    public static EventStore open(Path file, String memoryLimit, int threads) throws SQLException {
        return open(file, memoryLimit, threads, COMMIT_DELAY);
    }

    /** As {@link #open(Path, String, int)}, committing accepted events at least every {@code commitDelay}. */
    static EventStore open(Path file, String memoryLimit, int threads, Duration commitDelay) throws SQLException {
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
            s.execute("CREATE TABLE IF NOT EXISTS processes (" + columns(PROCESS_COLUMNS, true) + ")");
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
        try {
            ChunkAppender.requireApi();
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        IngestJournal journal;
        try {
            journal = IngestJournal.open(journalDir(file), JOURNAL_SEGMENT_BYTES);
        } catch (java.io.IOException e) {
            c.close();
            throw new SQLException("cannot open the ingest journal beside " + file + ": " + e.getMessage(), e);
        }
        EventStore store = new EventStore(file, c, journal, commitDelay);
        try {
            store.loadIndex();
            store.replay(IngestJournal.Position.START);
        } catch (SQLException | RuntimeException e) {
            store.abandon();
            try {
                journal.close(false);
            } catch (java.io.IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            c.close();
            throw e;
        }
        store.writerThread = Thread.ofPlatform().name("vigil-hunt-store").daemon().start(store::runWriter);
        return store;
    }

    /**
     * Rebuilds the (sensor, seq) index from the stored events: one interval per run of consecutive seqs. A
     * hash aggregate finds the sensors without gaps (the usual case, one interval each); only sensors with gaps
     * pay for the sorted gaps-and-islands query.
     */
    private void loadIndex() throws SQLException {
        SeqIndex seqs = new SeqIndex();
        Set<ProcessKey> keys = new HashSet<>();
        try (Connection c = writer.duplicate()) {
            loadIndex(c, seqs, keys);
        }
        synchronized (index) {
            index.replaceWith(seqs);
            processKeys.clear();
            processKeys.addAll(keys);
        }
    }

    private static void loadIndex(Connection writer, SeqIndex index, Set<ProcessKey> processKeys) throws SQLException {
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
            while (r.next()) processKeys.add(new ProcessKey(r.getString(1), r.getInt(2), r.getLong(3), r.getString(4)));
        }
    }

    private static int[] typeIds(String[][] cols, String... more) {
        int[] ids = new int[cols.length + more.length];
        for (int i = 0; i < ids.length; i++) {
            String sql = i < cols.length ? cols[i][1] : more[i - cols.length];
            ids[i] = sql.endsWith("[]") ? ChunkAppender.LIST : switch (sql.split(" ")[0]) {
                case "VARCHAR" -> ChunkAppender.VARCHAR;
                case "INTEGER" -> ChunkAppender.INTEGER;
                case "BIGINT" -> ChunkAppender.BIGINT;
                case "TIMESTAMP" -> ChunkAppender.TIMESTAMP;
                default -> throw new IllegalArgumentException("no writer for column type " + sql);
            };
        }
        return ids;
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
     * Accepts a batch; events whose (sensor, seq) is already stored, or repeated in the batch, are skipped and
     * counted. The new events are written to the journal and forced to disk before this returns, then
     * committed to DuckDB by the writer thread in large transactions; readers see them after {@link #sync}
     * (which {@link #readConnection} does). Waits up to {@link #WAIT_SECONDS} for room when the writer is
     * behind, then fails: the caller answers "retry later" and the sender keeps the batch.
     */
    public InsertResult insert(List<EventRow> events, List<AlertRow> alerts) throws SQLException {
        long ev = events.isEmpty() ? 0 : accept(events);
        long al = alerts.isEmpty() ? 0 : insertAlerts(alerts);
        return new InsertResult(ev, events.size() - ev, al, alerts.size() - al);
    }

    private long accept(List<EventRow> events) throws SQLException {
        int permits = Math.min(events.size(), QUEUE_ROWS);
        try {
            if (!room.tryAcquire(permits, WAIT_SECONDS, TimeUnit.SECONDS))
                throw new SQLException("the store is " + QUEUE_ROWS + " events behind; retry later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the store", e);
        }
        boolean queued = false;
        try {
            IngestJournal.Position end;
            List<EventRow> fresh = new ArrayList<>(events.size());
            try {
                if (!accepting.tryLock(WAIT_SECONDS, TimeUnit.SECONDS))
                    throw new SQLException("the store is recovering from a write error; retry later");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for the store", e);
            }
            try {
                if (closing) throw new SQLException("the store is closing");
                if (writerFailure != null) throw new SQLException("the store's writer stopped: " + writerFailure);
                List<EventRow> newProcesses = new ArrayList<>();
                List<ProcessKey> newKeys = new ArrayList<>();
                reserve(events, fresh, newProcesses, newKeys);
                if (fresh.isEmpty()) return 0;
                try {
                    byte[] record = lines(fresh);
                    end = journal.append(record, record.length);
                } catch (java.io.IOException | RuntimeException e) {
                    unreserve(fresh, newKeys);
                    throw new SQLException("cannot write the ingest journal: " + e.getMessage(), e);
                }
                queue.add(new Batch(fresh, newProcesses, end, permits));
                queued = true;
                submitted = end;
            } finally {
                accepting.unlock();
            }
            try {
                journal.sync(end);
            } catch (java.io.IOException e) {
                // Queued, so stored unless the server dies first; the sender retries and finds it duplicate.
                throw new SQLException("cannot force the ingest journal to disk: " + e.getMessage(), e);
            }
            return fresh.size();
        } finally {
            if (!queued) room.release(permits);
        }
    }

    /** Keeps the events not stored yet and reserves them; notes the processes seen for the first time. */
    private void reserve(List<EventRow> events, List<EventRow> fresh, List<EventRow> newProcesses, List<ProcessKey> newKeys) {
        synchronized (index) {
            int n = events.size();
            for (int i = 0; i < n; ) {
                // A sensor numbers its events without gaps, so a batch is mostly one run of consecutive seqs:
                // a run that is wholly new is checked and reserved as one interval.
                EventRow first = events.get(i);
                int j = i + 1;
                while (j < n && events.get(j).seq() == first.seq() + (j - i) && events.get(j).sensor().equals(first.sensor())) j++;
                long last = first.seq() + (j - i - 1);
                boolean wholeRunNew = j - i > 1 && !index.intersects(first.sensor(), first.seq(), last);
                if (wholeRunNew) index.add(first.sensor(), first.seq(), last);
                for (int k = i; k < j; k++) {
                    EventRow r = events.get(k);
                    if (!wholeRunNew) {
                        if (index.contains(r.sensor(), r.seq())) continue;
                        index.add(r.sensor(), r.seq());
                    }
                    fresh.add(r);
                    if (r.pid() != null) {
                        ProcessKey key = processKey(r);
                        if (processKeys.add(key)) {
                            newKeys.add(key);
                            newProcesses.add(r);
                        }
                    }
                }
                i = j;
            }
        }
    }

    private void unreserve(List<EventRow> fresh, List<ProcessKey> newKeys) {
        synchronized (index) {
            for (EventRow r : fresh) index.remove(r.sensor(), r.seq());
            newKeys.forEach(processKeys::remove);
        }
    }

    /** The events' raw lines as one NDJSON record. */
    private static byte[] lines(List<EventRow> rows) {
        int n = 0;
        for (EventRow r : rows) n += r.raw().length + 1;
        byte[] out = new byte[n];
        int at = 0;
        for (EventRow r : rows) {
            System.arraycopy(r.raw(), 0, out, at, r.raw().length);
            at += r.raw().length;
            out[at++] = '\n';
        }
        return out;
    }

    /** One process image: what a {@code processes} row stands for. */
    private record ProcessKey(String sensor, int pid, long startNs, String sha) {}

    private static ProcessKey processKey(EventRow r) {
        return new ProcessKey(r.sensor(), r.pid(), r.procStartNs() == null ? 0 : r.procStartNs(), r.exeSha256());
    }

    /**
     * Waits until every event accepted before the call is committed, so a reader sees it. Returns at once
     * when nothing is pending.
     */
    public void sync() throws SQLException {
        if (closing || committed.compareTo(submitted) >= 0) return;
        Sync s = new Sync(new CompletableFuture<>(), false);
        queue.add(s);
        try {
            s.done().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the store", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new SQLException("the store could not commit: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new SQLException("the store did not commit within " + WAIT_SECONDS + " s");
        }
    }

    // ------------------------------------------------------------------------------------------ the writer

    /**
     * The writer thread: appends queued batches to the open transaction and commits at {@link #COMMIT_ROWS}
     * rows, the commit delay after the first uncommitted row, or when asked ({@link #sync}). A
     * failed append or commit is rolled back, and what was not committed is read again from the journal.
     */
    private void runWriter() {
        try {
            writeUntilClosed();
        } catch (Throwable t) {
            writerFailure = t;
            LOG.log(System.Logger.Level.ERROR, "the store's writer stopped; inserts are refused, and what it did not commit waits in the journal for the next start", t);
            for (Object o; (o = queue.poll()) != null; )
                if (o instanceof Sync s) s.done().completeExceptionally(t);
            throw t;
        }
    }

    private void writeUntilClosed() {
        while (true) {
            Object item = null;
            try {
                long waitNanos = txnRows == 0 ? TimeUnit.SECONDS.toNanos(60)
                        : txnStartNanos + commitDelayNanos - System.nanoTime();
                item = waitNanos <= 0 ? queue.poll() : queue.poll(waitNanos, TimeUnit.NANOSECONDS);
                if (item instanceof Batch b) {
                    try {
                        appendBatch(b.events(), b.newProcesses(), b.end());
                    } finally {
                        room.release(b.permits());
                    }
                } else if (item instanceof Sync s) {
                    commit();
                    s.done().complete(null);
                    if (s.last()) return;
                } else if (txnRows > 0 && System.nanoTime() - txnStartNanos >= commitDelayNanos) {
                    commit();
                }
            } catch (InterruptedException e) {
                if (closing) return;
            } catch (SQLException | RuntimeException e) {
                writeErrors.incrementAndGet();
                LOG.log(System.Logger.Level.WARNING, "store write failed, rolling back and reading the journal again: "
                        + e.getMessage());
                rollback();
                if (item instanceof Sync s && s.last()) {
                    s.done().completeExceptionally(e);
                    return;
                }
                List<Sync> waiting = new ArrayList<>();
                if (item instanceof Sync s) waiting.add(s);
                recover(waiting);
                if (closing && waiting.stream().anyMatch(Sync::last)) return;
            }
        }
    }

    /**
     * Starts over from the last commit: drops the queue, rebuilds the index from the database and replays the
     * journal from there. Retries with growing pauses (0.5 s to 30 s) until it works or the store closes;
     * inserts wait meanwhile.
     */
    private void recover(List<Sync> waiting) {
        for (long backoffMillis = 500; ; backoffMillis = Math.min(backoffMillis * 2, 30_000)) {
            try {
                Thread.sleep(backoffMillis);
            } catch (InterruptedException e) {
                if (closing) break;
            }
            accepting.lock();
            try {
                for (Object o; (o = queue.poll()) != null; ) {
                    if (o instanceof Batch b) room.release(b.permits());
                    else waiting.add((Sync) o);
                }
                loadIndex();
                replay(committed);
                for (Sync s : waiting) s.done().complete(null);
                return;
            } catch (SQLException | RuntimeException e) {
                writeErrors.incrementAndGet();
                rollback();
                LOG.log(System.Logger.Level.WARNING, "store recovery failed, retrying in "
                        + Math.min(backoffMillis * 2, 30_000) + " ms: " + e.getMessage());
                if (closing) break;
            } finally {
                accepting.unlock();
            }
        }
        SQLException gone = new SQLException("the store closed while recovering from a write error");
        for (Sync s : waiting) s.done().completeExceptionally(gone);
    }

    /**
     * Appends the journal's records after {@code from} (skipping events already stored) and commits them.
     * Damaged records are reported and skipped with the rest of their segment.
     */
    private void replay(IngestJournal.Position from) throws SQLException {
        List<IngestJournal.Damage> damage = new ArrayList<>();
        IngestParser parser = new IngestParser(REPLAY_MAX_LINE);
        IngestJournal.Position[] last = {null};
        try {
            journal.readFrom(from, damage, e -> {
                List<EventRow> fresh = new ArrayList<>();
                List<EventRow> newProcesses = new ArrayList<>();
                reserve(parser.parse(e.payload(), e.payload().length).events(), fresh, newProcesses, new ArrayList<>());
                appendBatch(fresh, newProcesses, e.end());
                recordsReplayed.incrementAndGet();
                last[0] = e.end();
            });
        } catch (java.io.IOException e) {
            throw new SQLException("cannot read the ingest journal in " + journal.dir() + ": " + e.getMessage(), e);
        }
        for (IngestJournal.Damage d : damage) {
            recordsDamaged.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING, "ingest journal " + d.segment() + " at byte " + d.offset() + ": "
                    + d.reason() + "; the rest of that segment is skipped");
        }
        commit();
        if (last[0] != null && submitted.compareTo(last[0]) < 0) submitted = last[0];
    }

    /**
     * Appends one accepted batch, committing each time the transaction holds a whole row group: a batch that
     * crosses the boundary is split, so every large commit is exactly {@link #COMMIT_ROWS} rows (DuckDB writes
     * them as one row group, where a few rows more would leave a tiny row group behind at every commit). The
     * journal position moves past the batch only with its last part.
     */
    private void appendBatch(List<EventRow> events, List<EventRow> newProcesses, IngestJournal.Position end)
            throws SQLException {
        List<EventRow> rest = events;
        List<EventRow> processes = newProcesses;
        while (txnRows + rest.size() > COMMIT_ROWS) {
            int fits = (int) (COMMIT_ROWS - txnRows);
            append(rest.subList(0, fits), processes, txnEnd);
            processes = List.of();
            commit();
            rest = rest.subList(fits, rest.size());
        }
        append(rest, processes, end);
        if (txnRows >= COMMIT_ROWS) commit();
    }

    /** Appends rows to the open transaction (begun when none is). */
    private void append(List<EventRow> events, List<EventRow> newProcesses, IngestJournal.Position end) throws SQLException {
        if (events.isEmpty()) {
            txnEnd = end;
            return;
        }
        if (eventRows == null) {
            if (txn == null) {
                txn = (DuckDBConnection) writer.duplicate();
                txn.setAutoCommit(false);
            }
            eventAppender = txn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events");
            eventRows = new ChunkAppender(eventAppender, EVENT_TYPES);
            txnStartNanos = System.nanoTime();
        }
        if (failNextAppend) {
            failNextAppend = false;
            throw new SQLException("injected write failure");
        }
        long now = Math.multiplyExact(System.currentTimeMillis(), 1000L);
        for (EventRow r : events) appendEvent(eventRows, r, now);
        if (!newProcesses.isEmpty()) {
            if (processRows == null) {
                processAppender = txn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "processes");
                processRows = new ChunkAppender(processAppender, PROCESS_TYPES);
            }
            for (EventRow r : newProcesses) appendProcess(processRows, r);
        }
        txnRows += events.size();
        txnEnd = end;
    }

    /** Commits the open transaction, if any, and frees the journal segments it covers. */
    private void commit() throws SQLException {
        if (eventRows != null) {
            eventRows.close();
            eventRows = null;
            eventAppender.close();
            eventAppender = null;
            if (processRows != null) {
                processRows.close();
                processRows = null;
                processAppender.close();
                processAppender = null;
            }
            txn.commit();
            eventsCommitted.addAndGet(txnRows);
            commits.incrementAndGet();
            txnRows = 0;
        }
        if (committed.compareTo(txnEnd) < 0) {
            committed = txnEnd;
            try {
                journal.release(committed);
            } catch (java.io.IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot delete committed journal segments in " + journal.dir()
                        + ": " + e.getMessage());
            }
        }
    }

    /** Drops the open transaction (its rows are still in the journal). */
    private void rollback() {
        if (eventRows != null) eventRows.discard();
        if (processRows != null) processRows.discard();
        for (AutoCloseable c : new AutoCloseable[] {eventAppender, processAppender}) {
            try {
                if (c != null) c.close();
            } catch (Exception ignored) {
                // being discarded
            }
        }
        eventRows = processRows = null;
        eventAppender = processAppender = null;
        txnRows = 0;
        txnEnd = committed;
        if (txn != null) {
            try {
                txn.rollback();
            } catch (SQLException e) {
                try {
                    txn.close();
                } catch (SQLException ignored) {
                    // a new connection is made for the next transaction
                }
                txn = null;
            }
        }
    }

    private synchronized long insertAlerts(List<AlertRow> alerts) throws SQLException {
        writer.setAutoCommit(false);
        try {
            long al;
            try (DuckDBAppender a = writer.createAppender("temp", "main", "stage_alerts")) {
                appendAlertRows(a, alerts);
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

    /** Appends events to a table in the {@link #eventsTableDdl} layout, through {@code a}'s C appender. */
    public static void appendEventRows(DuckDBAppender a, List<EventRow> rows, long nowMicros) throws SQLException {
        try (ChunkAppender w = new ChunkAppender(a, EVENT_TYPES)) {
            for (EventRow r : rows) appendEvent(w, r, nowMicros);
        }
    }

    /** Appends alerts to a table in the {@link #alertsStageDdl} layout, through {@code a}'s C appender. */
    public static void appendAlertRows(DuckDBAppender a, List<AlertRow> rows) throws SQLException {
        try (ChunkAppender w = new ChunkAppender(a, ALERT_TYPES)) {
            for (AlertRow r : rows) {
                w.beginRow();
                w.append(r.id()); w.append(r.timeNs()); w.append(r.time()); w.append(r.rule()); w.append(r.priority());
                w.append(r.output()); w.append(r.source()); w.append(r.hostname()); w.append(r.tags());
                w.append(r.containerId()); w.append(r.pid()); w.append(r.procName()); w.append(r.eventId());
                w.append(r.outputFields()); w.append(r.raw());
                w.endRow();
            }
        }
    }

    /** A {@code processes} row: the process image of the event that showed it first. */
    private static void appendProcess(ChunkAppender w, EventRow r) throws SQLException {
        w.beginRow();
        w.append(r.sensor()); w.append(r.pid().intValue());
        w.append(r.procStartNs() == null ? 0L : r.procStartNs().longValue());
        w.append(r.ppid()); w.append(r.workload()); w.append(r.containerId()); w.append(r.procName());
        w.append(r.exePath()); w.append(r.exeSha256()); w.append(r.cmdline()); w.append(r.parentName());
        w.append(r.timeNs()); w.appendEpochMicros(Math.floorDiv(r.timeNs(), 1000L)); w.append(r.id());
        w.endRow();
    }

    private static void appendEvent(ChunkAppender w, EventRow r, long nowMicros) throws SQLException {
        w.beginRow();
        w.append(r.id()); w.append(r.schema()); w.append(r.sensor()); w.append(r.seq()); w.append(r.timeNs());
        w.append(r.kind()); w.append(r.evtType()); w.append(r.syscall()); w.append(r.workload()); w.append(r.containerId());
        w.append(r.image()); w.append(r.project()); w.append(r.environment());
        w.append(r.pid()); w.append(r.tid()); w.append(r.ppid()); w.append(r.procName()); w.append(r.exePath());
        w.append(r.exeSha256()); w.append(r.cmdline()); w.append(r.cwd()); w.append(r.uid()); w.append(r.procStartNs());
        w.append(r.parentName()); w.append(r.parentExe()); w.append(r.path()); w.append(r.target()); w.append(r.protocol());
        w.append(r.remoteAddress()); w.append(r.remotePort()); w.append(r.localAddress()); w.append(r.localPort());
        w.append(r.remoteNames()); w.append(r.dnsNames()); w.append(r.dnsAnswers()); w.append(r.domains()); w.append(r.rcode());
        w.append(r.res()); w.append(r.childPid()); w.append(r.targetPid()); w.append(r.raw());
        w.appendEpochMicros(Math.floorDiv(r.timeNs(), 1000L));
        w.appendEpochMicros(nowMicros);
        w.endRow();
    }

    /**
     * A new connection to the same database for one reader; the caller closes it. Reads happen inside
     * {@code BEGIN TRANSACTION READ ONLY}, see {@code QueryService}.
     */
    public Connection readConnection() throws SQLException {
        sync();
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

    /** The writer's counters: events committed, commits, write errors, journal records replayed or damaged. */
    public Map<String, Long> stats() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("store.events_committed", eventsCommitted.get());
        out.put("store.commits", commits.get());
        out.put("store.write_errors", writeErrors.get());
        out.put("store.events_queued", (long) (QUEUE_ROWS - room.availablePermits()));
        out.put("journal.records_replayed", recordsReplayed.get());
        out.put("journal.records_damaged", recordsDamaged.get());
        return out;
    }

    /** The journal directory of a database file: {@code <file>.journal} beside it. */
    public static Path journalDir(Path db) {
        Path abs = db.toAbsolutePath();
        return abs.resolveSibling(abs.getFileName() + ".journal");
    }

    /**
     * Commits everything accepted, writes it to the database file (DuckDB CHECKPOINT), empties the journal and
     * closes. Inserts after this fail; a writer that cannot commit leaves its events in the journal for the
     * next start.
     */
    @Override public synchronized void close() throws SQLException {
        if (writer.isClosed()) return;
        Sync last = new Sync(new CompletableFuture<>(), true);
        accepting.lock();
        try {
            closing = true;
        } finally {
            accepting.unlock();
        }
        SQLException failure = null;
        if (writerThread != null && writerThread.isAlive()) {
            queue.add(last);
            try {
                last.done().get(WAIT_SECONDS * 2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new SQLException("interrupted while committing at close", e);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                failure = new SQLException("could not commit at close; the journal keeps the events for the next start: "
                        + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
                writerThread.interrupt();
            }
        }
        boolean allCommitted = failure == null && committed.compareTo(submitted) >= 0;
        try {
            abandon();
            try (Statement s = writer.createStatement()) {
                s.execute("CHECKPOINT");
            }
        } finally {
            writer.close();
            try {
                journal.close(allCommitted);
            } catch (java.io.IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot close the ingest journal: " + e.getMessage());
            }
        }
        if (failure != null) throw failure;
    }

    /** Makes the writer's next append fail (tests of the recovery). */
    void failNextAppend() {
        failNextAppend = true;
    }

    /**
     * Stops as a killed server would, for tests: the writer ends without committing, the connections close,
     * the journal stays for the next open.
     */
    void crash() throws SQLException, InterruptedException {
        closing = true;
        writerThread.interrupt();
        writerThread.join();
        abandon();
        try {
            journal.close(false);
        } catch (java.io.IOException e) {
            throw new SQLException(e);
        }
        writer.close();
    }

    /** Drops the open transaction and its connection without committing (close, and a failed open). */
    private void abandon() {
        rollback();
        if (txn != null) {
            try {
                txn.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
            txn = null;
        }
    }
}
