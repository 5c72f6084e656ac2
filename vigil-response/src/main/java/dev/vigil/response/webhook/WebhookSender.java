package dev.vigil.response.webhook;

import dev.vigil.response.policy.WebhookTarget;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * POSTs findings to webhooks from one virtual thread. {@link #send} never blocks: a full queue drops the finding
 * and counts it. A delivery that fails with an I/O error or a 5xx is retried after 100 ms, 500 ms and 2 s; a
 * 4xx is not retried (the request itself is wrong). Thread-safe.
 */
public final class WebhookSender implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WebhookSender.class.getName());
    private static final List<Duration> BACKOFF = List.of(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2));
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private record Delivery(WebhookTarget target, String body) {}

    private final BlockingQueue<Delivery> queue;
    private final List<Duration> backoff;
    private final HttpClient client;
    private final Thread worker;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closing;

    public WebhookSender(int queueCapacity) {
        this(queueCapacity, BACKOFF);
    }

    WebhookSender(int queueCapacity, List<Duration> backoff) {
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.backoff = List.copyOf(backoff);
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.worker = Thread.ofVirtual().name("vigil-webhooks").start(this::run);
    }

    /** Queues the finding for the target; rendered now, so the caller may reuse nothing it passed. */
    public void send(WebhookTarget target, Finding f) {
        if (closing || !queue.offer(new Delivery(target, FindingJson.render(f)))) dropped.incrementAndGet();
    }

    /** Findings the webhook accepted (2xx). */
    public long sent() { return sent.get(); }

    /** Findings given up on: a 4xx, or an I/O error or 5xx after the retries. */
    public long failed() { return failed.get(); }

    /** Findings dropped because the queue was full or the sender closed. */
    public long dropped() { return dropped.get(); }

    /** Delivers what is queued, waiting up to 5 s; what is left is counted as dropped. */
    @Override public void close() {
        closing = true;
        try {
            if (!worker.join(CLOSE_WAIT)) {
                worker.interrupt();
                worker.join(Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dropped.addAndGet(queue.size());
        queue.clear();
        client.shutdownNow();
    }

    private void run() {
        try {
            while (true) {
                Delivery d = queue.poll(50, TimeUnit.MILLISECONDS);
                if (d == null) {
                    if (closing) return;
                    continue;
                }
                deliver(d);
            }
        } catch (InterruptedException e) {
            // close() gave up waiting; what is still queued is counted there.
        }
    }

    private void deliver(Delivery d) throws InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(d.target().url()).timeout(d.target().timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(d.body()));
        d.target().headers().forEach(b::header);
        HttpRequest request = b.build();
        String lastProblem = null;
        for (int attempt = 0; attempt <= backoff.size(); attempt++) {
            if (attempt > 0) Thread.sleep(backoff.get(attempt - 1));
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) {
                    sent.incrementAndGet();
                    return;
                }
                lastProblem = "HTTP " + status;
                if (status < 500) break;
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
        }
        long n = failed.incrementAndGet();
        // Rate-limited: a tracker that is down must not flood the log. Headers (credentials) are never logged.
        if (n == 1 || n % 100 == 0) {
            LOG.log(System.Logger.Level.WARNING, "{0}: finding not delivered: {1} ({2} failed so far)", d.target(), lastProblem, n);
        }
    }
}
