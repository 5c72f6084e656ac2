package dev.vigil.event;

/**
 * What every event carries: schema version, a per-sensor sequence number with no gaps (so a consumer can
 * prove nothing is missing), wall-clock time in nanoseconds since the epoch, and the workload's identity.
 */
public record EventHeader(int schema, long seq, long timeNs, String sensorId, Workload workload) {
    public EventHeader {
        if (sensorId == null || workload == null) throw new IllegalArgumentException("sensorId and workload are required");
    }

    /** A stable id for idempotent ingest: sensor id and sequence number. */
    public String eventId() {
        return sensorId + "-" + seq;
    }
}
