package dev.vigil.hunt.ioc;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IndicatorsTest {
    @Test void ips_take_the_sensors_text_form() {
        Indicators i = Indicators.of(null, null, List.of("2001:DB8:0:0:0:0:0:1", "192.0.2.1", "fe80:0:0:1::", "::ffff:10.0.0.1"), null);
        assertThat(i.ips()).containsExactly("2001:db8::1", "192.0.2.1", "::ffff:192.0.2.1", "fe80:0:0:1::", "10.0.0.1",
                "::ffff:10.0.0.1");
        assertThatThrownBy(() -> Indicators.of(null, null, List.of("evil.example"), null)).hasMessageContaining("IPv4 or IPv6");
    }

    @Test void free_text_is_classified_per_token() {
        Indicators i = Indicators.parse("A".repeat(64) + ", *.Evil.Example. 198.51.100.7 \"curl -s\" nc");
        assertThat(i.sha256()).containsExactly("a".repeat(64));
        assertThat(i.domains()).containsExactly("evil.example");
        assertThat(i.ips()).contains("198.51.100.7");
        assertThat(i.cmdline()).containsExactly("curl -s", "nc");
    }

    @Test void the_regex_matches_substrings_literally() {
        assertThat(IocSweep.regexOf(List.of("a.b", "(x)|y"))).isEqualTo("a\\.b|\\(x\\)\\|y");
    }
}
