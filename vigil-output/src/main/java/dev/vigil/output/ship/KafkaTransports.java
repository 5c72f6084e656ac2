package dev.vigil.output.ship;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Kafka targets: {@code kafka://host:port/topic}, with more bootstrap servers as {@code ?bootstrap=h1:p1,h2:p2}.
 * Each JSON line becomes one record (no key; header {@code vigil-type} = {@code event} or {@code alert});
 * the producer is idempotent with {@code acks=all}. A batch is acknowledged in the spool only when every
 * record of it was acknowledged by the brokers; otherwise it is retried (at-least-once: consumers dedupe by
 * event id).
 */
final class KafkaTransports {
    /** Topic used when the URI has no path. */
    static final String DEFAULT_TOPIC = "vigil-events";

    private KafkaTransports() {}

    static Transport create(URI target, ShipperOptions options) {
        String host = target.getHost();
        if (host == null || target.getPort() < 0)
            throw new IllegalArgumentException("kafka target needs host and port: kafka://host:port/topic, got " + target);
        String bootstrap = host + ":" + target.getPort();
        String q = target.getRawQuery();
        if (q != null) {
            for (String kv : q.split("&")) {
                if (kv.startsWith("bootstrap=")) bootstrap += "," + URLDecoder.decode(kv.substring(10), StandardCharsets.UTF_8);
            }
        }
        String path = target.getPath() == null ? "" : target.getPath().replaceAll("^/+|/+$", "");
        String topic = path.isEmpty() ? DEFAULT_TOPIC : path;
        if (!topic.matches("[A-Za-z0-9._-]{1,249}")) throw new IllegalArgumentException("not a Kafka topic name: " + topic);
        return new KafkaTransport(bootstrap, topic, options.requestTimeout(), options.kafka());
    }

    /** The producer side. Used by the shipper thread only. */
    static final class KafkaTransport implements Transport {
        private static final byte[] EVENT = "event".getBytes(StandardCharsets.UTF_8);
        private static final byte[] ALERT = "alert".getBytes(StandardCharsets.UTF_8);
        private final KafkaProducer<byte[], byte[]> producer;
        private final String topic;
        private final Duration timeout;

        KafkaTransport(String bootstrap, String topic, Duration timeout, Map<String, String> extra) {
            this.topic = topic;
            this.timeout = timeout;
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-shipper");
            int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(ms));
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(ms));
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(ms + 5));
            p.putAll(extra);
            this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override public Result send(List<byte[]> lines, List<Byte> types) {
            List<Future<RecordMetadata>> acks = new ArrayList<>(lines.size());
            try {
                for (int i = 0; i < lines.size(); i++) {
                    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, null, lines.get(i));
                    r.headers().add("vigil-type", types.get(i) == 2 ? ALERT : EVENT);
                    acks.add(producer.send(r));
                }
                producer.flush();
                long deadline = System.nanoTime() + timeout.toNanos();
                for (Future<RecordMetadata> f : acks) f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return Result.ok(0);
            } catch (ExecutionException e) {
                return Result.retry("kafka: " + e.getCause());
            } catch (TimeoutException e) {
                return Result.retry("kafka: no acknowledgement within " + timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Result.retry("interrupted");
            } catch (RuntimeException e) {
                return Result.retry("kafka: " + e);
            }
        }

        @Override public void close() {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
