package dev.vigil.rules.output;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * POSTs each alert as Falco JSON to a URL (Falcosidekick's root endpoint accepts it). {@link #send} only
 * queues (bounded; a full queue drops and counts), so the evaluating thread never waits on the network; one
 * virtual thread delivers. Non-2xx answers and I/O errors are counted as failures, not retried.
 */
public final class HttpSink implements AlertSink {
    private static final Alert STOP = new Alert(0, "", dev.vigil.rules.engine.Priority.DEBUG, "", "", java.util.Map.of(), "", java.util.List.of(), "", "");

    private final URI uri;
    private final HttpClient client;
    private final BlockingQueue<Alert> queue;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final Thread sender;

    public HttpSink(URI uri, int capacity, Duration timeout) {
        this.uri = uri;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.sender = Thread.ofVirtual().name("vigil-alert-http").start(() -> loop(timeout));
    }

    private void loop(Duration timeout) {
        while (true) {
            Alert a;
            try {
                a = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (a == STOP) return;
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(AlertFormatter.json(a))).build();
            try {
                HttpResponse<Void> r = client.send(req, HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 == 2) sent.incrementAndGet(); else failures.incrementAndGet();
            } catch (java.io.IOException e) {
                failures.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void send(Alert alert) {
        if (!queue.offer(alert)) failures.incrementAndGet();
    }

    /** Alerts delivered with a 2xx answer. */
    public long sent() { return sent.get(); }

    @Override public long failures() { return failures.get(); }

    /** Delivers what is queued (waiting up to 5 s), then stops. */
    @Override
    public void close() {
        try {
            if (!queue.offer(STOP, 5, TimeUnit.SECONDS)) sender.interrupt();
            sender.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
