package dev.vigil.event;

import java.util.Map;

/**
 * Identity of the watched workload: a container by construction (Vigil runs inside it). {@code containerId} is
 * never "host": it comes from the cgroup, cloud metadata, or is derived from the sensor id.
 */
public record Workload(String name, String containerId, String containerName, String image, String imageTag,
                       String project, String environment, String cloud, Map<String, String> labels) {
    public Workload {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
