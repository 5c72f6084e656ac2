package dev.vigil.hunt.store;

import dev.vigil.event.ProcessInfo;
import dev.vigil.hunt.TestEvents;
import dev.vigil.hunt.ingest.EventRow;
import dev.vigil.hunt.ingest.IngestParser;
import dev.vigil.hunt.ingest.ParsedBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventStoreTest {
    private static final IngestParser PARSER = new IngestParser(1 << 20);

    @TempDir Path dir;

    /** Events of every kind, with short (inlined) and long strings, non-ASCII text, lists and nulls. */
    private static List<EventRow> events(TestEvents ev, int n) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < n; i++) {
            ProcessInfo p = TestEvents.proc(100 + i % 37, 1, i % 5 == 0 ? "sh" : "wörker-" + i % 3,
                    "/usr/local/bin/a-rather-long-executable-name-" + i % 3,
                    List.of("w", "--name=日本語-" + i, "x".repeat(i % 40)));
            body.append(switch (i % 5) {
                case 0 -> ev.line(ev.exec(p));
                case 1 -> ev.line(ev.open(p, i % 2 == 0 ? "/a" : "/var/lib/data/ünïcode/file-" + i));
                case 2 -> ev.line(ev.connect(p, "10.0." + i % 256 + ".1", 443, i % 4 == 0 ? List.of() : List.of("h" + i + ".example.com", "x.io")));
                case 3 -> ev.line(ev.dnsQuery(p, "q" + i + ".sub.example.org"));
                default -> ev.line(ev.dnsAnswer(p, "a" + i + ".example.net", "192.0.2." + i % 250));
            }).append('\n');
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        ParsedBatch b = PARSER.parse(bytes, bytes.length);
        assertThat(b.refused()).isEmpty();
        return b.events();
    }

    private static long count(EventStore store, String sql) throws Exception {
        try (Connection c = store.readConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test void every_column_reads_back_as_it_was_parsed() throws Exception {
        List<EventRow> rows = events(new TestEvents("s1", "web"), 5000);
        try (EventStore store = EventStore.open(dir.resolve("t.duckdb"), "512MB", 2)) {
            for (int i = 0; i < rows.size(); i += 700)
                assertThat(store.insert(rows.subList(i, Math.min(rows.size(), i + 700)), List.of()).eventsInserted())
                        .isEqualTo(Math.min(700, rows.size() - i));
            List<String> columns = new ArrayList<>();
            for (String[] col : EventStore.EVENT_COLUMNS) columns.add(col[0]);
            RecordComponent[] parts = EventRow.class.getRecordComponents();
            assertThat(parts).hasSize(columns.size());
            try (Connection c = store.readConnection(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT " + String.join(", ", columns)
                         + ", epoch_us(ts), ingested_at IS NOT NULL FROM events ORDER BY seq")) {
                int n = 0;
                while (r.next()) {
                    EventRow want = rows.get(n++);
                    for (int i = 0; i < parts.length; i++) {
                        Object expected = parts[i].getAccessor().invoke(want);
                        Object got = r.getObject(i + 1);
                        if (got instanceof Array a) got = Arrays.asList((Object[]) a.getArray());
                        if (expected instanceof byte[] raw) expected = new String(raw, StandardCharsets.UTF_8);
                        if (expected instanceof Integer || expected instanceof Long) expected = ((Number) expected).longValue();
                        if (got instanceof Integer || got instanceof Long) got = ((Number) got).longValue();
                        assertThat(got).as("row %d column %s", n, columns.get(i)).isEqualTo(expected);
                    }
                    assertThat(r.getLong(parts.length + 1)).isEqualTo(Math.floorDiv(want.timeNs(), 1000L));
                    assertThat(r.getBoolean(parts.length + 2)).isTrue();
                }
                assertThat(n).isEqualTo(rows.size());
            }
            assertThat(count(store, "SELECT count(*) FROM processes")).isEqualTo(
                    rows.stream().map(e -> e.pid() + "/" + e.procStartNs() + "/" + e.exeSha256()).distinct().count());
        }
    }

    @Test void accepted_events_survive_a_crash_before_their_commit() throws Exception {
        Path db = dir.resolve("c.duckdb");
        TestEvents ev = new TestEvents("s1", "web");
        List<EventRow> first = events(ev, 500), second = events(ev, 700);
        EventStore store = EventStore.open(db, "512MB", 2, Duration.ofHours(1));
        store.insert(first, List.of());
        assertThat(count(store, "SELECT count(*) FROM events")).isEqualTo(500); // the read commits what was accepted
        store.insert(second, List.of());
        assertThat(store.stats()).containsEntry("store.events_committed", 500L);
        store.crash();
        assertThat(Files.list(EventStore.journalDir(db))).isNotEmpty();

        try (EventStore again = EventStore.open(db, "512MB", 2)) {
            assertThat(count(again, "SELECT count(*) FROM events")).isEqualTo(1200);
            assertThat(count(again, "SELECT count(DISTINCT id) FROM events")).isEqualTo(1200);
            assertThat(again.stats().get("journal.records_replayed")).isPositive();
            assertThat(again.stats()).containsEntry("journal.records_damaged", 0L);
            // Re-sent after the crash (the sender never heard back): all duplicates.
            assertThat(again.insert(second, List.of()).eventsDuplicate()).isEqualTo(700);
        }
        try (EventStore third = EventStore.open(db, "512MB", 2)) {
            assertThat(count(third, "SELECT count(*) FROM events")).isEqualTo(1200);
            assertThat(third.stats()).containsEntry("journal.records_replayed", 0L); // closed cleanly: nothing left
        }
    }

    @Test void a_torn_journal_tail_is_reported_and_the_records_before_it_kept() throws Exception {
        Path db = dir.resolve("j.duckdb");
        TestEvents ev = new TestEvents("s1", "web");
        EventStore store = EventStore.open(db, "512MB", 2, Duration.ofHours(1));
        store.insert(events(ev, 300), List.of());
        store.insert(events(ev, 300), List.of());
        store.crash();
        try (var files = Files.list(EventStore.journalDir(db))) {
            Path last = files.sorted().reduce((a, b) -> b).orElseThrow();
            Files.write(last, new byte[] {0x56, 0x52, 0x4A, 0x31, 0x7F, 0, 0, 0, 1, 2}, StandardOpenOption.APPEND);
        }
        try (EventStore again = EventStore.open(db, "512MB", 2)) {
            assertThat(count(again, "SELECT count(*) FROM events")).isEqualTo(600);
            assertThat(again.stats()).containsEntry("journal.records_damaged", 1L);
        }
    }

    @Test void after_a_failed_write_the_writer_replays_the_journal_and_loses_nothing() throws Exception {
        TestEvents ev = new TestEvents("s1", "web");
        try (EventStore store = EventStore.open(dir.resolve("f.duckdb"), "512MB", 2, Duration.ofHours(1))) {
            store.insert(events(ev, 500), List.of());
            store.failNextAppend();
            store.insert(events(ev, 700), List.of());
            // The failure rolled back the first batch's open transaction too; the journal brings both back.
            assertThat(count(store, "SELECT count(*) FROM events")).isEqualTo(1200);
            assertThat(count(store, "SELECT count(DISTINCT id) FROM events")).isEqualTo(1200);
            assertThat(store.stats().get("store.write_errors")).isEqualTo(1L);
            assertThat(store.insert(events(ev, 300), List.of()).eventsInserted()).isEqualTo(300);
            assertThat(count(store, "SELECT count(*) FROM events")).isEqualTo(1500);
        }
    }
}
