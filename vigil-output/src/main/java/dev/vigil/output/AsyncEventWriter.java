package dev.vigil.output;

import dev.vigil.event.Event;
import dev.vigil.event.EventJson;
import dev.vigil.event.EventSink;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes events as JSON lines on its own thread, so that the capture threads only enqueue. The queue is bounded;
 * when it is full the producer waits (the workload slows down) rather than losing an event. Output is flushed
 * whenever the queue runs empty, so a reader sees events promptly.
 */
public final class AsyncEventWriter implements EventSink, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AsyncEventWriter.class.getName());

    private final BlockingQueue<Object> queue;
    private final OutputStream out;
    private final boolean closeStream;
    private final Thread thread;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong producerWaits = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();
    private final Object endMarker = new Object();

    /**
     * @param out         where the lines go
     * @param closeStream whether {@link #close()} closes {@code out} (false for vigil's own stdout)
     * @param capacity    queue bound in events
     */
    public AsyncEventWriter(OutputStream out, boolean closeStream, int capacity) {
        this.out = new BufferedOutputStream(out, 1 << 16);
        this.closeStream = closeStream;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = Thread.ofPlatform().name("vigil-event-writer").daemon().start(this::drain);
    }

    @Override public void accept(Event event) {
        if (!queue.offer(event)) {
            producerWaits.incrementAndGet();
            try {
                queue.put(event);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while queueing an event", e);
            }
        }
    }

    /**
     * Writes in batches. While events flow, the writer naps briefly when the queue runs empty instead of
     * blocking on it: a blocked consumer would be woken (a futex wake and two context switches) for every single
     * event the capture threads enqueue. After a while with nothing to write it blocks again, so an idle sensor
     * costs nothing.
     */
    private void drain() {
        EventJson.LineWriter json = new EventJson.LineWriter(out);
        java.util.ArrayList<Object> batch = new java.util.ArrayList<>(4096);
        int idle = 0;
        try {
            while (true) {
                if (queue.drainTo(batch, 4096) == 0) {
                    flush(json);
                    if (++idle < IDLE_NAPS) {
                        java.util.concurrent.locks.LockSupport.parkNanos(NAP_NS);
                        continue;
                    }
                    batch.add(queue.take());
                }
                idle = 0;
                for (Object o : batch) {
                    if (o == endMarker) {
                        flush(json);
                        return;
                    }
                    write(json, (Event) o);
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final long NAP_NS = 200_000;
    private static final int IDLE_NAPS = 250; // 50 ms of naps, then block

    private void write(EventJson.LineWriter json, Event e) {
        try {
            json.write(e);
            written.incrementAndGet();
        } catch (IOException | RuntimeException ex) {
            if (writeErrors.getAndIncrement() == 0) LOG.log(System.Logger.Level.ERROR, "cannot write events: " + ex);
        }
    }

    private void flush(EventJson.LineWriter json) {
        try {
            json.flush();
            out.flush();
        } catch (IOException e) {
            if (writeErrors.getAndIncrement() == 0) LOG.log(System.Logger.Level.ERROR, "cannot write events: " + e);
        }
    }

    public long written() {
        return written.get();
    }

    public long producerWaits() {
        return producerWaits.get();
    }

    public long writeErrors() {
        return writeErrors.get();
    }

    /** Writes everything queued, then closes. */
    @Override public void close() throws InterruptedException {
        queue.put(endMarker);
        thread.join();
        if (closeStream) {
            try {
                out.close();
            } catch (IOException e) {
                writeErrors.incrementAndGet();
            }
        }
    }
}
