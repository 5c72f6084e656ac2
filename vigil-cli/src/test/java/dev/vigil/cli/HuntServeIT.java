package dev.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vigil hunt serve} as a process, as {@code ./vigil} starts it: events acknowledged just before a
 * SIGKILL (committed or not) are there after a restart, and SIGTERM closes the store cleanly, leaving no
 * journal behind.
 */
class HuntServeIT {
    private static final Path HUNT_JAR = Vigil.ROOT.resolve("vigil-cli/target/vigil-hunt.jar");
    private static final String TOKEN = "hunt-serve-it-token-0123456789";

    @TempDir Path tmp;
    private final HttpClient http = HttpClient.newHttpClient();

    private Process serve(Path db, int port) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Vigil.JAVA.toString(), "--enable-native-access=ALL-UNNAMED", "-jar",
                HUNT_JAR.toString(), "hunt", "serve", "--db", db.toString(), "--port", Integer.toString(port));
        pb.environment().put("VIGIL_HUNT_TOKEN", TOKEN);
        Process p = pb.redirectErrorStream(true).redirectOutput(tmp.resolve("serve-" + System.nanoTime() + ".log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (get(port, "/api/stats").statusCode() == 200) return p;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
            assertThat(p.isAlive()).as("the server exited early").isTrue();
        }
        throw new AssertionError("the hunt server did not answer within 60 s");
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private long events(int port) throws Exception {
        HttpResponse<String> r = get(port, "/api/stats");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body()).path("events").asLong();
    }

    private void ingest(int port, String sensor, int from, int n) throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = from; i < from + n; i++)
            body.append("{\"schema\":1,\"id\":\"").append(sensor).append('-').append(i).append("\",\"seq\":").append(i)
                    .append(",\"time_ns\":").append(1_767_000_000_000_000_000L + i).append(",\"kind\":\"file.open\",\"sensor\":\"")
                    .append(sensor).append("\",\"workload\":{\"name\":\"it\"},\"path\":\"/etc/f").append(i).append("\"}\n");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ingest"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"events_stored\":" + n);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static List<Path> journal(Path db) throws IOException {
        Path dir = db.resolveSibling(db.getFileName() + ".journal");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test void acknowledged_events_survive_sigkill_and_sigterm_leaves_no_journal() throws Exception {
        Path db = tmp.resolve("hunt.duckdb");
        int port = freePort();
        Process first = serve(db, port);
        ingest(port, "s1", 0, 2000);
        first.destroyForcibly(); // SIGKILL, at once: the writer commits up to a second later
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(journal(db)).isNotEmpty();

        Process second = serve(db, port);
        assertThat(events(port)).isEqualTo(2000);
        ingest(port, "s1", 2000, 500);
        second.destroy(); // SIGTERM
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(journal(db)).isEmpty();

        Process third = serve(db, port);
        try {
            assertThat(events(port)).isEqualTo(2500);
        } finally {
            third.destroy();
            third.waitFor(60, TimeUnit.SECONDS);
        }
    }
}
