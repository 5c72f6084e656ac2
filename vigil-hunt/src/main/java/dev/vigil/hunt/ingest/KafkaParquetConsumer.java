package dev.vigil.hunt.ingest;

import dev.vigil.hunt.store.parquet.v1.ParquetWriterV1;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumes the shippers' Kafka topic and writes Parquet files partitioned by day and workload
 * ({@link ParquetWriterV1}). Offsets are committed only after a batch's files are written, so a crash
 * re-delivers rather than loses (at-least-once). Lines are validated by the same {@link IngestParser} as the
 * HTTP ingest; refused lines are counted and skipped. One platform thread; {@link #close()} stops it.
 */
public final class KafkaParquetConsumer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(KafkaParquetConsumer.class.getName());
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ParquetWriterV1 writer;
    private final IngestParser parser = new IngestParser(1 << 20);
    private final Thread thread;
    private final AtomicLong records = new AtomicLong(), events = new AtomicLong(), alerts = new AtomicLong(),
            refused = new AtomicLong(), batches = new AtomicLong(), failures = new AtomicLong();
    private volatile boolean stopping;

    private KafkaParquetConsumer(KafkaConsumer<byte[], byte[]> consumer, ParquetWriterV1 writer) {
        this.consumer = consumer;
        this.writer = writer;
        this.thread = Thread.ofPlatform().name("vigil-hunt-kafka").daemon().unstarted(this::run);
    }

    /**
     * Subscribes to {@code topic} as consumer group {@code groupId} and starts writing under {@code root}.
     *
     * @param extra more consumer properties (security settings, ...); may be empty
     */
    public static KafkaParquetConsumer start(String bootstrap, String topic, String groupId, Path root,
                                             Map<String, String> extra) throws IOException, SQLException {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "20000");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-hunt-parquet");
        p.putAll(extra);
        ParquetWriterV1 w = ParquetWriterV1.open(root, "512MB");
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(topic));
        KafkaParquetConsumer k = new KafkaParquetConsumer(c, w);
        k.thread.start();
        return k;
    }

    private void run() {
        try {
            while (!stopping) {
                ConsumerRecords<byte[], byte[]> recs;
                try {
                    recs = consumer.poll(Duration.ofMillis(500));
                } catch (WakeupException e) {
                    break;
                }
                if (recs.isEmpty()) continue;
                ByteArrayOutputStream body = new ByteArrayOutputStream(recs.count() * 600);
                for (ConsumerRecord<byte[], byte[]> r : recs) {
                    if (r.value() == null) continue;
                    body.writeBytes(r.value());
                    body.write('\n');
                }
                ParsedBatch b = parser.parse(body.toByteArray());
                while (true) {
                    try {
                        writer.write(b.events(), b.alerts());
                        break;
                    } catch (SQLException e) {
                        failures.incrementAndGet();
                        LOG.log(System.Logger.Level.ERROR, "parquet write failed, retrying in 1 s: " + e.getMessage());
                        try {
                            Thread.sleep(1000);
                        } catch (InterruptedException ie) {
                            return; // uncommitted: delivered again after a restart
                        }
                        if (stopping) return;
                    }
                }
                consumer.commitSync();
                records.addAndGet(recs.count());
                events.addAndGet(b.events().size());
                alerts.addAndGet(b.alerts().size());
                refused.addAndGet(b.refused().size());
                batches.incrementAndGet();
            }
        } catch (WakeupException e) {
            // close() during commit
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            LOG.log(System.Logger.Level.ERROR, "kafka consumer stopped", e);
        }
    }

    /** Counters: records, events, alerts, refused, batches, failures. */
    public Map<String, Long> counters() {
        return Map.of("records", records.get(), "events", events.get(), "alerts", alerts.get(), "refused", refused.get(),
                "batches", batches.get(), "failures", failures.get());
    }

    /** The writer's directories. */
    public ParquetWriterV1 writer() {
        return writer;
    }

    @Override public void close() throws SQLException {
        stopping = true;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(5));
        writer.close();
    }
}
