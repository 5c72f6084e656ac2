package dev.vigil.hunt.store;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which (sensor, seq) pairs are stored, as merged intervals per sensor. Event ids are {@code <sensor>-<seq>}
 * and sensors number events without gaps, so a sensor's stored events are a handful of intervals however
 * many there are: the idempotency check costs a map lookup instead of a primary-key index in DuckDB (which
 * halved ingest speed). Not thread-safe: {@link EventStore} guards it.
 */
final class SeqIndex {
    private final Map<String, TreeMap<Long, Long>> bySensor = new HashMap<>();

    /** Takes {@code other}'s intervals in place of this one's. */
    void replaceWith(SeqIndex other) {
        bySensor.clear();
        bySensor.putAll(other.bySensor);
    }

    /** Whether any seq in the closed interval [from, to] is stored. */
    boolean intersects(String sensor, long from, long to) {
        TreeMap<Long, Long> r = bySensor.get(sensor);
        if (r == null) return false;
        Map.Entry<Long, Long> below = r.floorEntry(to);
        return below != null && below.getValue() >= from;
    }

    boolean contains(String sensor, long seq) {
        TreeMap<Long, Long> r = bySensor.get(sensor);
        if (r == null) return false;
        Map.Entry<Long, Long> e = r.floorEntry(seq);
        return e != null && e.getValue() >= seq;
    }

    /** Adds the closed interval [from, to]. */
    void add(String sensor, long from, long to) {
        TreeMap<Long, Long> r = bySensor.computeIfAbsent(sensor, k -> new TreeMap<>());
        long start = from, end = to;
        Map.Entry<Long, Long> lower = r.floorEntry(from);
        if (lower != null && lower.getValue() >= from - 1 && from != Long.MIN_VALUE) {
            start = lower.getKey();
            end = Math.max(end, lower.getValue());
        }
        while (true) {
            Map.Entry<Long, Long> next = r.ceilingEntry(start);
            if (next == null || (end != Long.MAX_VALUE && next.getKey() > end + 1)) break;
            end = Math.max(end, next.getValue());
            r.remove(next.getKey());
        }
        r.put(start, end);
    }

    void add(String sensor, long seq) {
        add(sensor, seq, seq);
    }

    /** Removes one value (a reservation whose insert failed). */
    void remove(String sensor, long seq) {
        TreeMap<Long, Long> r = bySensor.get(sensor);
        if (r == null) return;
        Map.Entry<Long, Long> e = r.floorEntry(seq);
        if (e == null || e.getValue() < seq) return;
        r.remove(e.getKey());
        if (e.getKey() < seq) r.put(e.getKey(), seq - 1);
        if (e.getValue() > seq) r.put(seq + 1, e.getValue());
    }

    /** Number of intervals held (for stats). */
    int intervals() {
        int n = 0;
        for (TreeMap<Long, Long> r : bySensor.values()) n += r.size();
        return n;
    }
}
