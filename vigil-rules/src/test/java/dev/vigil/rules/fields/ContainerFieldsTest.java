package dev.vigil.rules.fields;

import static dev.vigil.rules.fields.FieldProbe.value;
import static dev.vigil.rules.testing.Events.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.event.Event;
import org.junit.jupiter.api.Test;

class ContainerFieldsTest {
    private final Event e = exec(proc("x"));

    @Test
    void workload_identity() {
        assertThat(value("container.id", e)).isEqualTo("3f2a9c1b7d4e").isNotEqualTo("host");
        assertThat(value("container.full_id", e)).isEqualTo("3f2a9c1b7d4e");
        assertThat(value("container.name", e)).isEqualTo("checkout-task");
        assertThat(value("container.image.repository", e)).isEqualTo("123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/checkout");
        assertThat(value("container.image.tag", e)).isEqualTo("1.4.2");
        assertThat(value("container.image", e)).isEqualTo("123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/checkout:1.4.2");
        assertThat(value("container.type", e)).isEqualTo("aws-ecs-fargate");
        assertThat(value("container.label[team]", e)).isEqualTo("payments");
        assertThat(value("container.labels", e)).isEqualTo("team:payments");
    }

    @Test
    void long_runtime_ids_are_shortened_and_images_split() {
        assertThat(ContainerFields.shortId("a".repeat(64))).isEqualTo("a".repeat(12));
        assertThat(ContainerFields.repository("nginx:1.27")).isEqualTo("nginx");
        assertThat(ContainerFields.repository("localhost:5000/app")).isEqualTo("localhost:5000/app");
        assertThat(ContainerFields.repository("app@sha256:abc")).isEqualTo("app");
    }

    @Test
    void runtime_only_fields() {
        assertThat(value("container.privileged", e)).isNull();
        assertThat(value("container.start_ts", e)).isNull();
        assertThat(value("container.mount.dest[/var/run/docker.sock]", e)).isEqualTo("<NA>");
    }

    @Test
    void k8s_fields_never_have_a_value() {
        assertThat(value("k8s.ns.name", e)).isNull();
        assertThat(value("k8s.pod.name", e)).isNull();
        assertThat(value("k8s.pod.label[app]", e)).isNull();
    }
}
