package dev.vigil.event;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Identity of the watched workload: a container by construction (Vigil runs inside it). {@code containerId} is
 * never "host": it comes from the cgroup, cloud metadata, or is derived from the sensor id.
 */
public record Workload(String name, String containerId, String containerName, String image, String imageTag,
                       String project, String environment, String cloud, Map<String, String> labels) {
    /** {@code labels} are kept sorted by key, the order events list them in. */
    public Workload {
        labels = labels == null || labels.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
    }
}
