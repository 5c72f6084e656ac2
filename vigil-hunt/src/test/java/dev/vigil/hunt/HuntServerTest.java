package dev.vigil.hunt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.event.ProcessInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HuntServerTest {
    static final String SHA_EVIL = "a".repeat(64);
    @TempDir Path dir;
    HuntServer server;
    HuntClient client;

    @BeforeEach void start() throws Exception {
        server = HuntServer.start(HuntConfig.of(dir.resolve("hunt.duckdb")).withQueryTimeout(Duration.ofSeconds(20)),
                new PrintStream(new ByteArrayOutputStream()));
        client = new HuntClient(server.uri(), server.token());
    }

    @AfterEach void stop() throws Exception {
        if (server != null) server.close();
    }

    private void restart() throws Exception {
        server.close();
        server = HuntServer.start(HuntConfig.of(dir.resolve("hunt.duckdb")), new PrintStream(new ByteArrayOutputStream()));
        client = new HuntClient(server.uri(), server.token());
    }

    @Test void first_start_generates_a_token_file_with_mode_0600_and_prints_it() throws Exception {
        Path tokenFile = dir.resolve("hunt.duckdb.token");
        assertThat(tokenFile).exists();
        assertThat(Files.readString(tokenFile).strip()).isEqualTo(server.token());
        assertThat(Files.getPosixFilePermissions(tokenFile)).hasSize(2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (HuntServer other = HuntServer.start(HuntConfig.of(dir.resolve("other.duckdb")), new PrintStream(out))) {
            assertThat(out.toString()).contains("generated a new API token").contains(other.token());
        }
        restart();
        assertThat(server.token()).isEqualTo(Files.readString(tokenFile).strip());
    }

    @Test void every_endpoint_refuses_a_missing_or_wrong_token_and_counts_it() throws Exception {
        for (String path : List.of("/api/stats", "/api/health", "/api/alerts", "/api/workloads", "/ui/", "/ui/app.js",
                "/api/query?sql=SELECT%201", "/api/timeline?workload=x", "/nope")) {
            assertThat(client.send(HttpRequest.newBuilder(server.uri().resolve(path)).GET(), null).status())
                    .as(path).isEqualTo(401);
            assertThat(client.send(HttpRequest.newBuilder(server.uri().resolve(path)).GET(), "wrong-token-wrong-token")
                    .status()).as(path).isEqualTo(401);
        }
        HuntClient.Reply r = client.send(HttpRequest.newBuilder(server.uri().resolve("/api/ingest"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")), "nope");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().path("error").asText()).contains("Bearer");
        assertThat(server.counters().get("auth.refused")).isEqualTo(19);
        assertThat(client.count("SELECT count(*) FROM events")).isZero();
    }

    @Test void ingest_stores_good_lines_refuses_bad_ones_and_a_resent_batch_adds_nothing() throws Exception {
        TestEvents ev = new TestEvents("s1", "web");
        ProcessInfo p = TestEvents.proc(100, 1, "curl", "/usr/bin/curl", List.of("curl", "http://x"));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) lines.add(ev.line(ev.open(p, "/etc/f" + i)));
        lines.add(3, "{not json");
        lines.add(5, "{\"schema\":2,\"id\":\"s1-99\",\"seq\":99,\"time_ns\":1,\"kind\":\"x\",\"sensor\":\"s1\",\"workload\":{}}");
        lines.add(7, "{\"schema\":1,\"id\":\"s1-98\",\"seq\":\"x\"}");
        lines.add(8, "[1,2]");
        String body = String.join("\n", lines) + "\n";
        HuntClient.Reply r = client.ingest(body);
        assertThat(r.status()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.path("events_stored").asLong()).isEqualTo(10);
        assertThat(j.path("refused").asInt()).isEqualTo(4);
        assertThat(j.path("errors").toString()).contains("line 4: not valid JSON").contains("unsupported event schema 2")
                .contains("\\\"seq\\\" is required and must be an integer").contains("not a JSON object");
        HuntClient.Reply again = client.ingest(body);
        assertThat(again.json().path("events_stored").asLong()).isZero();
        assertThat(again.json().path("events_duplicate").asLong()).isEqualTo(10);
        assertThat(client.count("SELECT count(*) FROM events")).isEqualTo(10);
        assertThat(client.count("SELECT count(DISTINCT id) FROM events")).isEqualTo(10);
        assertThat(server.counters().get("ingest.lines_malformed")).isEqualTo(4);
        assertThat(server.counters().get("ingest.lines_invalid")).isEqualTo(4);
        assertThat(server.counters().get("ingest.events_duplicate")).isEqualTo(10);
        JsonNode stats = client.get("/api/stats").json();
        assertThat(stats.path("events").asLong()).isEqualTo(10);
        assertThat(stats.path("counters").path("ingest.events_stored").asLong()).isEqualTo(10);
    }

    @Test void concurrent_overlapping_batches_store_each_event_once() throws Exception {
        TestEvents ev = new TestEvents("s9", "web");
        ProcessInfo p = TestEvents.proc(100, 1, "w", "/w", List.of("w"));
        List<String> batches = new ArrayList<>();
        for (int b = 0; b < 5; b++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 200; i++) sb.append(ev.line(ev.open(p, "/f"))).append('\n');
            batches.add(sb.toString());
        }
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<Integer>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int shift = t;
                fs.add(pool.submit(() -> {
                    int ok = 0;
                    for (int b = 0; b < batches.size(); b++)
                        if (client.ingest(batches.get((b + shift) % batches.size())).status() == 200) ok++;
                    return ok;
                }));
            }
            for (var f : fs) assertThat(f.get()).isEqualTo(5);
        }
        assertThat(client.count("SELECT count(*) FROM events")).isEqualTo(1000);
        assertThat(client.count("SELECT count(DISTINCT id) FROM events")).isEqualTo(1000);
        assertThat(server.counters().get("ingest.events_stored")).isEqualTo(1000);
        assertThat(server.counters().get("ingest.events_duplicate")).isEqualTo(3000);
        assertThat(client.count("SELECT count(*) FROM processes")).isEqualTo(1);
    }

    @Test void typed_columns_hold_the_common_fields() throws Exception {
        TestEvents ev = new TestEvents("s1", "web");
        ProcessInfo p = TestEvents.proc(100, 42, "curl", "/usr/bin/curl", List.of("curl", "-s", "http://x"));
        client.ingest(ev.lineWithSha(ev.connect(p, "203.0.113.9", 443, List.of("Evil.Example.")), SHA_EVIL));
        JsonNode row = client.query("SELECT id, sensor, seq, kind, workload, container_id, pid, ppid, proc_name, exe_path, "
                + "exe_sha256, cmdline, parent_name, remote_address, remote_port, remote_names, ts IS NOT NULL, "
                + "json_extract_string(raw, '$.workload.labels.team') FROM events").json().path("rows").get(0);
        assertThat(row.toString()).isEqualTo("[\"s1-0\",\"s1\",0,\"net.connect\",\"web\",\"ctr-web\",100,42,\"curl\","
                + "\"/usr/bin/curl\",\"" + SHA_EVIL + "\",\"curl -s http://x\",\"sh\",\"203.0.113.9\",443,"
                + "[\"evil.example\"],true,\"blue\"]");
    }

    @Test void unknown_fields_are_kept_in_raw_and_counted() throws Exception {
        TestEvents ev = new TestEvents("s1", "web");
        String line = ev.line(ev.open(TestEvents.proc(5, 1, "a", "/a", List.of("a")), "/x")).replace("{\"schema\"",
                "{\"future_field\":7,\"schema\"");
        JsonNode j = client.ingest(line).json();
        assertThat(j.path("events_stored").asLong()).isEqualTo(1);
        assertThat(j.path("warnings").get(0).asText()).contains("future_field");
        assertThat(server.counters().get("ingest.lines_unknown_fields")).isEqualTo(1);
        assertThat(client.count("SELECT json_extract(raw, '$.future_field')::INT FROM events")).isEqualTo(7);
    }

    @Test void oversized_requests_and_lines_are_refused_with_a_counter() throws Exception {
        server.close();
        server = HuntServer.start(HuntConfig.of(dir.resolve("hunt.duckdb")).withMaxRequestBytes(4096)
                .withMaxLineBytes(1024), new PrintStream(new ByteArrayOutputStream()));
        client = new HuntClient(server.uri(), server.token());
        HuntClient.Reply r = client.ingest("x".repeat(5000));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().path("error").asText()).contains("over the limit of 4096");
        assertThat(server.counters().get("ingest.requests_oversized")).isEqualTo(1);
        TestEvents ev = new TestEvents("s1", "web");
        ProcessInfo p = TestEvents.proc(5, 1, "a", "/a", List.of("a", "b".repeat(1500)));
        ProcessInfo small = TestEvents.proc(5, 1, "a", "/a", List.of("a"));
        HuntClient.Reply lines = client.ingest(ev.line(ev.exec(p)) + "\n" + ev.line(ev.exec(small)));
        assertThat(lines.json().path("events_stored").asInt()).isEqualTo(1);
        assertThat(lines.json().path("errors").get(0).asText()).contains("line 1").contains("over the limit of 1024");
        assertThat(server.counters().get("ingest.lines_oversized")).isEqualTo(1);
    }

    @Test void falco_alerts_are_stored_once_and_listed() throws Exception {
        String a = TestEvents.falcoAlert("Terminal shell in container", "Warning", "2026-01-01T10:00:00.123456789Z",
                "ctr-web", 100, "bash");
        JsonNode j = client.ingest(a + "\n" + a + "\n").json();
        assertThat(j.path("alerts_stored").asInt()).isEqualTo(1);
        assertThat(j.path("alerts_duplicate").asInt()).isEqualTo(1);
        JsonNode alerts = client.get("/api/alerts").json();
        assertThat(alerts.path("rows")).hasSize(1);
        assertThat(alerts.path("rows").get(0).toString()).contains("Terminal shell in container").contains("Warning")
                .contains("ctr-web").contains("T1059");
        assertThat(client.count("SELECT epoch_ns(ts) % 1000000000 FROM alerts")).isEqualTo(123456000);
        assertThat(client.count("SELECT time_ns % 1000000000 FROM alerts")).isEqualTo(123456789);
    }

    @Test void query_api_runs_only_a_single_select() throws Exception {
        client.ingest(new TestEvents("s1", "w").line(new TestEvents("s1", "w").open(
                TestEvents.proc(1, 0, "a", "/a", List.of("a")), "/f")));
        for (String bad : List.of("DELETE FROM events", "SELECT 1; DELETE FROM events", "DROP TABLE events",
                "SELECT * FROM read_csv('/etc/passwd')", "COPY events TO '/tmp/x.csv'", "ATTACH '/tmp/x.db' AS x",
                "PRAGMA version", "SET threads=1", "WITH x AS (SELECT 1) DELETE FROM events",
                "SELECT 1 /* ; */ ; SELECT 2", "INSTALL httpfs", "SELECT E'\\' ; DELETE FROM events; --'",
                "CALL pragma_version()", "SELECT * FROM query('DELETE FROM events')", "")) {
            HuntClient.Reply r = client.query(bad);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.json().path("error").asText()).as(bad).startsWith("query refused");
        }
        assertThat(client.count("SELECT count(*) FROM events")).isEqualTo(1);
        assertThat(server.counters().get("query.refused")).isEqualTo(15);
        // A file named as a table (a replacement scan) passes the scanner but DuckDB may not read files.
        Files.writeString(dir.resolve("secret.csv"), "a,b\n1,2\n");
        HuntClient.Reply file = client.query("SELECT * FROM '" + dir.resolve("secret.csv") + "'");
        assertThat(file.status()).isEqualTo(400);
        assertThat(file.json().path("error").asText()).contains("disabled by configuration");
        HuntClient.Reply syntax = client.query("SELECT FROM WHERE");
        assertThat(syntax.status()).isEqualTo(400);
        HuntClient.Reply ok = client.query("-- comment\nSELECT 'delete; drop' AS s, 2 AS n; ");
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().path("rows").toString()).isEqualTo("[[\"delete; drop\",2]]");
        assertThat(client.query("SELECT * FROM events -- trailing comment").status()).isEqualTo(200);
    }

    @Test void queries_are_limited_in_rows_and_time() throws Exception {
        server.close();
        server = HuntServer.start(HuntConfig.of(dir.resolve("hunt.duckdb")).withMaxQueryRows(100)
                .withQueryTimeout(Duration.ofMillis(1500)), new PrintStream(new ByteArrayOutputStream()));
        client = new HuntClient(server.uri(), server.token());
        JsonNode r = client.query("SELECT range FROM range(1000)").json();
        assertThat(r.path("rows")).hasSize(100);
        assertThat(r.path("truncated").asBoolean()).isTrue();
        long t0 = System.nanoTime();
        JsonNode slow = client.query("SELECT sum(a.range * b.range) FROM range(200000) a, range(200000) b").json();
        assertThat(slow.path("timed_out").asBoolean()).as(slow.toString()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(server.counters().get("query.timed_out")).isEqualTo(1);
        assertThat(server.counters().get("query.truncated")).isEqualTo(1);
    }

    private void loadHuntData() throws Exception {
        assertThat(client.ingest(HuntFixtures.huntData()).json().path("refused").asInt()).isZero();
    }

    @Test void ioc_sweep_finds_processes_connections_and_dns_across_workloads() throws Exception {
        loadHuntData();
        String body = "{\"sha256\":[\"" + SHA_EVIL.toUpperCase() + "\"],\"domains\":[\"evil.example\"],"
                + "\"ips\":[\"192.0.2.1\",\"198.51.100.7\"],\"cmdline\":[\"job.py\"]}";
        HuntClient.Reply r = client.post("/api/ioc", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.path("processes").path("rows")).hasSize(2);
        assertThat(j.path("processes").path("rows").toString()).contains("sha256:" + SHA_EVIL).contains("xmrig")
                .contains("cmdline:job.py").contains("batch").doesNotContain("nginx");
        assertThat(j.path("connections").path("rows")).hasSize(2);
        assertThat(j.path("connections").path("rows").toString()).contains("ip:198.51.100.7").contains("ip:192.0.2.1")
                .doesNotContain("192.0.2.50");
        assertThat(j.path("dns").path("rows")).hasSize(2);
        assertThat(j.path("dns").path("rows").toString()).contains("cdn.evil.example").doesNotContain("notevil");
        // the UI's free-text form classifies each token
        JsonNode free = client.get("/api/ioc?q=" + java.net.URLEncoder.encode("evil.example \"--donate-level\"",
                java.nio.charset.StandardCharsets.UTF_8)).json();
        assertThat(free.path("indicators").path("domains").toString()).isEqualTo("[\"evil.example\"]");
        assertThat(free.path("processes").path("rows").toString()).contains("xmrig");
        assertThat(free.path("dns").path("rows")).hasSize(2);
        assertThat(client.post("/api/ioc", "{\"sha256\":[\"nothex\"]}").status()).isEqualTo(400);
    }

    @Test void process_tree_around_an_event_and_an_alert() throws Exception {
        loadHuntData();
        JsonNode t = client.get("/api/tree?event=s1-1").json();
        assertThat(t.path("process").path("name").asText()).isEqualTo("curl");
        assertThat(t.path("ancestors").get(0).path("name").asText()).isEqualTo("sh");
        assertThat(t.path("process").path("children").get(0).path("name").asText()).isEqualTo("xmrig");
        assertThat(t.path("process").path("events").path("rows")).hasSize(4);
        JsonNode fromAlert = client.get("/api/tree?alert=" + client.query("SELECT id FROM alerts").json()
                .path("rows").get(0).get(0).asText()).json();
        assertThat(fromAlert.path("process").path("pid").asInt()).isEqualTo(300);
        JsonNode top = client.get("/api/tree?event=s1-0").json();
        assertThat(top.path("process").path("children").get(0).path("children").get(0).path("name").asText())
                .isEqualTo("xmrig");
        assertThat(client.get("/api/tree?event=nope").status()).isEqualTo(404);
    }

    @Test void timeline_of_one_workload_in_time_order() throws Exception {
        loadHuntData();
        JsonNode t = client.get("/api/timeline?workload=web").json();
        assertThat(t.path("events").path("rows")).hasSize(10);
        assertThat(t.path("alerts").path("rows")).hasSize(1);
        JsonNode batch = client.get("/api/timeline?workload=ctr-batch").json();
        assertThat(batch.path("events").path("rows")).hasSize(1);
        JsonNode w = client.get("/api/workloads").json();
        assertThat(w.path("rows")).hasSize(2);
    }

    @Test void data_and_idempotency_survive_a_restart_on_the_same_database() throws Exception {
        loadHuntData();
        restart();
        assertThat(client.count("SELECT count(*) FROM events")).isEqualTo(11);
        assertThat(client.count("SELECT count(*) FROM alerts")).isEqualTo(1);
        loadHuntData();
        assertThat(client.count("SELECT count(*) FROM events")).isEqualTo(11);
        assertThat(client.count("SELECT count(*) FROM alerts")).isEqualTo(1);
        assertThat(server.counters().get("ingest.events_duplicate")).isEqualTo(11);
    }

    @Test void a_sensor_with_gaps_is_indexed_exactly_after_a_restart() throws Exception {
        TestEvents ev = new TestEvents("g1", "web");
        ProcessInfo p = TestEvents.proc(5, 1, "a", "/a", List.of("a"));
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) all.add(ev.line(ev.open(p, "/f" + i)));
        List<String> some = new ArrayList<>();
        for (int i : new int[] {0, 1, 2, 5, 6, 9}) some.add(all.get(i));
        assertThat(client.ingest(String.join("\n", some)).json().path("events_stored").asInt()).isEqualTo(6);
        restart();
        JsonNode j = client.ingest(String.join("\n", all)).json();
        assertThat(j.path("events_stored").asInt()).isEqualTo(4);
        assertThat(j.path("events_duplicate").asInt()).isEqualTo(6);
        assertThat(client.count("SELECT count(DISTINCT seq) FROM events")).isEqualTo(10);
    }

    @Test void an_id_that_is_not_sensor_dash_seq_is_refused() throws Exception {
        TestEvents ev = new TestEvents("s1", "web");
        String line = ev.line(ev.open(TestEvents.proc(5, 1, "a", "/a", List.of("a")), "/x")).replace("\"id\":\"s1-0\"",
                "\"id\":\"other\"");
        HuntClient.Reply r = client.ingest(line);
        assertThat(r.json().path("errors").get(0).asText()).contains("must be <sensor>-<seq>");
    }

    @Test void browser_login_sets_a_cookie_that_serves_the_ui_but_not_cross_site_posts() throws Exception {
        java.net.http.HttpClient noRedirect = java.net.http.HttpClient.newHttpClient();
        var login = noRedirect.send(HttpRequest.newBuilder(server.uri().resolve("/login?token=" + server.token())).GET()
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(303);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
        String c = cookie.substring(0, cookie.indexOf(';'));
        var page = noRedirect.send(HttpRequest.newBuilder(server.uri().resolve("/ui/")).header("Cookie", c).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Vigil hunt").contains("/ui/app.js");
        var post = noRedirect.send(HttpRequest.newBuilder(server.uri().resolve("/api/query")).header("Cookie", c)
                .POST(HttpRequest.BodyPublishers.ofString("{\"sql\":\"SELECT 1\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(401);
        var uiPost = noRedirect.send(HttpRequest.newBuilder(server.uri().resolve("/api/query")).header("Cookie", c)
                .header("X-Vigil-UI", "1").POST(HttpRequest.BodyPublishers.ofString("{\"sql\":\"SELECT 1\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(uiPost.statusCode()).isEqualTo(200);
        var badLogin = noRedirect.send(HttpRequest.newBuilder(server.uri().resolve("/login?token=wrongwrongwrongwrong"))
                .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(badLogin.statusCode()).isEqualTo(401);
    }
}
