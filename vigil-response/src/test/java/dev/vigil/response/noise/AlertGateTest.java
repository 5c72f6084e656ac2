package dev.vigil.response.noise;

import static dev.vigil.response.noise.AlertGate.Admission.DELIVER;
import static dev.vigil.response.noise.AlertGate.Admission.DUPLICATE;
import static dev.vigil.response.noise.AlertGate.Admission.RATE_LIMITED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.response.policy.NoiseSettings;
import dev.vigil.rules.engine.Priority;
import dev.vigil.rules.output.Alert;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** De-duplication windows and the per-rule rate limit, on a fake clock. */
class AlertGateTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(1_000 * SECOND);

    private static Alert alert(String rule, String message, long timeNs) {
        return new Alert(timeNs, rule, Priority.WARNING, message, "00:00:00.000000000: Warning " + message, Map.of(),
                "syscall", List.of(), "host", "s-" + timeNs);
    }

    private AlertGate gate(Duration window, double rate, int burst) {
        return new AlertGate(new NoiseSettings(window, rate, burst), now::get);
    }

    @Test
    void identical_alerts_within_the_window_are_counted_once() {
        AlertGate g = gate(Duration.ofSeconds(60), 0, 0);
        Alert first = alert("R", "shell in api", 1);
        assertThat(g.admit(first)).isEqualTo(DELIVER);
        now.addAndGet(10 * SECOND);
        assertThat(g.admit(alert("R", "shell in api", 2))).isEqualTo(DUPLICATE);
        assertThat(g.admit(alert("R", "shell in api", 3))).isEqualTo(DUPLICATE);
        assertThat(g.admit(alert("R", "other message", 4))).isEqualTo(DELIVER);
        assertThat(g.admit(alert("Other rule", "shell in api", 5))).isEqualTo(DELIVER);
        assertThat(g.drainExpired()).isEmpty();
        assertThat(g.duplicates()).isEqualTo(2);

        now.addAndGet(50 * SECOND);
        assertThat(g.drainExpired()).containsExactly(new AlertGate.Repeat(first, 3, 3));
        assertThat(g.drainExpired()).isEmpty();
        assertThat(g.admit(alert("R", "shell in api", 6))).isEqualTo(DELIVER);
    }

    @Test
    void a_zero_window_delivers_every_alert() {
        AlertGate g = gate(Duration.ZERO, 0, 0);
        for (int i = 0; i < 5; i++) assertThat(g.admit(alert("R", "m", i))).isEqualTo(DELIVER);
        assertThat(g.drainAll()).isEmpty();
    }

    @Test
    void the_rate_limit_is_a_token_bucket_per_rule_on_delivered_alerts() {
        AlertGate g = gate(Duration.ofSeconds(60), 2, 3);
        for (int i = 0; i < 3; i++) assertThat(g.admit(alert("R", "m" + i, i))).isEqualTo(DELIVER);
        assertThat(g.admit(alert("R", "m0", 9))).as("a duplicate spends no token").isEqualTo(DUPLICATE);
        assertThat(g.admit(alert("R", "m3", 3))).isEqualTo(RATE_LIMITED);
        assertThat(g.admit(alert("Other", "m3", 3))).as("buckets are per rule").isEqualTo(DELIVER);
        now.addAndGet(SECOND / 2);
        assertThat(g.admit(alert("R", "m4", 4))).isEqualTo(DELIVER);
        assertThat(g.admit(alert("R", "m5", 5))).isEqualTo(RATE_LIMITED);
        assertThat(g.admit(alert("R", "m5", 5))).as("a limited alert opens no window").isEqualTo(RATE_LIMITED);
        now.addAndGet(10 * SECOND);
        for (int i = 0; i < 3; i++) assertThat(g.admit(alert("R", "n" + i, i))).as("refilled up to the burst").isEqualTo(DELIVER);
        assertThat(g.admit(alert("R", "n3", 3))).isEqualTo(RATE_LIMITED);
        assertThat(g.rateLimited()).isEqualTo(4);
    }

    @Test
    void memory_is_bounded_and_evicted_windows_still_report_their_repeats() {
        AlertGate g = new AlertGate(new NoiseSettings(Duration.ofSeconds(60), 0, 0), now::get, 3);
        Alert a = alert("R", "a", 1);
        g.admit(a);
        g.admit(alert("R", "a", 2));
        g.admit(alert("R", "b", 3));
        g.admit(alert("R", "c", 4));
        assertThat(g.admit(alert("R", "d", 5))).isEqualTo(DELIVER);
        assertThat(g.drainExpired()).containsExactly(new AlertGate.Repeat(a, 2, 2));
        assertThat(g.admit(alert("R", "a", 6))).as("its window was closed").isEqualTo(DELIVER);
    }

    @Test
    void drain_all_reports_open_windows_at_shutdown() {
        AlertGate g = gate(Duration.ofSeconds(60), 20, 100);
        Alert a = alert("R", "a", 1);
        g.admit(a);
        g.admit(alert("R", "b", 2));
        g.admit(alert("R", "a", 7));
        assertThat(g.drainAll()).containsExactly(new AlertGate.Repeat(a, 2, 7));
        assertThat(g.drainAll()).isEmpty();
    }
}
