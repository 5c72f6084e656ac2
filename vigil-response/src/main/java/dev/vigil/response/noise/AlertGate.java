package dev.vigil.response.noise;

import dev.vigil.response.policy.NoiseSettings;
import dev.vigil.rules.output.Alert;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Decides whether an alert is delivered. The first alert of a key (rule and rendered message, which carries no
 * time) is delivered at once; identical ones within the de-duplication window are counted as duplicates and
 * reported when the window ends ({@link #drainExpired()}). Delivered alerts pass a token bucket per rule; those
 * over the rate are dropped and counted. At most {@code maxKeys} windows are kept: the oldest are closed early.
 * Thread-safe (synchronized).
 */
public final class AlertGate {
    /** How many open de-duplication windows are kept at most. */
    public static final int DEFAULT_MAX_KEYS = 10_000;

    public enum Admission { DELIVER, DUPLICATE, RATE_LIMITED }

    /**
     * Alerts merged in one window.
     *
     * @param first      the delivered alert
     * @param count      how many identical alerts the window saw, the first included
     * @param lastTimeNs the event time of the last one
     */
    public record Repeat(Alert first, long count, long lastTimeNs) {}

    private static final class Window {
        final Alert first;
        final long openedNs;
        long count = 1;
        long lastTimeNs;

        Window(Alert first, long openedNs) {
            this.first = first;
            this.openedNs = openedNs;
            this.lastTimeNs = first.timeNs();
        }

        Repeat repeat() { return new Repeat(first, count, lastTimeNs); }
    }

    private static final class Bucket {
        double tokens;
        long refilledNs;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledNs = now;
        }
    }

    private final long windowNs;
    private final double ratePerNs;
    private final int burst;
    private final boolean limited;
    private final int maxKeys;
    private final LongSupplier clock;
    // Insertion order is opening order, and every window has the same length: the head expires first.
    private final LinkedHashMap<String, Window> windows = new LinkedHashMap<>();
    private final Map<String, Bucket> buckets = new HashMap<>();
    private final List<Repeat> closed = new ArrayList<>();
    private long duplicates;
    private long rateLimited;

    public AlertGate(NoiseSettings s, LongSupplier nanoClock) {
        this(s, nanoClock, DEFAULT_MAX_KEYS);
    }

    AlertGate(NoiseSettings s, LongSupplier nanoClock, int maxKeys) {
        this.windowNs = s.dedupWindow().toNanos();
        this.ratePerNs = s.ratePerSecond() / 1e9;
        this.burst = s.burst();
        this.limited = s.rateLimited();
        this.maxKeys = maxKeys;
        this.clock = nanoClock;
    }

    public synchronized Admission admit(Alert a) {
        long now = clock.getAsLong();
        String key = null;
        if (windowNs > 0) {
            expire(now);
            key = a.rule() + '\u0000' + a.message();
            Window w = windows.get(key);
            if (w != null) {
                w.count++;
                w.lastTimeNs = a.timeNs();
                duplicates++;
                return Admission.DUPLICATE;
            }
        }
        if (limited && !takeToken(a.rule(), now)) {
            rateLimited++;
            return Admission.RATE_LIMITED;
        }
        if (key != null) {
            if (windows.size() >= maxKeys) closeOldest();
            windows.put(key, new Window(a, now));
        }
        return Admission.DELIVER;
    }

    /** The windows that ended since the last call and saw duplicates (windows without repeats are dropped). */
    public synchronized List<Repeat> drainExpired() {
        expire(clock.getAsLong());
        List<Repeat> out = List.copyOf(closed);
        closed.clear();
        return out;
    }

    /** Every window with duplicates, ended or not; for shutdown. */
    public synchronized List<Repeat> drainAll() {
        List<Repeat> out = new ArrayList<>(closed);
        closed.clear();
        for (Window w : windows.values()) if (w.count > 1) out.add(w.repeat());
        windows.clear();
        return out;
    }

    /** Alerts merged into an earlier identical one. */
    public synchronized long duplicates() { return duplicates; }

    /** Alerts dropped by the rate limit. */
    public synchronized long rateLimited() { return rateLimited; }

    private void expire(long now) {
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            Window w = it.next();
            if (now - w.openedNs < windowNs) break;
            if (w.count > 1) closed.add(w.repeat());
            it.remove();
        }
    }

    private void closeOldest() {
        Iterator<Window> it = windows.values().iterator();
        Window w = it.next();
        if (w.count > 1) closed.add(w.repeat());
        it.remove();
    }

    private boolean takeToken(String rule, long now) {
        Bucket b = buckets.computeIfAbsent(rule, r -> new Bucket(burst, now));
        b.tokens = Math.min(burst, b.tokens + (now - b.refilledNs) * ratePerNs);
        b.refilledNs = now;
        if (b.tokens < 1) return false;
        b.tokens -= 1;
        return true;
    }
}
