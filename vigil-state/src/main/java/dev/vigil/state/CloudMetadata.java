package dev.vigil.state;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
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
    /** Streaming only: jackson-databind's object mapper would add ~7 MiB to the sensor's memory for two reads. */
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /**
     * The facts found. Null fields were not found; {@code name} names the workload (the ECS task family),
     * {@code containerName} this container within it; {@code labels} are extra workload labels (e.g.
     * {@code aws.ecs.cluster}).
     */
    public record Facts(String cloud, String containerId, String name, String containerName, String image,
                        Map<String, String> labels) {}

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
        Map<String, String> container = new LinkedHashMap<>(), docker = new LinkedHashMap<>(), task = new LinkedHashMap<>();
        readObject(get(base, Map.of(), timeout), container, "Labels", docker);
        readObject(get(URI.create(base + "/task"), Map.of(), timeout), task, null, null);
        Map<String, String> labels = new LinkedHashMap<>();
        String cluster = task.getOrDefault("Cluster", docker.get("com.amazonaws.ecs.cluster"));
        String taskArn = task.getOrDefault("TaskARN", docker.get("com.amazonaws.ecs.task-arn"));
        String family = task.getOrDefault("Family", docker.get("com.amazonaws.ecs.task-definition-family"));
        putIf(labels, "aws.ecs.cluster", cluster == null ? null : cluster.substring(cluster.lastIndexOf('/') + 1));
        putIf(labels, "aws.ecs.task_arn", taskArn);
        putIf(labels, "aws.ecs.family", family);
        putIf(labels, "aws.ecs.revision", task.getOrDefault("Revision", docker.get("com.amazonaws.ecs.task-definition-version")));
        putIf(labels, "aws.ecs.container", container.get("Name"));
        putIf(labels, "aws.ecs.launch_type", task.get("LaunchType"));
        putIf(labels, "aws.availability_zone", task.get("AvailabilityZone"));
        putIf(labels, "aws.image_id", container.get("ImageID"));
        // arn:aws:ecs:<region>:<account>:task/<cluster>/<id>
        String[] arn = taskArn == null ? new String[0] : taskArn.split(":", 6);
        if (arn.length == 6 && arn[0].equals("arn")) {
            putIf(labels, "aws.region", arn[3]);
            putIf(labels, "aws.account", arn[4]);
        }
        String launch = task.getOrDefault("LaunchType", "");
        return new Facts(launch.equalsIgnoreCase("FARGATE") ? "aws-ecs-fargate" : "aws-ecs",
                container.get("DockerId"), family, container.get("Name"), container.get("Image"), labels);
    }

    /**
     * The scalar members of a JSON object document into {@code into}, and those of its member object
     * {@code nested} (if not null) into {@code nestedInto}; arrays and other objects are skipped.
     */
    private static void readObject(byte[] doc, Map<String, String> into, String nested, Map<String, String> nestedInto)
            throws IOException {
        try (JsonParser p = JSON.createParser(doc)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.START_OBJECT && name.equals(nested)) {
                    readMembers(p, nestedInto);
                } else if (v.isScalarValue()) {
                    putScalar(p, v, name, into);
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) throw new IOException("malformed JSON object");
        }
    }

    private static void putScalar(JsonParser p, JsonToken v, String name, Map<String, String> into) throws IOException {
        String text = v == JsonToken.VALUE_NULL ? "" : p.getText();
        if (!text.isEmpty()) into.put(name, text);
    }

    private static void readMembers(JsonParser p, Map<String, String> into) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (v.isScalarValue()) {
                putScalar(p, v, name, into);
            } else {
                p.skipChildren();
            }
        }
    }

    /** The Cloud Run (GCE) metadata server: project id and region. */
    static Facts cloudRun(String server, Duration timeout) throws IOException {
        Map<String, String> flavor = Map.of("Metadata-Flavor", "Google");
        String v1 = server + "/computeMetadata/v1/";
        String project = new String(get(URI.create(v1 + "project/project-id"), flavor, timeout)).trim();
        // "projects/<number>/regions/<region>"
        String region = new String(get(URI.create(v1 + "instance/region"), flavor, timeout)).trim();
        Map<String, String> labels = new LinkedHashMap<>();
        putIf(labels, "gcp.project", project);
        putIf(labels, "gcp.region", region.substring(region.lastIndexOf('/') + 1));
        return new Facts("gcp-cloud-run", null, null, null, null, labels);
    }

    private static byte[] get(URI uri, Map<String, String> headers, Duration timeout) throws IOException {
        if (!"http".equals(uri.getScheme())) throw new IOException("not an http:// address: " + uri);
        // Never through a proxy: the endpoints are link-local and answer for this task only.
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
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

    private static void putIf(Map<String, String> labels, String key, String value) {
        if (value != null && !value.isEmpty()) labels.put(key, value);
    }

}
