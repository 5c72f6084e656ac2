package dev.vigil.state;

import dev.vigil.event.Event;
import dev.vigil.event.EventHeader;
import dev.vigil.event.EventSink;
import dev.vigil.event.Workload;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Stamps events with the schema version, a gap-free per-sensor sequence number, the time and the workload,
 * and passes them on. The stamp and the hand-off happen under one lock, so the sink sees events in sequence
 * order even when both capture threads emit at once.
 */
public final class EventEmitter {
    private final String sensorId;
    private final Workload workload;
    private final EventSink sink;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong emitted = new AtomicLong();
    private final java.util.Map<String, AtomicLong> perKind = new java.util.concurrent.ConcurrentHashMap<>();
    private long nextSeq = 1;

    public EventEmitter(String sensorId, Workload workload, EventSink sink, Clock clock) {
        this.sensorId = sensorId;
        this.workload = workload;
        this.sink = sink;
        this.clock = clock;
    }

    /** Builds the event around a fresh header and passes it to the sink; returns the event. */
    public <E extends Event> E emit(Function<EventHeader, E> make) {
        lock.lock();
        try {
            Instant now = clock.instant();
            EventHeader h = new EventHeader(Event.SCHEMA_VERSION, nextSeq, now.getEpochSecond() * 1_000_000_000L + now.getNano(),
                    sensorId, workload);
            E e = make.apply(h);
            nextSeq++;
            emitted.incrementAndGet();
            perKind.computeIfAbsent(e.kind(), k -> new AtomicLong()).incrementAndGet();
            sink.accept(e);
            return e;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Builds an event that is not emitted ({@link EventHeader#PROVISIONAL_SEQ}, no sink): an attempt judged
     * before its real event exists.
     * Takes no lock and uses no sequence number, so nothing is missing from the stream if it is dropped.
     */
    public <E extends Event> E provisional(Function<EventHeader, E> make) {
        return make.apply(new EventHeader(Event.SCHEMA_VERSION, EventHeader.PROVISIONAL_SEQ, nowNs(), sensorId, workload));
    }

    /** Current time in ns since the epoch, from the emitter's clock. */
    public long nowNs() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Events emitted per kind so far, sorted by kind. */
    public java.util.Map<String, Long> countsByKind() {
        java.util.Map<String, Long> m = new java.util.TreeMap<>();
        perKind.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    public long emitted() {
        return emitted.get();
    }

    public String sensorId() {
        return sensorId;
    }

    public Workload workload() {
        return workload;
    }
}
