package dev.vigil.output.ship;

import dev.vigil.event.Event;
import dev.vigil.event.EventJson;
import dev.vigil.output.spool.v1.Spool;
import dev.vigil.output.spool.v1.SpoolRecord;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ships events from the sensor to the hunt server through the on-disk spool: {@link #accept} encodes and
 * appends (local disk only, never the network), a background thread sends batches and acknowledges them in
 * the spool, retrying with exponential backoff. A restart resumes after the last acknowledged record; a
 * batch whose acknowledgement was lost is sent again, which the server's idempotent ingest absorbs.
 *
 * <pre>{@code
 * try (EventShipper ship = EventShipper.open(URI.create("http://127.0.0.1:7070/"), spoolDir,
 *         ShipperOptions.withToken(token))) {
 *     ship.accept(event);              // any thread
 *     ship.counters();                 // seen, spooled, shipped, dropped, ...
 * }                                    // close(): ships what it can within closeTimeout, keeps the rest on disk
 * }</pre>
 */
public final class EventShipper implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventShipper.class.getName());

    private final Spool spool;
    private final Transport transport;
    private final ShipperOptions options;
    private final ThreadLocal<EventJson> encoders = ThreadLocal.withInitial(EventJson::new);
    private final Thread thread;
    private final AtomicLong seen = new AtomicLong();
    private final AtomicLong spooled = new AtomicLong();
    private final AtomicLong shipped = new AtomicLong();
    private final AtomicLong tooLargeDropped = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile String lastError = "";
    private volatile boolean closing;
    private volatile boolean stopNow;

    private EventShipper(Spool spool, Transport transport, ShipperOptions options) {
        this.spool = spool;
        this.transport = transport;
        this.options = options;
        this.thread = Thread.ofVirtual().name("vigil-shipper").unstarted(this::run);
    }

    /**
     * Opens the spool in {@code spoolDir} and starts shipping to {@code target}: {@code http://host:port/} (the
     * hunt server; {@code /api/ingest} is appended) or {@code kafka://host:port/topic}.
     *
     * @throws IOException              when the spool directory cannot be created or read
     * @throws IllegalArgumentException for an unsupported URI scheme
     */
    public static EventShipper open(URI target, Path spoolDir, ShipperOptions options) throws IOException {
        Transport t = transportFor(target, options);
        Spool s;
        try {
            s = Spool.open(spoolDir, options.spool());
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
        EventShipper sh = new EventShipper(s, t, options);
        sh.thread.start();
        return sh;
    }

    /** Opens with an explicit transport (tests, or a transport the caller built). */
    public static EventShipper open(Transport transport, Path spoolDir, ShipperOptions options) throws IOException {
        EventShipper sh = new EventShipper(Spool.open(spoolDir, options.spool()), transport, options);
        sh.thread.start();
        return sh;
    }

    static Transport transportFor(URI target, ShipperOptions options) {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(java.util.Locale.ROOT);
        return switch (scheme) {
            case "http", "https" -> new HttpTransport(target, options.token(), options.requestTimeout());
            case "kafka" -> KafkaTransports.create(target, options);
            default -> throw new IllegalArgumentException("unsupported ship target " + target
                    + ": use http://host:port/ (vigil hunt) or kafka://host:port/topic");
        };
    }

    /** Encodes the event as a schema-1 JSON line and spools it. Never blocks on the network, never throws. */
    public void accept(Event event) {
        seen.incrementAndGet();
        byte[] line;
        try {
            line = encoders.get().toJson(event).getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            tooLargeDropped.incrementAndGet();
            lastError = "cannot encode an event: " + e;
            return;
        }
        append(SpoolRecord.TYPE_EVENT, line);
    }

    /** Spools an event already encoded as one JSON line (no newline). */
    public void acceptLine(String jsonLine) {
        seen.incrementAndGet();
        append(SpoolRecord.TYPE_EVENT, jsonLine.getBytes(StandardCharsets.UTF_8));
    }

    /** Spools a Falco-format alert (one JSON line). */
    public void acceptAlert(String falcoJson) {
        seen.incrementAndGet();
        append(SpoolRecord.TYPE_ALERT, falcoJson.getBytes(StandardCharsets.UTF_8));
    }

    private void append(byte type, byte[] line) {
        if (spool.append(type, line) >= 0) spooled.incrementAndGet();
    }

    /** A snapshot of the counters. */
    public ShipperCounters counters() {
        var s = spool.stats();
        return new ShipperCounters(seen.get(), spooled.get(), shipped.get(), s.dropped() + tooLargeDropped.get(),
                s.corruptRecords(), s.tornBytes(), retries.get(), batches.get(), refused.get(), s.pendingBytes(),
                lastError);
    }

    /** Waits until everything spooled was acknowledged; false when the timeout passed first. */
    public boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!spool.drained()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(10);
        }
        return true;
    }

    private void run() {
        long pos = spool.ackedOffset();
        int limit = options.maxBatchEvents();
        long backoffMs = options.minBackoff().toMillis();
        long failuresLogged = 0;
        while (!stopNow) {
            List<Spool.Entry> batch;
            long appendsBefore = spool.appendCount();
            try {
                batch = spool.read(pos, limit, options.maxBatchBytes());
            } catch (IOException e) {
                lastError = "spool read failed: " + e.getMessage();
                LOG.log(System.Logger.Level.ERROR, lastError);
                sleep(backoffMs);
                continue;
            }
            if (batch.isEmpty()) {
                if (closing) break;
                try {
                    spool.awaitAppend(appendsBefore, 200);
                } catch (InterruptedException e) {
                    if (stopNow) break;
                }
                continue;
            }
            List<byte[]> lines = new ArrayList<>(batch.size());
            List<Byte> types = new ArrayList<>(batch.size());
            for (Spool.Entry e : batch) {
                lines.add(e.payload());
                types.add(e.type());
            }
            Transport.Result r = transport.send(lines, types);
            switch (r.outcome()) {
                case OK -> {
                    long next = batch.getLast().next();
                    // counters first: flush() returns once the ack is visible, and callers read them then
                    shipped.addAndGet(batch.size());
                    batches.incrementAndGet();
                    refused.addAndGet(r.refusedLines());
                    try {
                        spool.ack(next);
                    } catch (IOException e) {
                        // not persisted: after a restart this batch is sent again and deduplicated by the server
                        lastError = "cannot persist the acked offset: " + e.getMessage();
                    }
                    pos = next;
                    backoffMs = options.minBackoff().toMillis();
                    limit = Math.min(options.maxBatchEvents(), limit * 2);
                    failuresLogged = 0;
                }
                case TOO_LARGE -> {
                    if (batch.size() == 1) {
                        tooLargeDropped.incrementAndGet();
                        lastError = "a record of " + batch.getFirst().payload().length + " bytes is too large for the receiver";
                        LOG.log(System.Logger.Level.WARNING, "shipper: " + lastError + "; dropped (counted)");
                        long next = batch.getFirst().next();
                        try {
                            spool.ack(next);
                        } catch (IOException e) {
                            lastError = "cannot persist the acked offset: " + e.getMessage();
                        }
                        pos = next;
                    } else {
                        limit = Math.max(1, batch.size() / 2);
                    }
                }
                case RETRY -> {
                    retries.incrementAndGet();
                    lastError = r.reason();
                    if (failuresLogged++ == 0 || Long.bitCount(failuresLogged) == 1)
                        LOG.log(System.Logger.Level.WARNING, "shipper: send failed (" + failuresLogged
                                + " in a row), retrying in " + backoffMs + " ms: " + r.reason());
                    sleep(backoffMs + ThreadLocalRandom.current().nextLong(backoffMs / 4 + 1));
                    backoffMs = Math.min(options.maxBackoff().toMillis(), backoffMs * 2);
                }
            }
        }
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            // close() interrupts to stop now; the loop checks stopNow
        }
    }

    /**
     * Ships what is spooled for up to {@code closeTimeout}, then stops the thread and closes the spool. Records
     * not acknowledged by then stay in the spool and are shipped by the next {@link #open}.
     */
    @Override public void close() throws IOException {
        closing = true;
        spool.wakeUp();
        try {
            thread.join(options.closeTimeout());
            if (thread.isAlive()) {
                stopNow = true;
                thread.interrupt();
                thread.join(Duration.ofSeconds(30));
            }
        } catch (InterruptedException e) {
            stopNow = true;
            thread.interrupt();
            Thread.currentThread().interrupt();
        } finally {
            transport.close();
            spool.close();
        }
    }
}
