package dev.vigil.state;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.event.Workload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** A real HTTP server plays the ECS task metadata endpoint and the Cloud Run metadata server. */
class CloudMetadataTest {
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final String CONTAINER = """
            {"DockerId":"4f2d9a1c7e3b8a6d5c4b3a29182736455647382910aabbccddeeff0011223344","Name":"app",
             "DockerName":"ecs-shop-7-app-c2a8f0","Image":"123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:2.4",
             "ImageID":"sha256:9b1c0de5a11e0f00d5e1a5e5c0ffee0ddba11c0ffee0ddba11c0ffee0ddba11c",
             "Labels":{"com.amazonaws.ecs.cluster":"arn:aws:ecs:eu-west-1:123456789012:cluster/prod",
                       "com.amazonaws.ecs.container-name":"app",
                       "com.amazonaws.ecs.task-arn":"arn:aws:ecs:eu-west-1:123456789012:task/prod/0f3e9d2c1b0a49e8a7d6c5b4a3928170",
                       "com.amazonaws.ecs.task-definition-family":"shop","com.amazonaws.ecs.task-definition-version":"7"},
             "DesiredStatus":"RUNNING","KnownStatus":"RUNNING","Limits":{"CPU":256,"Memory":512},"Type":"NORMAL"}""";
    private static final String TASK = """
            {"Cluster":"arn:aws:ecs:eu-west-1:123456789012:cluster/prod",
             "TaskARN":"arn:aws:ecs:eu-west-1:123456789012:task/prod/0f3e9d2c1b0a49e8a7d6c5b4a3928170",
             "Family":"shop","Revision":"7","DesiredStatus":"RUNNING","KnownStatus":"RUNNING",
             "AvailabilityZone":"eu-west-1b","LaunchType":"FARGATE","Containers":[]}""";

    @TempDir Path dir;
    private HttpServer server;
    private final Map<String, String> bodies = new ConcurrentHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String body = bodies.get(path);
        boolean google = path.startsWith("/computeMetadata/");
        if (google && !"Google".equals(ex.getRequestHeaders().getFirst("Metadata-Flavor"))) body = null;
        if (body == null) {
            ex.sendResponseHeaders(404, -1);
        } else {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
        }
        ex.close();
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void fargate_task_metadata_gives_the_workload_its_identity() {
        bodies.put("/v4/0f3e9d2c-1234", CONTAINER);
        bodies.put("/v4/0f3e9d2c-1234/task", TASK);
        Map<String, String> env = Map.of("ECS_CONTAINER_METADATA_URI_V4", base() + "/v4/0f3e9d2c-1234",
                "AWS_EXECUTION_ENV", "AWS_ECS_FARGATE");
        CloudMetadata.Facts facts = CloudMetadata.fetch(env, TIMEOUT, warnings::add);
        assertThat(warnings).isEmpty();
        Workload w = WorkloadDetector.detect(new WorkloadDetector.Labels(null, null, null, null, Map.of()), env, facts,
                dir.resolve("no-cgroup"), "s", "app");
        assertThat(w.cloud()).isEqualTo("aws-ecs-fargate");
        assertThat(w.containerId()).isEqualTo("4f2d9a1c7e3b");
        assertThat(w.name()).isEqualTo("shop");
        assertThat(w.containerName()).isEqualTo("app");
        assertThat(w.image()).isEqualTo("123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop");
        assertThat(w.imageTag()).isEqualTo("2.4");
        assertThat(w.labels())
                .containsEntry("aws.ecs.cluster", "prod")
                .containsEntry("aws.ecs.task_arn", "arn:aws:ecs:eu-west-1:123456789012:task/prod/0f3e9d2c1b0a49e8a7d6c5b4a3928170")
                .containsEntry("aws.ecs.family", "shop")
                .containsEntry("aws.ecs.revision", "7")
                .containsEntry("aws.ecs.container", "app")
                .containsEntry("aws.ecs.launch_type", "FARGATE")
                .containsEntry("aws.availability_zone", "eu-west-1b")
                .containsEntry("aws.region", "eu-west-1")
                .containsEntry("aws.account", "123456789012")
                .containsEntry("aws.execution_env", "AWS_ECS_FARGATE");
    }

    @Test
    void the_operators_labels_win_over_the_metadata() {
        bodies.put("/v4/x", CONTAINER);
        bodies.put("/v4/x/task", TASK);
        Map<String, String> env = Map.of("ECS_CONTAINER_METADATA_URI_V4", base() + "/v4/x");
        var labels = new WorkloadDetector.Labels("checkout", "acme/checkout:9", null, null, Map.of("aws.ecs.cluster", "mine"));
        Workload w = WorkloadDetector.detect(labels, env, CloudMetadata.fetch(env, TIMEOUT, warnings::add),
                dir.resolve("no-cgroup"), "s", "app");
        assertThat(w.name()).isEqualTo("checkout");
        assertThat(w.image()).isEqualTo("acme/checkout");
        assertThat(w.labels()).containsEntry("aws.ecs.cluster", "mine").containsEntry("aws.ecs.family", "shop");
    }

    @Test
    void an_ec2_task_is_plain_ecs() {
        bodies.put("/v4/x", CONTAINER);
        bodies.put("/v4/x/task", TASK.replace("FARGATE", "EC2"));
        CloudMetadata.Facts facts = CloudMetadata.fetch(Map.of("ECS_CONTAINER_METADATA_URI_V4", base() + "/v4/x"), TIMEOUT, warnings::add);
        assertThat(facts.cloud()).isEqualTo("aws-ecs");
    }

    @Test
    void a_failing_endpoint_is_reported_and_the_environment_still_identifies_the_workload() throws IOException {
        Map<String, String> env = Map.of("ECS_CONTAINER_METADATA_URI_V4", base() + "/v4/a1b2c3-123");
        assertThat(CloudMetadata.fetch(env, TIMEOUT, warnings::add)).isNull(); // 404
        bodies.put("/v4/garbage", "{\"DockerId\": [unterminated");
        bodies.put("/v4/garbage/task", TASK);
        assertThat(CloudMetadata.fetch(Map.of("ECS_CONTAINER_METADATA_URI_V4", base() + "/v4/garbage"), TIMEOUT,
                warnings::add)).isNull();
        bodies.put("/v4/huge", "[" + "0,".repeat(CloudMetadata.MAX_RESPONSE_BYTES) + "0]");
        assertThat(CloudMetadata.fetch(Map.of("ECS_CONTAINER_METADATA_URI_V4", base() + "/v4/huge"), TIMEOUT,
                warnings::add)).isNull();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertThat(CloudMetadata.fetch(Map.of("ECS_CONTAINER_METADATA_URI_V4", "http://127.0.0.1:" + closedPort + "/v4/x"),
                TIMEOUT, warnings::add)).isNull();
        assertThat(CloudMetadata.fetch(Map.of("ECS_CONTAINER_METADATA_URI_V4", "file:///etc/passwd"), TIMEOUT,
                warnings::add)).isNull();
        assertThat(warnings).hasSize(5);
        assertThat(warnings.get(0)).contains("/v4/a1b2c3-123").contains("HTTP 404");
        assertThat(warnings.get(1)).contains("/v4/garbage");
        assertThat(warnings.get(2)).contains("larger than");
        assertThat(warnings.get(4)).contains("not an http:// address");
        assertThat(warnings).allSatisfy(w -> assertThat(w).startsWith("cloud metadata: ")
                .endsWith("(the workload's identity comes from the environment only)"));
        Workload w = WorkloadDetector.detect(new WorkloadDetector.Labels(null, null, null, null, Map.of()), env, null,
                dir.resolve("no-cgroup"), "s", "app");
        assertThat(w.cloud()).isEqualTo("aws-ecs");
        assertThat(w.containerId()).isEqualTo("a1b2c3-123");
    }

    @Test
    void an_endpoint_that_never_answers_is_given_up_after_the_timeout() throws IOException {
        // The kernel completes the connection into the backlog; nobody ever reads the request or answers.
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            assertThat(CloudMetadata.fetch(Map.of("ECS_CONTAINER_METADATA_URI_V4",
                    "http://127.0.0.1:" + silent.getLocalPort() + "/v4/x"), Duration.ofMillis(200), warnings::add)).isNull();
        }
        assertThat(warnings).singleElement().asString().containsIgnoringCase("timed out");
    }

    @Test
    void cloud_run_gets_its_project_and_region_from_the_metadata_server() {
        bodies.put("/computeMetadata/v1/project/project-id", "acme-prod\n");
        bodies.put("/computeMetadata/v1/instance/region", "projects/123456/regions/europe-west1");
        Map<String, String> env = Map.of("K_SERVICE", "api", "K_REVISION", "api-00007-xyz",
                "GCE_METADATA_HOST", "127.0.0.1:" + server.getAddress().getPort());
        CloudMetadata.Facts facts = CloudMetadata.fetch(env, TIMEOUT, warnings::add);
        assertThat(warnings).isEmpty();
        Workload w = WorkloadDetector.detect(new WorkloadDetector.Labels(null, null, null, null, Map.of()), env, facts,
                dir.resolve("no-cgroup"), "s", "app");
        assertThat(w.cloud()).isEqualTo("gcp-cloud-run");
        assertThat(w.name()).isEqualTo("api");
        assertThat(w.labels()).containsEntry("gcp.project", "acme-prod").containsEntry("gcp.region", "europe-west1")
                .containsEntry("gcp.revision", "api-00007-xyz");
    }

    @Test
    void without_a_platform_nothing_is_fetched() {
        assertThat(CloudMetadata.fetch(Map.of("CONTAINER_APP_NAME", "shop"), TIMEOUT, warnings::add)).isNull();
        assertThat(warnings).isEmpty();
    }
}
