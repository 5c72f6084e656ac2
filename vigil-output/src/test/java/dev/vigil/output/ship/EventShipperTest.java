package dev.vigil.output.ship;

import dev.vigil.event.Ancestor;
import dev.vigil.event.Event;
import dev.vigil.event.EventHeader;
import dev.vigil.event.FileOp;
import dev.vigil.event.ProcessInfo;
import dev.vigil.event.Workload;
import dev.vigil.hunt.HuntConfig;
import dev.vigil.hunt.HuntServer;
import dev.vigil.output.spool.v1.SpoolOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventShipperTest {
    static final String TOKEN = "test-token-0123456789abcdef";
    @TempDir Path dir;
    HuntServer server;

    @AfterEach void stop() throws Exception {
        if (server != null) server.close();
    }

    private HuntServer startServer(int port) throws Exception {
        return HuntServer.start(HuntConfig.of(dir.resolve("hunt.duckdb")).withToken(TOKEN).withPort(port),
                new PrintStream(new ByteArrayOutputStream()));
    }

    private static Event event(long seq) {
        Workload w = new Workload("web", "ctr-web", null, "img", "1", null, null, null, null);
        ProcessInfo p = new ProcessInfo(100, 100, 1, "app", "/app", List.of("app", "--x"), false, "/", 0, 0, 0, 0, 1, 1,
                -1, null, 1L, List.of(new Ancestor(1, "init", "/init", List.of("init"))));
        return new FileOp(new EventHeader(1, seq, 1_767_000_000_000_000_000L + seq, "sensor-a", w), p, "openat",
                FileOp.Op.OPEN, "/data/f" + seq, null, 0, 0, -1, -1, 3, 3);
    }

    private long count(String sql) throws Exception {
        return ((Number) server.queries().trusted(sql, List.of(), 1).rows().getFirst().getFirst()).longValue();
    }

    private ShipperOptions options() {
        return ShipperOptions.withToken(TOKEN).withMaxBatchEvents(200)
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .withSpool(new SpoolOptions(16 << 20, 256 << 10, SpoolOptions.Fsync.INTERVAL, 100));
    }

    @Test void every_event_arrives_exactly_once_across_a_server_restart() throws Exception {
        server = startServer(0);
        int port = server.port();
        URI uri = server.uri();
        int n = 3000;
        try (EventShipper ship = EventShipper.open(uri, dir.resolve("spool"), options())) {
            for (int i = 0; i < n / 2; i++) ship.accept(event(i));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (ship.counters().shipped() < 500 && System.nanoTime() < deadline) Thread.sleep(5);
            server.close();
            server = null;
            long t0 = System.nanoTime();
            for (int i = n / 2; i < n; i++) ship.accept(event(i));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("accept must not wait on the network")
                    .isLessThan(Duration.ofSeconds(5));
            Thread.sleep(300); // some sends fail and are retried while the server is down
            server = startServer(port);
            assertThat(ship.flush(Duration.ofSeconds(30))).as(ship.counters().toString()).isTrue();
            ShipperCounters c = ship.counters();
            assertThat(c.seen()).isEqualTo(n);
            assertThat(c.spooled()).isEqualTo(n);
            assertThat(c.shipped()).isEqualTo(n);
            assertThat(c.dropped()).isZero();
            assertThat(c.corrupt()).isZero();
            assertThat(c.retries()).isPositive();
            assertThat(c.pendingBytes()).isZero();
        }
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(n);
        assertThat(count("SELECT count(DISTINCT id) FROM events")).isEqualTo(n);
        assertThat(count("SELECT max(seq) - min(seq) + 1 FROM events")).isEqualTo(n);
    }

    @Test void producers_on_many_threads_ship_every_event_once() throws Exception {
        server = startServer(0);
        int threads = 4, per = 500;
        try (EventShipper ship = EventShipper.open(server.uri(), dir.resolve("spool"), options())) {
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
                for (int t = 0; t < threads; t++) {
                    int base = t * per;
                    pool.submit(() -> {
                        for (int i = 0; i < per; i++) ship.accept(event(base + i));
                    });
                }
            }
            assertThat(ship.flush(Duration.ofSeconds(30))).as(ship.counters().toString()).isTrue();
            assertThat(ship.counters().shipped()).isEqualTo(threads * per);
            assertThat(ship.counters().dropped()).isZero();
        }
        assertThat(count("SELECT count(DISTINCT id) FROM events")).isEqualTo(threads * per);
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(threads * per);
    }

    @Test void a_restarted_shipper_resumes_from_the_spool() throws Exception {
        server = startServer(0);
        int port = server.port();
        URI uri = server.uri();
        server.close();
        server = null;
        try (EventShipper ship = EventShipper.open(uri, dir.resolve("spool"),
                options().withCloseTimeout(Duration.ofMillis(200)))) {
            for (int i = 0; i < 700; i++) ship.accept(event(i));
            ship.acceptAlert("{\"time\":\"2026-01-01T00:00:00Z\",\"rule\":\"R\",\"priority\":\"Warning\",\"output\":\"o\"}");
        }
        server = startServer(port);
        try (EventShipper ship = EventShipper.open(uri, dir.resolve("spool"), options())) {
            assertThat(ship.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(ship.counters().shipped()).isEqualTo(701);
            assertThat(ship.counters().dropped()).isZero();
        }
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(700);
        assertThat(count("SELECT count(*) FROM alerts")).isEqualTo(1);
    }

    @Test void a_wrong_token_is_retried_not_dropped() throws Exception {
        server = startServer(0);
        try (EventShipper ship = EventShipper.open(server.uri(), dir.resolve("spool"),
                ShipperOptions.withToken("wrong-token-wrong-token").withBackoff(Duration.ofMillis(10), Duration.ofMillis(20))
                        .withCloseTimeout(Duration.ofMillis(100)))) {
            ship.accept(event(1));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (ship.counters().retries() < 2 && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(ship.counters().lastError()).contains("HTTP 401");
            assertThat(ship.counters().shipped()).isZero();
            assertThat(ship.counters().dropped()).isZero();
        }
        assertThat(server.counters().get("auth.refused")).isPositive();
    }

    @Test void unsupported_targets_are_refused_with_a_clear_message() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventShipper.open(URI.create("ftp://x/"),
                dir.resolve("s"), options())).hasMessageContaining("http://host:port/");
    }
}
