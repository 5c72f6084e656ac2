package dev.vigil.output.ship;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node KRaft Kafka broker (kafka_2.13 from the test classpath) in a child JVM on 127.0.0.1:
 * {@code StorageTool format --standalone}, then {@code kafka.Kafka server.properties}. Its log goes to
 * {@code broker.log} in the given directory.
 */
final class KafkaTestBroker implements AutoCloseable {
    final int port;
    final Path dir;
    private final Process process;

    private KafkaTestBroker(int port, Path dir, Process process) {
        this.port = port;
        this.dir = dir;
        this.process = process;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    static KafkaTestBroker start(Path dir) throws IOException, InterruptedException {
        int port = freePort(), controller = freePort();
        Path props = dir.resolve("server.properties");
        Files.writeString(props, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=2",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true", ""));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        Path log = dir.resolve("broker.log");
        Process format = new ProcessBuilder(java, "-Xmx128m", "-cp", cp, "kafka.tools.StorageTool", "format", "-t", clusterId,
                "-c", props.toString(), "--standalone").redirectErrorStream(true).redirectOutput(dir.resolve("format.log").toFile()).start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0)
            throw new IOException("kafka storage format failed: " + Files.readString(dir.resolve("format.log")));
        Process p = new ProcessBuilder(java, "-Xmx256m", "-Xss1m", "-XX:+UseSerialGC", "-cp", cp, "kafka.Kafka", props.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        KafkaTestBroker b = new KafkaTestBroker(port, dir, p);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new IOException("kafka broker exited: " + tail(log));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return b;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        b.close();
        throw new IOException("kafka broker not listening after 60 s: " + tail(log));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static String newTopic() {
        return "vigil-test-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
