package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.hunt.HuntConfig;
import dev.vigil.hunt.HuntServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The sensor ships events and alerts of a real workload to a real hunt server (DuckDB), exactly once. */
class ShipIT {
    @TempDir Path tmp;

    @Test
    void events_and_alerts_of_a_watched_workload_reach_the_hunt_store() throws Exception {
        try (HuntServer server = HuntServer.start(HuntConfig.of(tmp.resolve("hunt.duckdb")).withPort(0).withToken("ship-it-token-0123456789"))) {
            // a policy that blocks the read: the action event is shipped with the rest
            java.nio.file.Files.writeString(tmp.resolve("policy.yaml"), """
                    version: 1
                    policies:
                      - name: no-shadow
                        match: {workload: [ship-test]}
                        rules: ["Vigil Read Sensitive File"]
                        actions: [alert, block]
                    """);
            ProcessBuilder pb = Vigil.builder(tmp.resolve("events.jsonl"),
                    List.of("--ship", "http://127.0.0.1:" + server.port() + "/", "--spool", tmp.resolve("spool").toString(),
                            "--workload", "ship-test", "--policy", tmp.resolve("policy.yaml").toString()),
                    List.of("sh", "-c", "cat /etc/shadow > /dev/null; /bin/echo shipped"));
            pb.environment().put("VIGIL_HUNT_TOKEN", "ship-it-token-0123456789");
            Process p = pb.redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile()).start();
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).isZero();
            List<JsonNode> written = Vigil.readEvents(tmp.resolve("events.jsonl"));

            JsonNode counts = query(server, "SELECT count(*) AS n, count(DISTINCT id) AS ids FROM events WHERE workload = 'ship-test'");
            assertThat(counts.path("rows").get(0).get(0).asLong()).isEqualTo(written.size());
            assertThat(counts.path("rows").get(0).get(1).asLong()).isEqualTo(written.size());
            JsonNode echo = query(server, "SELECT count(*) FROM events WHERE kind = 'process.exec' AND exe_path = '/usr/bin/echo'");
            assertThat(echo.path("rows").get(0).get(0).asLong()).isEqualTo(1);
            JsonNode alerts = query(server, "SELECT rule FROM alerts");
            assertThat(alerts.path("rows").toString()).contains("Vigil Read Sensitive File");
            JsonNode blocked = query(server, "SELECT json_extract_string(raw, '$.rule'), json_extract_string(raw, '$.error') "
                    + "FROM events WHERE kind = 'response.block'");
            assertThat(blocked.path("rows").toString()).isEqualTo("[[\"Vigil Read Sensitive File\",\"EPERM\"]]");
        }
    }

    private static JsonNode query(HuntServer server, String sql) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/query?sql="
                        + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer ship-it-token-0123456789").GET().build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
    }
}
