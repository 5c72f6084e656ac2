package dev.vigil.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the platform's metadata endpoint says about the task, read once at start so that every event carries
 * it: the ECS task metadata endpoint v4 on ECS and Fargate (container id, image, cluster, task ARN, family,
 * revision, availability zone, launch type), the metadata server on Cloud Run (project, region). Bounded: a
 * short timeout per request and a size cap per response; a failure is reported to {@code warn} and the
 * workload's identity falls back to what the environment gives. Azure Container Apps has no such endpoint for
 * a container's own identity: its environment variables are all there is.
 */
public final class CloudMetadata {
    /** Largest response read; the ECS documents are a few KiB. */
    static final int MAX_RESPONSE_BYTES = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The facts found. Null fields were not found; {@code labels} are extra workload labels (e.g.
     * {@code aws.ecs.cluster}).
     */
    public record Facts(String cloud, String containerId, String name, String image, Map<String, String> labels) {}

    private CloudMetadata() {}

    /**
     * Reads the endpoint the environment points at, or returns null when there is none (not on ECS or Cloud
     * Run). {@code GCE_METADATA_HOST} overrides the Cloud Run metadata server's address, as Google's own client
     * libraries allow.
     */
    public static Facts fetch(Map<String, String> env, Duration timeout, Consumer<String> warn) {
        String ecs = env.getOrDefault("ECS_CONTAINER_METADATA_URI_V4", env.get("ECS_CONTAINER_METADATA_URI"));
        try {
            if (ecs != null) return ecs(URI.create(ecs), timeout);
            if (env.get("K_SERVICE") != null) {
                // The server's fixed address, not metadata.google.internal: a name lookup would not be bounded by
                // the timeout where the name does not resolve (Knative elsewhere also sets K_SERVICE).
                return cloudRun("http://" + env.getOrDefault("GCE_METADATA_HOST", "169.254.169.254"), timeout);
            }
        } catch (IOException | RuntimeException e) {
            warn.accept("cloud metadata: " + (ecs != null ? ecs : "the Cloud Run metadata server") + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + " (the workload's identity comes from the environment only)");
        }
        return null;
    }

    /** The ECS task metadata endpoint: {@code <uri>} describes this container, {@code <uri>/task} its task. */
    static Facts ecs(URI base, Duration timeout) throws IOException {
        JsonNode container = JSON.readTree(get(base, Map.of(), timeout));
        JsonNode task = JSON.readTree(get(URI.create(base + "/task"), Map.of(), timeout));
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode docker = container.path("Labels");
        String cluster = text(task, "Cluster", text(docker, "com.amazonaws.ecs.cluster", null));
        String taskArn = text(task, "TaskARN", text(docker, "com.amazonaws.ecs.task-arn", null));
        String family = text(task, "Family", text(docker, "com.amazonaws.ecs.task-definition-family", null));
        putIf(labels, "aws.ecs.cluster", cluster == null ? null : cluster.substring(cluster.lastIndexOf('/') + 1));
        putIf(labels, "aws.ecs.task_arn", taskArn);
        putIf(labels, "aws.ecs.family", family);
        putIf(labels, "aws.ecs.revision", text(task, "Revision", text(docker, "com.amazonaws.ecs.task-definition-version", null)));
        putIf(labels, "aws.ecs.container", text(container, "Name", null));
        putIf(labels, "aws.ecs.launch_type", text(task, "LaunchType", null));
        putIf(labels, "aws.availability_zone", text(task, "AvailabilityZone", null));
        putIf(labels, "aws.image_id", text(container, "ImageID", null));
        // arn:aws:ecs:<region>:<account>:task/<cluster>/<id>
        String[] arn = taskArn == null ? new String[0] : taskArn.split(":", 6);
        if (arn.length == 6 && arn[0].equals("arn")) {
            putIf(labels, "aws.region", arn[3].isEmpty() ? null : arn[3]);
            putIf(labels, "aws.account", arn[4].isEmpty() ? null : arn[4]);
        }
        String launch = text(task, "LaunchType", "");
        return new Facts(launch.equalsIgnoreCase("FARGATE") ? "aws-ecs-fargate" : "aws-ecs",
                text(container, "DockerId", null), family, text(container, "Image", null), labels);
    }

    /** The Cloud Run (GCE) metadata server: project id and region. */
    static Facts cloudRun(String server, Duration timeout) throws IOException {
        Map<String, String> flavor = Map.of("Metadata-Flavor", "Google");
        String v1 = server + "/computeMetadata/v1/";
        String project = new String(get(URI.create(v1 + "project/project-id"), flavor, timeout)).trim();
        // "projects/<number>/regions/<region>"
        String region = new String(get(URI.create(v1 + "instance/region"), flavor, timeout)).trim();
        Map<String, String> labels = new LinkedHashMap<>();
        putIf(labels, "gcp.project", project.isEmpty() ? null : project);
        putIf(labels, "gcp.region", region.isEmpty() ? null : region.substring(region.lastIndexOf('/') + 1));
        return new Facts("gcp-cloud-run", null, null, null, labels);
    }

    private static byte[] get(URI uri, Map<String, String> headers, Duration timeout) throws IOException {
        if (!"http".equals(uri.getScheme())) throw new IOException("not an http:// address: " + uri);
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        try {
            c.setConnectTimeout((int) timeout.toMillis());
            c.setReadTimeout((int) timeout.toMillis());
            c.setInstanceFollowRedirects(false);
            headers.forEach(c::setRequestProperty);
            int status = c.getResponseCode();
            if (status != 200) throw new IOException("HTTP " + status + " from " + uri);
            try (InputStream in = c.getInputStream()) {
                byte[] body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
                if (body.length > MAX_RESPONSE_BYTES) {
                    throw new IOException("response from " + uri + " is larger than " + MAX_RESPONSE_BYTES + " bytes");
                }
                return body;
            }
        } finally {
            c.disconnect();
        }
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.path(field);
        return v.isValueNode() && !v.asText().isEmpty() ? v.asText() : fallback;
    }

    private static void putIf(Map<String, String> labels, String key, String value) {
        if (value != null) labels.put(key, value);
    }

}
