package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Falco's stock rules ({@code falco_rules.yaml}, {@code falco-incubating_rules.yaml},
 * {@code falco-sandbox_rules.yaml}, loaded together in that order) triggered end to end: real behaviour under
 * {@code vigil run}, each rule asserted by name in the JSON alerts file together with the process or file
 * values it reports. For every rule the benign behaviour of the same kind (reading /etc/hostname instead of
 * /etc/shadow, a web server running a harmless child, a connection to loopback, ...) is run too and must raise
 * nothing from it.
 *
 * <p>Behaviours are batched: one script per group (files, processes, network) and mode (attack, benign), in
 * {@code src/test/resources/stockrules}. The sensor runs as a user runs it, with {@code -v} and without
 * {@code --events} (so it watches only what the rules need, as in production); set
 * {@code -Dstockrules.events=true} to also write the events next to the alerts for debugging. Rule matching is
 * Falco's default, the first matching rule per event: each behaviour is chosen so that the rule under test is
 * the first one its event matches.
 *
 * <p>Scratch files outside the test's own directories (below /etc, /usr/bin, /dev, /home, ...) are named
 * {@code vigil-st-<random>} and removed by the scripts; nothing that exists is modified. Network behaviours run
 * in a private network namespace whose only device is its own loopback: nothing leaves the machine.
 */
class StockRulesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCRIPTS = Vigil.ROOT.resolve("vigil-cli/src/test/resources/stockrules");
    private static final Set<String> ALERT_KEYS = Set.of("time", "rule", "priority", "output", "output_fields",
            "source", "tags", "hostname");
    private static final Set<String> PRIORITIES = Set.of("Emergency", "Alert", "Critical", "Error", "Warning",
            "Notice", "Informational", "Debug");

    @TempDir Path tmp;

    private static Path rulesDir;
    private static String python;

    /** One rule expected to fire, with what the alert must report (its output_fields). */
    record Expect(String rule, String what, Predicate<JsonNode> fields) {}

    private static Expect expect(String rule, String what, Predicate<JsonNode> fields) {
        return new Expect(rule, what, fields);
    }

    /** output_fields[key] as text ("" for null or absent). */
    private static String f(JsonNode fields, String key) {
        JsonNode v = fields.get(key);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static Predicate<JsonNode> is(String key, String value) {
        return o -> f(o, key).equals(value);
    }

    private static Predicate<JsonNode> starts(String key, String prefix) {
        return o -> f(o, key).startsWith(prefix);
    }

    private static Predicate<JsonNode> ends(String key, String suffix) {
        return o -> f(o, key).endsWith(suffix);
    }

    private static Predicate<JsonNode> has(String key, String part) {
        return o -> f(o, key).contains(part);
    }

    /** What one {@code vigil run} produced. */
    record Run(String group, int exitCode, String stdout, String stderr, List<JsonNode> alerts) {
        List<JsonNode> of(String rule) {
            return alerts.stream().filter(a -> a.path("rule").asText().equals(rule)).toList();
        }

        String describe() {
            Map<String, Integer> counts = new TreeMap<>();
            alerts.forEach(a -> counts.merge(a.path("rule").asText(), 1, Integer::sum));
            return "\n--- " + group + ": exit " + exitCode + "; alerts by rule: " + counts
                    + "\n--- workload stdout:\n" + stdout + "\n--- vigil stderr (-v):\n" + stderr;
        }
    }

    @BeforeAll
    static void prerequisites() throws Exception {
        assumeTrue(Files.isRegularFile(Vigil.JAR), "vigil.jar not built: " + Vigil.JAR);
        String shared = System.getProperty("vigil.shared.dir");
        assumeTrue(shared != null, "system property vigil.shared.dir is not set (the root pom's failsafe argLine sets it)");
        rulesDir = Path.of(shared, "falco-rules");
        assumeTrue(Files.isReadable(rulesDir.resolve("falco_rules.yaml")), "no stock Falco rules in " + rulesDir);
        assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root: the behaviours read /etc/shadow, write below /etc and /usr/bin, use network namespaces");
        python = realPython();
        assumeTrue(python != null, "python3 is not installed");
    }

    /** The python3 interpreter itself (a pyenv shim is a bash script, whose shells would be seen too). */
    private static String realPython() throws Exception {
        if (Files.isExecutable(Path.of("/usr/bin/python3"))) return Path.of("/usr/bin/python3").toRealPath().toString();
        if (which("python3") == null) return null;
        Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.waitFor() == 0 && out.startsWith("/") ? out : null;
    }

    private static Path which(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) return p;
        }
        return null;
    }

    private static void assumeTools(String group, String... tools) {
        List<String> missing = Stream.of(tools).filter(t -> which(t) == null).toList();
        assumeTrue(missing.isEmpty(), group + " group needs tools that are not installed: " + missing);
    }

    private Run vigil(String group, List<String> workload) throws IOException, InterruptedException {
        Path alerts = tmp.resolve(group + "-alerts.json");
        Path out = tmp.resolve(group + "-out.txt");
        Path err = tmp.resolve(group + "-err.txt");
        List<String> cmd = Vigil.javaCommand();
        cmd.addAll(List.of("run", "-v"));
        for (String f : List.of("falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml")) {
            cmd.add("--rules");
            cmd.add(rulesDir.resolve(f).toString());
        }
        cmd.addAll(List.of("--alerts", alerts.toString(), "--alert-format", "json"));
        if (Boolean.getBoolean("stockrules.events")) {
            Path events = Vigil.ROOT.resolve("vigil-cli/target/stockrules-" + group + "-events.jsonl");
            cmd.addAll(List.of("--events", events.toString()));
        }
        cmd.add("--");
        cmd.addAll(workload);
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("vigil run did not finish: " + group + "\n" + Files.readString(err));
        }
        List<JsonNode> list = new ArrayList<>();
        if (Files.exists(alerts)) {
            for (String line : Files.readAllLines(alerts)) if (!line.isBlank()) list.add(JSON.readTree(line));
        }
        Run r = new Run(group, p.exitValue(), Files.readString(out), Files.readString(err), list);
        if (Boolean.getBoolean("stockrules.events")) Files.writeString(Vigil.ROOT.resolve("vigil-cli/target/stockrules-" + group + "-alerts.json"),
                String.join("\n", list.stream().map(JsonNode::toString).toList()) + "\n");
        return r;
    }

    /** Every expectation has an alert of its rule with the expected values; all misses reported at once. */
    private static void assertFired(Run r, List<Expect> expects) {
        List<String> missing = new ArrayList<>();
        for (Expect e : expects) {
            List<JsonNode> of = r.of(e.rule());
            if (of.stream().noneMatch(a -> e.fields().test(a.path("output_fields")))) {
                missing.add("'" + e.rule() + "' (" + e.what() + ")" + (of.isEmpty() ? ": no alert"
                        : ": " + of.size() + " alert(s), none with these values, e.g. " + of.getFirst().path("output_fields")));
            }
        }
        if (!missing.isEmpty()) fail("stock rules that did not fire end to end:\n  " + String.join("\n  ", missing) + r.describe());
        r.alerts().forEach(a -> assertAlertShape(a, r));
    }

    /** The benign run raises nothing from any rule of the group. */
    private static void assertQuiet(Run r, List<Expect> expects) {
        Set<String> rules = new LinkedHashSet<>();
        expects.forEach(e -> rules.add(e.rule()));
        List<String> raised = r.alerts().stream().filter(a -> rules.contains(a.path("rule").asText()))
                .map(a -> a.path("rule").asText() + ": " + a.path("output").asText()).toList();
        if (!raised.isEmpty()) fail("benign behaviour raised alerts from the rules under test:\n  "
                + String.join("\n  ", raised) + r.describe());
    }

    /** Falco's JSON alert: exactly its keys, with values of the right kinds. */
    private static void assertAlertShape(JsonNode a, Run r) {
        Set<String> keys = new LinkedHashSet<>();
        a.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).as("alert keys of %s%s", a, r.group()).isEqualTo(ALERT_KEYS);
        assertThat(Instant.parse(a.path("time").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(a.path("priority").asText()).isIn(PRIORITIES);
        assertThat(a.path("source").asText()).isEqualTo("syscall");
        assertThat(a.path("tags").isArray() && !a.path("tags").isEmpty()).as("tags of %s", a).isTrue();
        assertThat(a.path("hostname").asText()).isNotBlank().isNotEqualTo("host");
        assertThat(a.path("output_fields").isObject()).isTrue();
        assertThat(a.path("output").asText()).contains(" " + a.path("priority").asText() + " ");
    }

    // ---- files

    private static List<Expect> fileExpectations(String hostDir) {
        return List.of(
                expect("Exfiltrating Artifacts via Kubernetes Control Plane", "tar started by conmon reads a file",
                        is("proc.name", "tar").and(ends("fd.name", "/artifact"))),
                expect("Container Access to Host Sensitive Paths", "a file written and read below " + hostDir,
                        starts("fd.name", hostDir + "/vigil-st-")),
                expect("Read sensitive file untrusted", "cat /etc/shadow",
                        is("fd.name", "/etc/shadow").and(is("proc.name", "cat")).and(is("proc.cmdline", "cat /etc/shadow"))
                                .and(is("evt.type", "openat")).and(is("user.name", "root")).and(is("user.uid", "0"))),
                expect("Search Private Keys or Passwords", "grep for a private key header",
                        is("proc.name", "grep").and(has("proc.cmdline", "BEGIN RSA PRIVATE"))),
                expect("Search Private Keys or Passwords", "find -name id_rsa",
                        is("proc.name", "find").and(has("proc.cmdline", "-name id_rsa"))),
                expect("Find AWS Credentials", "grep aws_secret_access_key",
                        is("proc.name", "grep").and(has("proc.cmdline", "aws_secret_access_key"))),
                expect("Find AWS Credentials", "find .aws/credentials",
                        is("proc.name", "find").and(ends("proc.cmdline", ".aws/credentials"))),
                expect("Clear Log Activities", "auth.log truncated by a shell redirection",
                        ends("fd.name", "/auth.log").and(is("proc.name", "bash"))),
                expect("Remove Bulk Data from Disk", "shred", is("proc.name", "shred").and(starts("proc.cmdline", "shred -u "))),
                expect("Create Symlink Over Sensitive Files", "ln -s /etc/shadow",
                        is("evt.arg.target", "/etc/shadow").and(ends("evt.arg.linkpath", "/s1")).and(is("proc.name", "ln"))),
                expect("Create Hardlink Over Sensitive Files", "ln /etc/shadow",
                        is("evt.arg.oldpath", "/etc/shadow").and(starts("evt.arg.newpath", "/etc/vigil-st-hl-"))),
                expect("Set Setuid or Setgid bit", "chmod u+s",
                        has("evt.arg.mode", "S_ISUID").and(is("proc.name", "chmod")).and(ends("evt.arg.filename", "/f1"))),
                expect("Execution from /dev/shm", "a copy of true run from /dev/shm",
                        starts("proc.exepath", "/dev/shm/vigil-st-")),
                expect("Drop and execute new binary in container", "a copy of true written, chmod +x, run from /tmp",
                        ends("proc.exepath", "/drop/payload").and(is("evt.arg.flags", "EXE_UPPER_LAYER"))
                                .and(is("proc.name", "payload"))),
                expect("Modify Shell Configuration File", "touch .bashrc",
                        ends("fd.name", "/.bashrc").and(is("proc.name", "touch"))),
                expect("Schedule Cron Jobs", "a file written below /etc/cron*", starts("fd.name", "/etc/cron.vigil-st-")),
                expect("Read ssh information", "ls /root/.ssh", is("fd.name", "/root/.ssh").and(is("proc.name", "ls"))),
                expect("Create files below dev", "touch /dev/vigil-st-*", starts("fd.name", "/dev/vigil-st-")),
                expect("Launch Package Management Process in Container", "dpkg -l",
                        is("proc.name", "dpkg").and(is("proc.cmdline", "dpkg -l"))),
                expect("Delete or rename shell history", "rm .bash_history",
                        ends("evt.arg.name", "/.bash_history").and(is("evt.type", "unlinkat"))),
                expect("Delete or rename shell history", ".zsh_history truncated",
                        ends("fd.name", "/.zsh_history").and(is("evt.type", "openat"))),
                expect("Read environment variable from /proc files", "cat /proc/PID/environ",
                        o -> f(o, "fd.name").matches("/proc/[0-9]+/environ") && f(o, "proc.name").equals("cat")),
                expect("Update Package Repository", "a .list file created in /etc/apt/sources.list.d",
                        starts("fd.name", "/etc/apt/sources.list.d/vigil-st-")),
                expect("Write below binary dir", "touch /usr/bin/vigil-st-*", starts("fd.name", "/usr/bin/vigil-st-")),
                expect("Modify binary dirs", "rm /usr/bin/vigil-st-*",
                        has("evt.args", "name=/usr/bin/vigil-st-").and(is("proc.name", "rm"))),
                expect("Write below monitored dir", "touch /usr/local/bin/vigil-st-*", starts("fd.name", "/usr/local/bin/vigil-st-")),
                expect("Write below etc", "touch /etc/vigil-st-*", starts("fd.name", "/etc/vigil-st-w-").and(is("proc.name", "touch"))),
                expect("Write below root", "touch /vigil-st-*", starts("fd.name", "/vigil-st-")),
                expect("Write below rpm database", "touch /var/lib/rpm-vigil-st-*", starts("fd.name", "/var/lib/rpm-vigil-st-")),
                expect("Mkdir binary dirs", "mkdir /usr/bin/vigil-st-d-*",
                        starts("evt.arg.path", "/usr/bin/vigil-st-d-").and(is("proc.name", "mkdir"))),
                expect("Detect crypto miners using the Stratum protocol", "a stratum+tcp URL on a command line",
                        has("proc.cmdline", "stratum+tcp://")),
                expect("Decoding Payload in Container", "base64 -d", is("proc.name", "base64").and(is("proc.cmdline", "base64 -d"))),
                expect("Kubernetes Client Tool Launched in Container", "kubectl version --client", is("proc.name", "kubectl")));
    }

    @Test
    void file_behaviours_fire_their_stock_rules_and_benign_ones_do_not() throws Exception {
        assumeTools("file", "bash", "cat", "grep", "find", "shred", "ln", "chmod", "dpkg", "base64", "kubectl", "touch", "tar");
        String hostDir = Stream.of("/host", "/hostfs", "/rootfs").filter(d -> !Files.exists(Path.of(d))).findFirst().orElse(null);
        assumeTrue(hostDir != null, "/host, /hostfs and /rootfs all exist: no scratch directory for the host-path rule");
        assumeTrue(Files.isDirectory(Path.of("/dev/shm")) && Files.isDirectory(Path.of("/etc/apt/sources.list.d")),
                "needs /dev/shm and /etc/apt/sources.list.d");
        // a fresh machine may have no /root/.ssh: made here (outside the sensor) for the listing, removed after
        Path rootSsh = Path.of("/root/.ssh");
        boolean madeRootSsh = !Files.exists(rootSsh);
        if (madeRootSsh) Files.createDirectories(rootSsh, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            List<Expect> expects = fileExpectations(hostDir);
            Run attack = vigil("files-attack", List.of("bash", SCRIPTS.resolve("files.sh").toString(), "attack", hostDir));
            assertThat(attack.stdout()).as(attack.describe()).contains("files attack done");
            assertFired(attack, expects);

            Run benign = vigil("files-benign", List.of("bash", SCRIPTS.resolve("files.sh").toString(), "benign", hostDir));
            assertThat(benign.stdout()).as(benign.describe()).contains("files benign done");
            assertQuiet(benign, expects);
            assertNoScratchLeft();
            assertThat(Path.of(hostDir)).doesNotExist();
        } finally {
            if (madeRootSsh) Files.deleteIfExists(rootSsh);
        }
    }

    // ---- processes

    private static List<Expect> processExpectations(int shellPort) {
        return List.of(
                expect("Read sensitive file trusted after startup", "nginx reads /etc/shadow 5 s after it started",
                        is("fd.name", "/etc/shadow").and(is("proc.name", "nginx"))),
                expect("Run shell untrusted", "nginx runs sh", is("proc.name", "sh").and(is("proc.pname", "nginx"))),
                expect("Web Server Spawned Shell", "gunicorn runs sh", is("proc.name", "sh").and(is("proc.pname", "gunicorn"))),
                expect("Web Server Spawned Suspicious Child Process", "gunicorn runs whoami",
                        is("proc.name", "whoami").and(is("proc.pname", "gunicorn"))),
                expect("Reverse Shell from Web Server", "gunicorn starts bash -i on /dev/tcp",
                        is("proc.pname", "gunicorn").and(has("proc.cmdline", "/dev/tcp/127.0.0.1/" + shellPort))),
                expect("DB program spawned process", "postgres runs true", is("proc.name", "true").and(is("proc.pname", "postgres"))),
                expect("Known Cryptominer Process Executed", "xmrig", is("proc.name", "xmrig")),
                expect("Non sudo setuid", "nobody calls setuid(0)",
                        is("user.name", "nobody").and(is("evt.arg.uid", "root")).and(is("evt.type", "setuid"))),
                expect("System user interactive", "nobody runs a command below sshd",
                        is("user.name", "nobody").and(is("proc.name", "true"))),
                expect("Terminal shell in container", "bash with a terminal, parent conmon",
                        is("proc.name", "bash").and(is("proc.pname", "conmon")).and(o -> !f(o, "proc.tty").equals("0"))),
                expect("Basic Interactive Reconnaissance", "whoami in a terminal", is("proc.name", "whoami")),
                expect("Packet socket created in container", "socket(AF_PACKET)",
                        has("evt.args", "domain=AF_PACKET").and(starts("proc.name", "python"))),
                expect("Fileless execution via memfd_create", "exec of a memfd",
                        starts("proc.exepath", "/memfd:payload").and(is("evt.arg.flags", "EXE_FROM_MEMFD"))),
                expect("PTRACE attached to process", "PTRACE_ATTACH", is("proc.name", "ptrace_ops").and(is("evt.type", "ptrace"))),
                expect("PTRACE anti-debug attempt", "PTRACE_TRACEME", is("proc.name", "ptrace_ops")),
                expect("Launch Remote File Copy Tools in Container", "scp", is("proc.name", "scp")),
                expect("Launch Ingress Remote File Copy Tools in Container", "wget", is("proc.name", "wget")),
                expect("Launch Ingress Remote File Copy Tools in Container", "curl -o",
                        is("proc.name", "curl").and(has("proc.cmdline", " -o "))),
                expect("Adding ssh keys to authorized_keys", "a key written to ~/.ssh/authorized_keys",
                        o -> f(o, "fd.name").matches("/home/vigil-st-[0-9]+/\\.ssh/authorized_keys")),
                expect("Read ssh information", "cat ~/.ssh/authorized_keys",
                        is("proc.name", "cat").and(ends("fd.name", "/.ssh/authorized_keys"))));
    }

    /** A listener on 127.0.0.1 playing the attacker's end of a reverse shell: sends a command, collects the output. */
    private static final class ShellListener implements AutoCloseable {
        final ServerSocket server = new ServerSocket();
        final CompletableFuture<String> received = new CompletableFuture<>();

        ShellListener() throws IOException {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(30_000);
                    OutputStream out = s.getOutputStream();
                    out.write("echo REVERSE_$((40+2)); exit\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    InputStream in = s.getInputStream();
                    received.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    received.completeExceptionally(e);
                }
            });
        }

        int port() { return server.getLocalPort(); }

        @Override public void close() throws IOException { server.close(); }
    }

    /** A web server on 127.0.0.1 for wget and curl. */
    private static com.sun.net.httpserver.HttpServer httpServer() throws IOException {
        var http = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", ex -> {
            byte[] body = "hello from the test\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) { o.write(body); }
        });
        http.start();
        return http;
    }

    @Test
    void process_behaviours_fire_their_stock_rules_and_benign_ones_do_not() throws Exception {
        assumeTools("process", "bash", "dash", "sh", "script", "scp", "wget", "curl", "gcc", "timeout", "whoami");
        Path ptraceOps = Vigil.compile("ptrace_ops");
        var http = httpServer();
        try {
            int httpPort = http.getAddress().getPort();
            try (ShellListener shell = new ShellListener()) {
                Run attack = vigil("processes-attack", List.of("bash", SCRIPTS.resolve("processes.sh").toString(), "attack",
                        python, ptraceOps.toString(), Integer.toString(shell.port()), Integer.toString(httpPort)));
                assertThat(attack.stdout()).as(attack.describe()).contains("processes attack done");
                // the reverse shell was real: the listener's command ran and its output came back
                assertThat(shell.received.get(30, TimeUnit.SECONDS)).as(attack.describe()).contains("REVERSE_42");
                assertFired(attack, processExpectations(shell.port()));
            }
            try (ShellListener shell = new ShellListener()) {
                Run benign = vigil("processes-benign", List.of("bash", SCRIPTS.resolve("processes.sh").toString(), "benign",
                        python, ptraceOps.toString(), Integer.toString(shell.port()), Integer.toString(httpPort)));
                assertThat(benign.stdout()).as(benign.describe()).contains("processes benign done");
                assertThat(shell.received.get(30, TimeUnit.SECONDS)).as(benign.describe()).doesNotContain("REVERSE_42");
                assertQuiet(benign, processExpectations(shell.port()));
            }
        } finally {
            http.stop(0);
        }
        assertNoScratchLeft();
    }

    // ---- network

    private static List<Expect> networkExpectations() {
        return List.of(
                expect("Contact EC2 Instance Metadata Service From Container", "connect to 169.254.169.254:80",
                        ends("fd.name", "->169.254.169.254:80").and(starts("proc.name", "python")).and(is("evt.type", "connect"))),
                expect("Disallowed SSH Connection Non Standard Port", "ssh to port 4444",
                        is("proc.name", "ssh").and(is("fd.rport", "4444")).and(is("fd.l4proto", "tcp"))),
                expect("System procs network activity", "bash connects to 198.51.100.7:8080",
                        is("proc.name", "bash").and(ends("fd.name", "->198.51.100.7:8080"))),
                expect("Unexpected UDP Traffic", "UDP socket connected to port 9999",
                        is("fd.l4proto", "udp").and(ends("fd.name", "->198.51.100.7:9999"))),
                expect("Contact K8S API Server From Container", "kubernetes.default.svc.cluster.local resolved, then connected to",
                        ends("fd.name", "->198.51.100.8:443").and(starts("proc.name", "python"))));
    }

    @Test
    void network_behaviours_in_a_private_namespace_fire_their_stock_rules_and_benign_ones_do_not() throws Exception {
        assumeTools("network", "bash", "unshare", "ip", "ssh", "seq");
        Process probe = new ProcessBuilder("unshare", "-n", "ip", "link", "set", "lo", "up").redirectErrorStream(true).start();
        String probeOut = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(probe.waitFor() == 0, "cannot create a network namespace (unshare -n): " + probeOut);
        List<Expect> expects = networkExpectations();
        String script = SCRIPTS.resolve("network.sh").toString();
        Run attack = vigil("network-attack", List.of("unshare", "-n", "bash", script, "attack", python, SCRIPTS.toString()));
        assertThat(attack.stdout()).as(attack.describe()).contains("network attack done");
        assertFired(attack, expects);

        Run benign = vigil("network-benign", List.of("unshare", "-n", "bash", script, "benign", python, SCRIPTS.toString()));
        assertThat(benign.stdout()).as(benign.describe()).contains("network benign done");
        assertQuiet(benign, expects);
    }

    /** The scripts remove their scratch files; a leftover would mean a behaviour changed the machine. */
    private static void assertNoScratchLeft() throws IOException {
        List<String> left = new ArrayList<>();
        for (String dir : List.of("/", "/etc", "/etc/apt/sources.list.d", "/usr/bin", "/usr/local/bin", "/dev", "/dev/shm",
                "/home", "/var/lib", "/var/tmp")) {
            Path d = Path.of(dir);
            if (!Files.isDirectory(d)) continue;
            try (var s = Files.list(d)) {
                s.filter(p -> p.getFileName().toString().contains("vigil-st-")).forEach(p -> left.add(p.toString()));
            }
        }
        assertThat(left).as("scratch files left behind").isEmpty();
    }
}
