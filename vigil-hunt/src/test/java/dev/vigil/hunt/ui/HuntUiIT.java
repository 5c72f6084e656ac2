package dev.vigil.hunt.ui;

import dev.vigil.hunt.HuntConfig;
import dev.vigil.hunt.HuntFixtures;
import dev.vigil.hunt.HuntServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web UI in a real headless chromium, driven by playwright-core ({@code src/test/ui/hunt-ui.test.cjs}).
 * Needs node, {@code /usr/bin/chromium} and playwright-core in {@code $VIGIL_PLAYWRIGHT_DIR} (default
 * {@code ~/.cache/vigil/playwright}); {@code .ci/run} installs all three. Skipped, with the reason, when absent.
 */
class HuntUiIT {
    @TempDir Path dir;

    @Test void the_ui_signs_in_lists_alerts_searches_and_draws_the_tree_in_chromium() throws Exception {
        Path pw = Path.of(System.getenv().getOrDefault("VIGIL_PLAYWRIGHT_DIR",
                System.getProperty("user.home") + "/.cache/vigil/playwright"));
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        assumeTrue(Files.isExecutable(chromium), "no chromium at " + chromium + " (apt-get install chromium)");
        assumeTrue(Files.isDirectory(pw.resolve("node_modules/playwright-core")),
                "no playwright-core in " + pw + " (npm install --prefix " + pw + " playwright-core)");
        assumeTrue(onPath("node"), "node is not installed");
        Path script = Path.of("src/test/ui/hunt-ui.test.cjs").toAbsolutePath();
        Path shot = Path.of("target/hunt-ui.png").toAbsolutePath();
        try (HuntServer server = HuntServer.start(HuntConfig.of(dir.resolve("ui.duckdb")),
                new PrintStream(new ByteArrayOutputStream()))) {
            HttpResponse<String> ing = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            server.uri().resolve("/api/ingest")).header("Authorization", "Bearer " + server.token())
                    .POST(HttpRequest.BodyPublishers.ofString(HuntFixtures.huntData())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ing.body()).contains("\"refused\":0");
            ProcessBuilder pb = new ProcessBuilder("node", script.toString(), server.uri().toString(), server.token(),
                    shot.toString()).redirectErrorStream(true);
            pb.environment().put("NODE_PATH", pw.resolve("node_modules").toString());
            pb.environment().put("CHROMIUM", chromium.toString());
            Process p = pb.start();
            byte[] out;
            boolean done;
            try (var in = p.getInputStream()) {
                out = in.readAllBytes();
                done = p.waitFor(120, TimeUnit.SECONDS);
            }
            if (!done) p.destroyForcibly();
            String log = new String(out, StandardCharsets.UTF_8);
            assertThat(done).as(log).isTrue();
            assertThat(p.exitValue()).as(log).isZero();
            assertThat(log).contains("all UI checks passed");
        }
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":"))
            if (Files.isExecutable(Path.of(d, tool))) return true;
        return false;
    }

}
