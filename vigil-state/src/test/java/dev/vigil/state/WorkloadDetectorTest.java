package dev.vigil.state;

import dev.vigil.event.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WorkloadDetectorTest {
    @TempDir Path dir;
    private static final WorkloadDetector.Labels NONE = new WorkloadDetector.Labels(null, null, null, null, Map.of());

    @Test
    void container_id_comes_from_the_cgroup_path() throws Exception {
        Path cg = Files.writeString(dir.resolve("cgroup"),
                "0::/system.slice/docker-4f2d9a1c7e3b8a6d5c4b3a29182736455647382910aabbccddeeff0011223344.scope\n");
        Workload w = WorkloadDetector.detect(NONE, Map.of(), null, cg, "sensor", "app");
        assertThat(w.containerId()).isEqualTo("4f2d9a1c7e3b");
        assertThat(w.name()).isEqualTo("app");
    }

    @Test
    void on_a_plain_machine_the_id_is_derived_never_host() throws Exception {
        Path cg = Files.writeString(dir.resolve("cgroup"), "0::/user.slice/session-3.scope\n");
        Workload w = WorkloadDetector.detect(NONE, Map.of(), null, cg, "sensor-a", "app");
        assertThat(w.containerId()).hasSize(12).isNotEqualTo("host");
        assertThat(WorkloadDetector.detect(NONE, Map.of(), null, cg, "sensor-b", "app").containerId()).isNotEqualTo(w.containerId());
    }

    @Test
    void cloud_platforms_are_recognised_from_their_environment() {
        Path none = dir.resolve("missing");
        Workload ecs = WorkloadDetector.detect(NONE, Map.of("ECS_CONTAINER_METADATA_URI_V4", "http://169.254.170.2/v4/a1b2c3-123",
                "AWS_EXECUTION_ENV", "AWS_ECS_FARGATE"), null, none, "s", "app");
        assertThat(ecs.cloud()).isEqualTo("aws-ecs");
        assertThat(ecs.containerId()).isEqualTo("a1b2c3-123");
        assertThat(ecs.labels()).containsEntry("aws.execution_env", "AWS_ECS_FARGATE");
        Workload aca = WorkloadDetector.detect(NONE, Map.of("CONTAINER_APP_NAME", "shop", "CONTAINER_APP_REPLICA_NAME", "shop--r1-abc"), null, none, "s", "app");
        assertThat(aca.cloud()).isEqualTo("azure-container-apps");
        assertThat(aca.name()).isEqualTo("shop");
        assertThat(aca.containerId()).isEqualTo("shop--r1-abc");
        Workload run = WorkloadDetector.detect(NONE, Map.of("K_SERVICE", "api", "K_REVISION", "api-7"), null, none, "s", "app");
        assertThat(run.cloud()).isEqualTo("gcp-cloud-run");
        assertThat(run.labels()).containsEntry("gcp.revision", "api-7");
    }

    @Test
    void explicit_labels_win_and_the_image_tag_is_split() {
        var labels = new WorkloadDetector.Labels("shop", "registry.local:5000/acme/shop:2.1", "p", "production", Map.of("team", "a"));
        Workload w = WorkloadDetector.detect(labels, Map.of("K_SERVICE", "other"), null, dir.resolve("x"), "s", "app");
        assertThat(w.name()).isEqualTo("shop");
        assertThat(w.image()).isEqualTo("registry.local:5000/acme/shop");
        assertThat(w.imageTag()).isEqualTo("2.1");
        assertThat(w.environment()).isEqualTo("production");
        assertThat(w.labels()).containsEntry("team", "a");
    }
}
