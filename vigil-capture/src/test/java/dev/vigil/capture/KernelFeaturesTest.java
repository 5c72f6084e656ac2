package dev.vigil.capture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KernelFeaturesTest {
    private static KernelFeatures kernel(String release, boolean notif) {
        int[] v = KernelFeatures.parseVersion(release);
        boolean k56 = v[0] > 5 || (v[0] == 5 && v[1] >= 6);
        return new KernelFeatures(release, v[0], v[1], notif, k56, false, new int[] {80, 24, 64});
    }

    @Test
    void parses_distribution_release_strings() {
        assertThat(KernelFeatures.parseVersion("6.18.44-fc-v1252")).containsExactly(6, 18);
        assertThat(KernelFeatures.parseVersion("5.10.0-28-amd64")).containsExactly(5, 10);
        assertThat(KernelFeatures.parseVersion("garbage")).containsExactly(0, 0);
    }

    @Test
    void picks_notify_where_the_kernel_has_it_and_falls_back_to_trace_stops() {
        assertThat(kernel("6.8.0", true).choose(null)).isEqualTo(CaptureMode.NOTIFY);
        assertThat(kernel("5.4.0", true).choose(null)).isEqualTo(CaptureMode.TRACE);    // no pidfd_getfd
        assertThat(kernel("6.8.0", false).choose(null)).isEqualTo(CaptureMode.TRACE);
        assertThat(kernel("5.4.0", true).choose(CaptureMode.PTRACE_ONLY)).isEqualTo(CaptureMode.PTRACE_ONLY);
        assertThatThrownBy(() -> kernel("5.4.0", true).choose(CaptureMode.NOTIFY))
                .isInstanceOf(KernelSupportException.class).hasMessageContaining("5.4.0").hasMessageContaining("--seccomp-trace");
    }
}
