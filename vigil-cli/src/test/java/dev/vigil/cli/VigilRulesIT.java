package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Vigil's own rules for serverless containers ({@code rules/vigil_rules.yaml}) end to end: each behaviour
 * runs under {@code vigil run} (without {@code --events}, so the sensor watches only what the rules need)
 * and the rule must be in the JSON alerts with the values it reports; the benign counterpart of each, run
 * the way an application does it, must raise none of them. Scripts in {@code src/test/resources/vigilrules}.
 * Nothing leaves loopback: DNS goes to a closed UDP port on 127.0.0.1, the managed identity endpoint is a
 * listener of this test on 127.0.0.1:42356.
 */
class VigilRulesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RULES = Vigil.ROOT.resolve("rules/vigil_rules.yaml");
    private static final Path SCRIPTS = Vigil.ROOT.resolve("vigil-cli/src/test/resources/vigilrules");
    private static final int IDENTITY_PORT = 42356;
    private static final String DRIFT = "Vigil Drift: Executable Written Then Run";
    private static final String MINING_DNS = "Vigil DNS Query for Cryptomining Pool";
    private static final String IDENTITY = "Vigil Managed Identity Endpoint from Shell or Tool";
    private static final String ENVIRON = "Vigil Read Environment of Another Process";

    @TempDir Path tmp;
    private static String python;

    @BeforeAll
    static void prerequisites() throws Exception {
        assumeTrue(Files.isRegularFile(Vigil.JAR), "vigil.jar not built: " + Vigil.JAR);
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) && Files.isExecutable(Path.of("/bin/true")), "needs bash and true");
        Path py = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(py), "python3 is not installed");
        python = py.toRealPath().toString();
    }

    record Run(int exitCode, String stdout, String stderr, List<JsonNode> alerts) {
        List<JsonNode> of(String rule) {
            return alerts.stream().filter(a -> a.path("rule").asText().equals(rule)).toList();
        }

        String describe() {
            Map<String, Integer> counts = new TreeMap<>();
            alerts.forEach(a -> counts.merge(a.path("rule").asText(), 1, Integer::sum));
            return "\n--- exit " + exitCode + "; alerts by rule: " + counts + "\n--- workload stdout:\n" + stdout
                    + "\n--- vigil stderr (-v):\n" + stderr;
        }
    }

    private Run vigil(String name, List<String> workload) throws IOException, InterruptedException {
        return vigil(name, RULES, workload);
    }

    private Run vigil(String name, Path rules, List<String> workload) throws IOException, InterruptedException {
        Path alerts = tmp.resolve(name + "-alerts.json");
        Path out = tmp.resolve(name + "-out.txt");
        Path err = tmp.resolve(name + "-err.txt");
        List<String> cmd = Vigil.javaCommand();
        cmd.addAll(List.of("run", "-v", "--rules", rules.toString(), "--alerts", alerts.toString(),
                "--alert-format", "json", "--"));
        cmd.addAll(workload);
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("vigil run did not finish: " + name + "\n" + Files.readString(err));
        }
        List<JsonNode> list = new ArrayList<>();
        if (Files.exists(alerts)) {
            for (String line : Files.readAllLines(alerts)) if (!line.isBlank()) list.add(JSON.readTree(line));
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err), list);
    }

    private static String f(JsonNode alert, String key) {
        JsonNode v = alert.path("output_fields").get(key);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static void assertFired(Run r, String rule, String what, Predicate<JsonNode> values) {
        List<JsonNode> of = r.of(rule);
        if (of.stream().noneMatch(values)) {
            fail("'" + rule + "' (" + what + ") " + (of.isEmpty() ? "did not fire"
                    : "fired without these values, e.g. " + of.getFirst().path("output_fields")) + r.describe());
        }
    }

    /** A UDP port on 127.0.0.1 that nothing listens on (the query is sent, never answered). */
    private static int closedUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    /** The managed identity endpoint's stand-in: accepts and closes connections until closed. */
    private static ServerSocket identityEndpoint() {
        ServerSocket server;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), IDENTITY_PORT), 16);
        } catch (IOException e) {
            assumeTrue(false, "127.0.0.1:" + IDENTITY_PORT + " is in use: " + e.getMessage());
            return null;
        }
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write("HTTP/1.0 200 OK\r\n\r\n{}".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // closed, or the client went away
                }
            }
        }, "identity-endpoint");
        t.setDaemon(true);
        t.start();
        return server;
    }

    /**
     * Without event output a connect's socket type and protocol are read only when a rule asks (while the
     * connect is held): the rules below ask, and must get the real values of a TCP and a UDP socket.
     */
    @Test
    void a_connects_protocol_is_read_when_a_rule_asks_for_it() throws Exception {
        Path rules = tmp.resolve("proto.yaml");
        Files.writeString(rules, """
                - rule: Test Shell TCP Connect
                  desc: a shell's TCP connect
                  condition: evt.type = connect and proc.name = bash and fd.l4proto = tcp
                  output: tcp (proto=%fd.l4proto type=%evt.arg.type connection=%fd.name)
                  priority: WARNING
                - rule: Test Shell UDP Connect
                  desc: a shell's UDP connect
                  condition: evt.type = connect and proc.name = bash and fd.l4proto = udp
                  output: udp (proto=%fd.l4proto type=%evt.arg.type connection=%fd.name)
                  priority: WARNING
                """);
        int udpPort = closedUdpPort();
        try (ServerSocket tcp = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = tcp.accept()) {
                    s.getInputStream().read();
                } catch (IOException e) {
                    // closed
                }
            }, "tcp-listener");
            t.setDaemon(true);
            t.start();
            Run r = vigil("proto", rules, List.of("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + tcp.getLocalPort()
                    + "; exec 3>&-; echo x > /dev/udp/127.0.0.1/" + udpPort + "; echo proto done"));
            assertThat(r.stdout()).as(r.describe()).contains("proto done");
            assertFired(r, "Test Shell TCP Connect", "bash's /dev/tcp connect",
                    a -> f(a, "fd.l4proto").equals("tcp") && f(a, "evt.arg.type").equals("SOCK_STREAM")
                            && f(a, "fd.name").endsWith("127.0.0.1:" + tcp.getLocalPort()));
            assertFired(r, "Test Shell UDP Connect", "bash's /dev/udp connect",
                    a -> f(a, "fd.l4proto").equals("udp") && f(a, "evt.arg.type").equals("SOCK_DGRAM")
                            && f(a, "fd.name").endsWith("127.0.0.1:" + udpPort));
            assertThat(r.of("Test Shell TCP Connect")).as(r.describe()).hasSize(1);
            assertThat(r.of("Test Shell UDP Connect")).as(r.describe()).hasSize(1);
        }
    }

    @Test
    void serverless_rules_fire_on_their_behaviour_and_not_on_the_benign_one() throws Exception {
        int dnsPort = closedUdpPort();
        try (ServerSocket endpoint = identityEndpoint()) {
            Run attack = vigil("attack", List.of("bash", SCRIPTS.resolve("attack.sh").toString(), python,
                    Integer.toString(dnsPort)));
            assertThat(attack.stdout()).as(attack.describe()).contains("vigil rules attack done");
            assertFired(attack, DRIFT, "a copy of true written, chmod +x, run",
                    a -> f(a, "proc.exepath").endsWith("/payload") && f(a, "proc.name").equals("payload")
                            && f(a, "evt.arg.flags").equals("EXE_UPPER_LAYER") && f(a, "proc.pname").equals("bash"));
            assertFired(attack, MINING_DNS, "a query for pool.supportxmr.com",
                    a -> f(a, "dns.query.name").equals("pool.supportxmr.com") && f(a, "proc.name").startsWith("python"));
            assertFired(attack, IDENTITY, "bash connects to 127.0.0.1:42356",
                    a -> f(a, "proc.name").equals("bash") && f(a, "fd.name").endsWith("127.0.0.1:" + IDENTITY_PORT));
            assertFired(attack, ENVIRON, "cat /proc/<shell pid>/environ",
                    a -> f(a, "fd.name").matches("/proc/[0-9]+/environ") && f(a, "proc.name").equals("cat"));
            for (JsonNode a : attack.alerts()) {
                assertThat(a.path("priority").asText()).isNotBlank();
                assertThat(a.path("tags").toString()).contains("vigil");
            }

            // the benign side runs as an application: no shell, a name no rule knows (a link made before the sensor)
            Path app = tmp.resolve("app");
            Files.createDirectories(app);
            Path myapp = Files.createSymbolicLink(app.resolve("myapp"), Path.of(python));
            Run benign = vigil("benign", List.of(myapp.toString(), SCRIPTS.resolve("benign.py").toString(),
                    Integer.toString(dnsPort)));
            assertThat(benign.stdout()).as(benign.describe()).contains("vigil rules benign done");
            List<String> raised = benign.alerts().stream()
                    .filter(a -> List.of(DRIFT, MINING_DNS, IDENTITY, ENVIRON).contains(a.path("rule").asText()))
                    .map(a -> a.path("rule").asText() + ": " + a.path("output").asText()).toList();
            if (!raised.isEmpty()) fail("benign behaviour raised:\n  " + String.join("\n  ", raised) + benign.describe());
            assertThat(endpoint.isClosed()).isFalse();
        }
    }
}
