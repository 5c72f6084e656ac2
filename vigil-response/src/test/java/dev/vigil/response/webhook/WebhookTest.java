package dev.vigil.response.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.event.Workload;
import dev.vigil.response.policy.WebhookTarget;
import dev.vigil.rules.engine.Priority;
import dev.vigil.rules.output.Alert;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Finding JSON, and delivery to a real HTTP server on 127.0.0.1: success, retries, 4xx, dead port, full queue. */
class WebhookTest {
    private static final List<Duration> FAST = List.of(Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofMillis(5));
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> auth = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();

    static Finding finding() {
        Alert a = new Alert(1_700_000_000_123_456_789L, "Write below etc", Priority.ERROR, "File below /etc opened (file=/etc/x)",
                "22:13:20.123456789: Error File below /etc opened (file=/etc/x)", Map.of("fd.name", "/etc/x", "proc.pid", 42L),
                "syscall", List.of("filesystem", "mitre_persistence"), "host-1", "s1-7");
        Workload w = new Workload("api-1", "abc123", "api-1", "registry/shop/api", "1.4", "shop", "production", "aws",
                Map.of("team", "payments"));
        return new Finding(a, w, List.of(new TakenAction("block", "done", "EACCES")), "policy prod-enforce", 3);
    }

    private WebhookTarget serve(IntSupplier status) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", (HttpExchange x) -> {
            requests.incrementAndGet();
            bodies.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            auth.add(x.getRequestHeaders().getFirst("Authorization") + " " + x.getRequestHeaders().getFirst("Content-Type"));
            x.sendResponseHeaders(status.getAsInt(), -1);
            x.close();
        });
        server.start();
        return target("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    private static WebhookTarget target(String url) {
        return new WebhookTarget("tracker", URI.create(url), Map.of("Authorization", "Bearer t0k"), Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    @Test
    void the_finding_json_carries_alert_workload_actions_and_count() throws Exception {
        JsonNode j = JSON.readTree(FindingJson.render(finding()));
        assertThat(j.get("schema").asText()).isEqualTo("vigil.finding/1");
        assertThat(j.get("id").asText()).isEqualTo("s1-7");
        assertThat(j.get("time").asText()).isEqualTo("2023-11-14T22:13:20.123456789Z");
        assertThat(j.get("title").asText()).isEqualTo("Error: Write below etc in api-1");
        assertThat(j.get("rule").asText()).isEqualTo("Write below etc");
        assertThat(j.get("priority").asText()).isEqualTo("Error");
        assertThat(j.get("output").asText()).startsWith("22:13:20.123456789: Error File below");
        assertThat(j.get("output_fields").get("proc.pid").asLong()).isEqualTo(42);
        assertThat(j.get("tags")).extracting(JsonNode::asText).containsExactly("filesystem", "mitre_persistence");
        assertThat(j.get("hostname").asText()).isEqualTo("host-1");
        JsonNode w = j.get("workload");
        assertThat(w.get("name").asText()).isEqualTo("api-1");
        assertThat(w.get("container_id").asText()).isEqualTo("abc123");
        assertThat(w.get("image").asText()).isEqualTo("registry/shop/api");
        assertThat(w.get("project").asText()).isEqualTo("shop");
        assertThat(w.get("environment").asText()).isEqualTo("production");
        assertThat(w.get("labels").get("team").asText()).isEqualTo("payments");
        assertThat(j.get("actions").get(0).toString()).isEqualTo("{\"action\":\"block\",\"outcome\":\"done\",\"detail\":\"EACCES\"}");
        assertThat(j.get("policy").asText()).isEqualTo("policy prod-enforce");
        assertThat(j.get("count").asLong()).isEqualTo(3);
    }

    @Test
    void findings_are_posted_with_the_target_headers() throws Exception {
        WebhookTarget t = serve(() -> 201);
        try (WebhookSender s = new WebhookSender(16, FAST)) {
            s.send(t, finding());
            s.send(t, finding());
            s.close();
            assertThat(s.sent()).isEqualTo(2);
            assertThat(s.failed()).isZero();
        }
        assertThat(bodies).hasSize(2).allSatisfy(b -> assertThat(JSON.readTree(b).get("rule").asText()).isEqualTo("Write below etc"));
        assertThat(auth).containsOnly("Bearer t0k application/json");
    }

    @Test
    void a_5xx_is_retried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        WebhookTarget t = serve(() -> calls.incrementAndGet() == 1 ? 500 : 200);
        try (WebhookSender s = new WebhookSender(16, FAST)) {
            s.send(t, finding());
            s.close();
            assertThat(s.sent()).isEqualTo(1);
            assertThat(s.failed()).isZero();
        }
        assertThat(requests.get()).isEqualTo(2);
    }

    @Test
    void a_4xx_is_not_retried() throws Exception {
        WebhookTarget t = serve(() -> 400);
        try (WebhookSender s = new WebhookSender(16, FAST)) {
            s.send(t, finding());
            s.close();
            assertThat(s.sent()).isZero();
            assertThat(s.failed()).isEqualTo(1);
        }
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void a_server_that_keeps_failing_is_tried_four_times() throws Exception {
        WebhookTarget t = serve(() -> 503);
        try (WebhookSender s = new WebhookSender(16, FAST)) {
            s.send(t, finding());
            s.close();
            assertThat(s.failed()).isEqualTo(1);
        }
        assertThat(requests.get()).isEqualTo(4);
    }

    @Test
    void a_dead_port_is_counted_as_failed() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }
        try (WebhookSender s = new WebhookSender(16, FAST)) {
            s.send(target("http://127.0.0.1:" + port + "/hook"), finding());
            s.close();
            assertThat(s.sent()).isZero();
            assertThat(s.failed()).isEqualTo(1);
        }
    }

    @Test
    void a_full_queue_drops_and_counts() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WebhookTarget t = serve(() -> {
            inHandler.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 200;
        });
        try (WebhookSender s = new WebhookSender(1, FAST)) {
            s.send(t, finding());
            assertThat(inHandler.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 4; i++) s.send(t, finding());
            assertThat(s.dropped()).isEqualTo(3);
            release.countDown();
            s.close();
            assertThat(s.sent()).isEqualTo(2);
            assertThat(s.dropped()).isEqualTo(3);
        }
    }
}
