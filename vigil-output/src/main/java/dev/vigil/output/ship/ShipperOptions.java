package dev.vigil.output.ship;

import dev.vigil.output.spool.v1.SpoolOptions;

import java.time.Duration;
import java.util.Map;

/**
 * Shipper settings.
 *
 * @param token          the hunt server's API token (HTTP); null sends none
 * @param spool          spool size bound, segment size and fsync policy
 * @param maxBatchEvents most records in one request
 * @param maxBatchBytes  about the most payload bytes in one request (keep under the server's request limit)
 * @param requestTimeout connect and response timeout of one request
 * @param minBackoff     first wait after a failed send; doubles up to {@code maxBackoff}
 * @param maxBackoff     longest wait between retries
 * @param closeTimeout   how long {@code close()} keeps trying to ship what is spooled; the rest stays on disk
 * @param kafka          extra Kafka producer properties for {@code kafka://} targets (may be empty)
 */
public record ShipperOptions(String token, SpoolOptions spool, int maxBatchEvents, int maxBatchBytes,
                             Duration requestTimeout, Duration minBackoff, Duration maxBackoff,
                             Duration closeTimeout, Map<String, String> kafka) {
    public ShipperOptions {
        if (spool == null) spool = SpoolOptions.defaults();
        if (maxBatchEvents < 1) throw new IllegalArgumentException("maxBatchEvents must be positive");
        if (maxBatchBytes < 1024) throw new IllegalArgumentException("maxBatchBytes must be at least 1024");
        kafka = kafka == null ? Map.of() : Map.copyOf(kafka);
    }

    /** Defaults: 1000 events or 1 MiB per request, 10 s timeout, backoff 100 ms to 30 s, 5 s to drain at close. */
    public static ShipperOptions withToken(String token) {
        return new ShipperOptions(token, SpoolOptions.defaults(), 1000, 1 << 20, Duration.ofSeconds(10),
                Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofSeconds(5), Map.of());
    }

    public ShipperOptions withSpool(SpoolOptions v) { return new ShipperOptions(token, v, maxBatchEvents, maxBatchBytes, requestTimeout, minBackoff, maxBackoff, closeTimeout, kafka); }
    public ShipperOptions withMaxBatchEvents(int v) { return new ShipperOptions(token, spool, v, maxBatchBytes, requestTimeout, minBackoff, maxBackoff, closeTimeout, kafka); }
    public ShipperOptions withMaxBatchBytes(int v) { return new ShipperOptions(token, spool, maxBatchEvents, v, requestTimeout, minBackoff, maxBackoff, closeTimeout, kafka); }
    public ShipperOptions withRequestTimeout(Duration v) { return new ShipperOptions(token, spool, maxBatchEvents, maxBatchBytes, v, minBackoff, maxBackoff, closeTimeout, kafka); }
    public ShipperOptions withBackoff(Duration min, Duration max) { return new ShipperOptions(token, spool, maxBatchEvents, maxBatchBytes, requestTimeout, min, max, closeTimeout, kafka); }
    public ShipperOptions withCloseTimeout(Duration v) { return new ShipperOptions(token, spool, maxBatchEvents, maxBatchBytes, requestTimeout, minBackoff, maxBackoff, v, kafka); }
    public ShipperOptions withKafka(Map<String, String> v) { return new ShipperOptions(token, spool, maxBatchEvents, maxBatchBytes, requestTimeout, minBackoff, maxBackoff, closeTimeout, v); }
}
