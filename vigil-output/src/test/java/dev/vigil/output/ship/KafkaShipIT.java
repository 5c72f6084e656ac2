package dev.vigil.output.ship;

import dev.vigil.event.Ancestor;
import dev.vigil.event.Event;
import dev.vigil.event.EventHeader;
import dev.vigil.event.FileOp;
import dev.vigil.event.ProcessInfo;
import dev.vigil.event.Workload;
import dev.vigil.hunt.ingest.KafkaParquetConsumer;
import dev.vigil.output.spool.v1.SpoolOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Shipper to a real KRaft broker, and the hunt consumer writing Parquet partitioned by day and workload. */
class KafkaShipIT {
    @TempDir Path dir;

    private static Event event(String workload, long seq, long timeNs) {
        Workload w = new Workload(workload, "ctr-" + workload, null, "img", "1", null, null, null, null);
        ProcessInfo p = new ProcessInfo(7, 7, 1, "app", "/app", List.of("app"), false, "/", 0, 0, 0, 0, 1, 1, -1, null, 1L,
                List.of(new Ancestor(1, "init", "/init", List.of("init"))));
        return new FileOp(new EventHeader(1, seq, timeNs, "sensor-k", w), p, "openat", FileOp.Op.OPEN, "/f" + seq, null,
                0, 0, -1, -1, 3, 3);
    }

    @Test void events_shipped_to_kafka_land_in_parquet_partitioned_by_day_and_workload() throws Exception {
        Files.createDirectories(dir.resolve("kafka"));
        try (KafkaTestBroker broker = KafkaTestBroker.start(dir.resolve("kafka"))) {
            String topic = KafkaTestBroker.newTopic();
            long day1 = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z
            long day2 = day1 + 86_400_000_000_000L;
            int n = 600;
            try (EventShipper ship = EventShipper.open(URI.create("kafka://" + broker.bootstrap() + "/" + topic),
                    dir.resolve("spool"), ShipperOptions.withToken(null).withMaxBatchEvents(250)
                            .withRequestTimeout(Duration.ofSeconds(30))
                            .withSpool(new SpoolOptions(16 << 20, 1 << 20, SpoolOptions.Fsync.NEVER, 0)))) {
                for (int i = 0; i < n; i++)
                    ship.accept(event(i % 3 == 0 ? "web/api" : "batch", i, (i < n / 2 ? day1 : day2) + i));
                ship.acceptAlert("{\"time\":\"2026-01-02T03:04:05Z\",\"rule\":\"R\",\"priority\":\"Error\",\"output\":\"o\"}");
                assertThat(ship.flush(Duration.ofSeconds(60))).as(ship.counters().toString()).isTrue();
                assertThat(ship.counters().shipped()).isEqualTo(n + 1);
                assertThat(ship.counters().dropped()).isZero();
            }
            Path out = dir.resolve("parquet");
            try (KafkaParquetConsumer c = KafkaParquetConsumer.start(broker.bootstrap(), topic, "hunt-test", out, Map.of())) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (c.counters().get("records") < n + 1 && System.nanoTime() < deadline) Thread.sleep(50);
                assertThat(c.counters().get("records")).as(c.counters().toString()).isEqualTo(n + 1);
                assertThat(c.counters().get("refused")).isZero();
            }
            List<String> dirs = new ArrayList<>();
            try (Stream<Path> s = Files.walk(out)) {
                s.filter(Files::isDirectory).forEach(d -> dirs.add(out.relativize(d).toString()));
            }
            assertThat(dirs).contains("v1/events/day=2026-01-01/workload=web_api", "v1/events/day=2026-01-01/workload=batch",
                    "v1/events/day=2026-01-02/workload=web_api", "v1/events/day=2026-01-02/workload=batch",
                    "v1/alerts/day=2026-01-02");
            try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
                String glob = "'" + out.resolve("v1/events") + "/**/*.parquet'";
                try (ResultSet r = st.executeQuery("SELECT count(*), count(DISTINCT id), count(DISTINCT day), "
                        + "count(*) FILTER (WHERE workload_name = 'web/api') FROM read_parquet(" + glob + ", hive_partitioning = true)")) {
                    r.next();
                    assertThat(r.getLong(1)).isEqualTo(n);
                    assertThat(r.getLong(2)).isEqualTo(n);
                    assertThat(r.getLong(3)).isEqualTo(2);
                    assertThat(r.getLong(4)).isEqualTo(n / 3);
                }
                try (ResultSet r = st.executeQuery("SELECT rule FROM read_parquet('" + out.resolve("v1/alerts") + "/**/*.parquet')")) {
                    r.next();
                    assertThat(r.getString(1)).isEqualTo("R");
                }
            }
        }
    }
}
