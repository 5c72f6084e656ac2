package dev.vigil.event;

/**
 * What every event carries: schema version, a per-sensor sequence number with no gaps (so a consumer can
 * prove nothing is missing), wall-clock time in nanoseconds since the epoch, and the workload's identity.
 */
public record EventHeader(int schema, long seq, long timeNs, String sensorId, Workload workload) {
    public EventHeader {
        if (sensorId == null || workload == null) throw new IllegalArgumentException("sensorId and workload are required");
    }

    /**
     * The sequence number of an event built but not emitted: a syscall attempt judged before its event exists.
     * Not 0, which stock Falco rules read as "never" ({@code never_true: evt.num=0}).
     */
    public static final long PROVISIONAL_SEQ = -1;

    /** Whether this event was built but not emitted ({@link #PROVISIONAL_SEQ}). */
    public boolean provisional() {
        return seq == PROVISIONAL_SEQ;
    }

    /** A stable id for idempotent ingest: sensor id and sequence number. */
    public String eventId() {
        return sensorId + "-" + seq;
    }
}
