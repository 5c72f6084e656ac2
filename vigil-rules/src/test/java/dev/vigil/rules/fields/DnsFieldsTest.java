package dev.vigil.rules.fields;

import static dev.vigil.rules.fields.FieldProbe.value;
import static dev.vigil.rules.testing.Events.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.event.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsFieldsTest {
    private final Event q = dnsQuery(proc("xmrig"), "Pool.SupportXMR.com.");

    @Test
    void query_name_is_lower_case_without_the_final_dot() {
        assertThat(value("dns.query.name", q)).isEqualTo("pool.supportxmr.com");
    }

    @Test
    void query_domain_lists_the_name_and_its_parents_down_to_two_labels() {
        assertThat(DnsFields.names((dev.vigil.event.DnsMessage) q, true))
                .isEqualTo(List.of("pool.supportxmr.com", "supportxmr.com"));
        assertThat(dev.vigil.rules.testing.TestEngine.matches("dns.query.domain in (supportxmr.com, nanopool.org)", q)).isTrue();
        assertThat(dev.vigil.rules.testing.TestEngine.matches("dns.query.domain in (xmr.com, com)", q)).isFalse();
    }

    @Test
    void no_value_outside_dns_messages() {
        Event open = open(proc("cat"), "/etc/hostname", 0);
        assertThat(value("dns.query.name", open)).isNull();
        assertThat(dev.vigil.rules.testing.TestEngine.matches("dns.query.domain in (supportxmr.com)", open)).isFalse();
    }
}
