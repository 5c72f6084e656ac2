package dev.vigil.state;

import dev.vigil.event.Workload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Works out the workload's identity. The traced workload is a container by construction (Vigil runs inside it),
 * so the container id is never "host": it comes from the platform's metadata endpoint ({@link CloudMetadata}:
 * ECS, Fargate), the cgroup path (Docker, containerd, CRI-O), the platform's environment (ECS task metadata URI,
 * Azure Container Apps replica, Cloud Run revision), or, on a plain machine, is derived from the sensor id.
 * Explicit labels (CLI flags) win over detection.
 */
public final class WorkloadDetector {
    private static final Pattern HEX64 = Pattern.compile("([0-9a-f]{64})");

    private WorkloadDetector() {}

    /** Labels the operator gave; null fields are detected. */
    public record Labels(String name, String image, String project, String environment, Map<String, String> extra) {}

    /** @param cloudFacts what the platform's metadata endpoint said ({@link CloudMetadata}), or null */
    public static Workload detect(Labels labels, Map<String, String> env, CloudMetadata.Facts cloudFacts,
                                  Path procSelfCgroup, String sensorId, String fallbackName) {
        String cloud = null, id = null, cname = null;
        Map<String, String> extra = new LinkedHashMap<>(labels.extra() == null ? Map.of() : labels.extra());
        if (env.get("ECS_CONTAINER_METADATA_URI_V4") != null || env.get("ECS_CONTAINER_METADATA_URI") != null) {
            cloud = "aws-ecs";
            String uri = env.getOrDefault("ECS_CONTAINER_METADATA_URI_V4", env.get("ECS_CONTAINER_METADATA_URI"));
            String last = uri.substring(uri.lastIndexOf('/') + 1);
            if (!last.isBlank()) id = last;
            if (env.get("AWS_EXECUTION_ENV") != null) extra.put("aws.execution_env", env.get("AWS_EXECUTION_ENV"));
        } else if (env.get("CONTAINER_APP_NAME") != null) {
            cloud = "azure-container-apps";
            cname = env.get("CONTAINER_APP_NAME");
            id = env.get("CONTAINER_APP_REPLICA_NAME");
            if (env.get("CONTAINER_APP_REVISION") != null) extra.put("azure.revision", env.get("CONTAINER_APP_REVISION"));
        } else if (env.get("K_SERVICE") != null) {
            cloud = "gcp-cloud-run";
            cname = env.get("K_SERVICE");
            if (env.get("K_REVISION") != null) extra.put("gcp.revision", env.get("K_REVISION"));
        }
        String image = labels.image();
        if (cloudFacts != null) {
            if (cloudFacts.cloud() != null) cloud = cloudFacts.cloud();
            if (cloudFacts.containerId() != null) id = cloudFacts.containerId();
            if (cloudFacts.name() != null && cname == null) cname = cloudFacts.name();
            if (image == null) image = cloudFacts.image();
            cloudFacts.labels().forEach(extra::putIfAbsent); // the operator's --label wins
        }
        String fromCgroup = cgroupContainerId(procSelfCgroup);
        if (fromCgroup != null && (cloudFacts == null || cloudFacts.containerId() == null)) id = fromCgroup;
        if (id == null || id.isBlank() || id.equals("host")) id = derivedId(sensorId);
        if (id.length() > 12 && HEX64.matcher(id).matches()) id = id.substring(0, 12);
        String name = labels.name() != null ? labels.name() : cname != null ? cname : fallbackName;
        String tag = null;
        if (image != null) {
            int at = image.lastIndexOf(':');
            if (at > image.lastIndexOf('/')) {
                tag = image.substring(at + 1);
                image = image.substring(0, at);
            }
        }
        String containerName = cloudFacts != null && cloudFacts.containerName() != null ? cloudFacts.containerName() : name;
        return new Workload(name, id, containerName, image, tag, labels.project(), labels.environment(),
                cloud == null ? "none" : cloud, extra);
    }

    /** A 64-hex container id in the cgroup file, or null. */
    static String cgroupContainerId(Path cgroupFile) {
        try {
            String text = Files.readString(cgroupFile, StandardCharsets.UTF_8);
            Matcher m = HEX64.matcher(text);
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** 12 hex digits from the sensor id (random per run), the length of a short container id. */
    private static String derivedId(String sensorId) {
        java.util.zip.CRC32C a = new java.util.zip.CRC32C(), b = new java.util.zip.CRC32C();
        byte[] bytes = sensorId.getBytes(StandardCharsets.UTF_8);
        a.update(bytes);
        b.update(bytes);
        b.update(0x5a);
        return String.format("%08x%04x", a.getValue(), b.getValue() & 0xffff);
    }
}
