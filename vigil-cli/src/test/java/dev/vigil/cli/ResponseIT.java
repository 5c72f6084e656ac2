package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Response end to end: real workloads under {@code vigil run} with the stock Falco rules, Vigil's rules, a
 * custom rule file and a policy file. The same rule set blocks and kills in production, only alerts in
 * staging, and changes nothing in dry-run; webhooks get one finding per de-duplicated alert; a failing response
 * layer never fails the workload's syscalls.
 */
class ResponseIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SHARED = Path.of(System.getProperty("vigil.shared.dir", Vigil.ROOT.resolve("../shared").toString()));
    private static final Path SCRIPT = Vigil.ROOT.resolve("vigil-cli/src/test/resources/response/attack.sh");

    @TempDir Path tmp;

    /** What one run left: exit status, output, events, alerts (Falco JSON). */
    private record Run(int status, String stdout, String stderr, List<JsonNode> events, List<JsonNode> alerts) {
        List<JsonNode> kind(String kind) {
            return events.stream().filter(e -> e.path("kind").asText().equals(kind)).toList();
        }

        List<JsonNode> alertsOf(String rule) {
            return alerts.stream().filter(a -> a.path("rule").asText().equals(rule)).toList();
        }

        String describe() {
            return "\n--- exit " + status + "\n--- stdout:\n" + stdout + "\n--- stderr:\n" + stderr;
        }
    }

    /**
     * A rule of the user's own, in Falco syntax, beside the stock files: a program the workload wrote itself
     * (Vigil's drift field), here kept to the test's scratch directory. Loaded first: with Falco's first-match,
     * an alert-only rule loaded later could be hidden by a stock rule matching the same exec.
     */
    private Path customRules(Path scratch) throws IOException {
        Path f = tmp.resolve("custom_rules.yaml");
        Files.writeString(f, """
                - rule: Dropped Binary Executed
                  desc: A program the workload wrote and made executable itself, run from the test's scratch directory.
                  condition: >
                    evt.type in (execve, execveat) and evt.dir = < and proc.is_exe_upper_layer = true
                    and proc.exepath startswith "%s/"
                  output: Dropped binary executed (exe=%%proc.exepath parent=%%proc.pname)
                  priority: CRITICAL
                  tags: [test, drift]
                """.formatted(scratch));
        return f;
    }

    /**
     * Tuning of Vigil's rules, loaded after them as a user would: the test's reverse shell stays on loopback,
     * which "Vigil Shell Network Connection" expects of health checks, so this workload expects nothing.
     */
    private Path tuning() throws IOException {
        Path f = tmp.resolve("tuning.yaml");
        Files.writeString(f, """
                - macro: vigil_shell_connect_expected
                  condition: (evt.num = 0)
                  override:
                    condition: replace
                """);
        return f;
    }

    private Path policy(int webhookPort) throws IOException {
        Path f = tmp.resolve("policy.yaml");
        Files.writeString(f, """
                version: 1
                noise:
                  dedup_window: 60s
                  rate_limit: 100/s
                  burst: 100
                webhooks:
                  tracker:
                    url: http://127.0.0.1:%d/findings
                policies:
                  - name: production-enforce
                    match: {environment: [production]}
                    rules: ["Vigil Shell Network Connection", "Write below etc"]
                    actions: [alert, block]
                  - name: production-drift
                    match: {environment: [production]}
                    rules: ["Dropped Binary Executed"]
                    actions: [alert, kill]
                  - name: shop-findings
                    match: {project: [shop]}
                    rules: ["Vigil Read Sensitive File"]
                    actions: [alert, {webhook: tracker}]
                """.formatted(webhookPort));
        return f;
    }

    private Run run(String environment, List<String> extra, List<String> workload, int webhookPort, Path scratch,
                    List<String> jvmOptions) throws Exception {
        // The stock Falco files are the project's test corpus beside the repository, as in StockRulesIT.
        assumeTrue(Files.isReadable(SHARED.resolve("falco-rules/falco_rules.yaml")),
                "no stock Falco rules in " + SHARED.resolve("falco-rules") + " (set -Dvigil.shared.dir)");
        Path events = tmp.resolve("events-" + environment + ".jsonl");
        Path alerts = tmp.resolve("alerts-" + environment + ".jsonl");
        Path out = tmp.resolve("out.txt"), err = tmp.resolve("err.txt");
        List<String> args = new ArrayList<>(List.of("-v",
                "--rules", customRules(scratch).toString(),
                "--rules", SHARED.resolve("falco-rules/falco_rules.yaml").toString(),
                "--rules", SHARED.resolve("falco-rules/falco-sandbox_rules.yaml").toString(),
                "--rules", Vigil.ROOT.resolve("rules/vigil_rules.yaml").toString(),
                "--rules", tuning().toString(),
                "--policy", policy(webhookPort).toString(),
                "--project", "shop", "--environment", environment,
                "--alerts", alerts.toString()));
        args.addAll(extra);
        ProcessBuilder pb = Vigil.builder(events, args, workload);
        if (!jvmOptions.isEmpty()) pb.command().addAll(pb.command().indexOf("-jar"), jvmOptions);
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("vigil run did not finish:\n" + Files.readString(err));
        }
        List<JsonNode> alertList = new ArrayList<>();
        if (Files.exists(alerts)) for (String l : Files.readAllLines(alerts)) if (!l.isBlank()) alertList.add(JSON.readTree(l));
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err), Vigil.readEvents(events), alertList);
    }

    /** The attacker's end of a reverse shell on 127.0.0.1: counts connections, ends each shell with "exit". */
    private static final class Listener implements AutoCloseable {
        final ServerSocket server = new ServerSocket();
        final AtomicInteger connections = new AtomicInteger();

        Listener() throws IOException {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        connections.incrementAndGet();
                        s.getOutputStream().write("exit\n".getBytes(StandardCharsets.UTF_8));
                        s.getInputStream().readAllBytes();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() { return server.getLocalPort(); }

        @Override public void close() throws IOException { server.close(); }
    }

    private List<String> attack(Path scratch, Listener l) {
        return List.of("bash", SCRIPT.toString(), scratch.toString(), Integer.toString(l.port()));
    }

    private static List<JsonNode> responses(Run r) {
        return r.events().stream().filter(e -> e.path("kind").asText().startsWith("response.")).toList();
    }

    private static JsonNode byId(Run r, String id) {
        return r.events().stream().filter(e -> e.path("id").asText().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no event " + id + r.describe()));
    }

    @Test
    void production_blocks_the_reverse_shell_and_the_etc_write_and_kills_the_dropped_binary() throws Exception {
        Path scratch = Files.createDirectories(tmp.resolve("scratch"));
        try (Listener l = new Listener()) {
            Run r = run("production", List.of(), attack(scratch, l), 9, scratch, List.of());
            assertThat(r.status()).as(r.describe()).isZero();
            // the parent shell went on through everything, reads included
            assertThat(r.stdout()).as(r.describe()).contains("write=1", "read=0", "dropped=137", "done");
            assertThat(r.stdout()).doesNotContain("shell=0");
            assertThat(l.connections.get()).as("connections that reached the listener").isZero();
            try (Stream<Path> etc = Files.list(Path.of("/etc"))) {
                assertThat(etc.filter(p -> p.getFileName().toString().startsWith("vigil-response-"))).isEmpty();
            }

            // the connect: blocked (EPERM), recorded, and the action names its rule, policy and event
            JsonNode block = responses(r).stream().filter(a -> a.path("rule").asText().equals("Vigil Shell Network Connection"))
                    .findFirst().orElseThrow(() -> new AssertionError("no block of the reverse shell" + r.describe()));
            assertThat(block.path("kind").asText()).isEqualTo("response.block");
            assertThat(block.path("outcome").asText()).isEqualTo("done");
            assertThat(block.path("error").asText()).isEqualTo("EPERM");
            assertThat(block.path("policy").asText()).isEqualTo("policy production-enforce");
            JsonNode connect = byId(r, block.path("trigger_id").asText());
            assertThat(connect.path("kind").asText()).isEqualTo("net.connect");
            assertThat(connect.path("remote").path("port").asInt()).isEqualTo(l.port());
            assertThat(connect.path("res").asLong()).isEqualTo(-1);

            // the write below /etc: denied; the file never existed
            JsonNode etc = responses(r).stream().filter(a -> a.path("rule").asText().equals("Write below etc")).findFirst()
                    .orElseThrow(() -> new AssertionError("no block of the /etc write" + r.describe()));
            JsonNode open = byId(r, etc.path("trigger_id").asText());
            assertThat(open.path("path").asText()).startsWith("/etc/vigil-response-");
            assertThat(open.path("res").asLong()).isEqualTo(-1);
            assertThat(r.stderr()).contains("Operation not permitted");

            // the dropped binary: killed at exec, before its first instruction
            JsonNode kill = responses(r).stream().filter(a -> a.path("rule").asText().equals("Dropped Binary Executed"))
                    .findFirst().orElseThrow(() -> new AssertionError("no kill" + r.describe()));
            assertThat(kill.path("kind").asText()).isEqualTo("response.kill");
            assertThat(kill.path("outcome").asText()).isEqualTo("done");
            assertThat(kill.path("policy").asText()).isEqualTo("policy production-drift");
            int victim = kill.path("target_pid").asInt();
            assertThat(byId(r, kill.path("trigger_id").asText()).path("proc").path("exe_path").asText()).isEqualTo(scratch + "/dropped");
            assertThat(r.kind("process.exit")).anySatisfy(x -> {
                assertThat(x.path("proc").path("pid").asInt()).isEqualTo(victim);
                assertThat(x.path("signal").asInt()).isEqualTo(9);
            });
            // each enforced rule alerted once, in Falco's JSON
            for (String rule : List.of("Vigil Shell Network Connection", "Write below etc", "Dropped Binary Executed")) {
                assertThat(r.alertsOf(rule)).as(rule + r.describe()).hasSize(1);
            }
        }
    }

    @Test
    void staging_only_alerts_and_dry_run_changes_nothing() throws Exception {
        for (boolean dryRun : List.of(false, true)) {
            Path scratch = Files.createDirectories(tmp.resolve("scratch-" + dryRun));
            try (Listener l = new Listener()) {
                String env = dryRun ? "production" : "staging";
                Run r = run(env, dryRun ? List.of("--dry-run") : List.of(), attack(scratch, l), 9, scratch, List.of());
                assertThat(r.status()).as(r.describe()).isZero();
                assertThat(r.stdout()).as(r.describe()).contains("shell=0", "write=0", "read=0", "dropped=0", "done");
                assertThat(l.connections.get()).as("the reverse shell reached the listener" + r.describe()).isEqualTo(1);
                for (String rule : List.of("Vigil Shell Network Connection", "Write below etc", "Dropped Binary Executed")) {
                    assertThat(r.alertsOf(rule)).as(rule + r.describe()).isNotEmpty();
                }
                if (!dryRun) {
                    // Vigil's own rules ship their enforcement in dry-run (the reverse shell's command line): reported only
                    assertThat(responses(r)).as(r.describe()).allSatisfy(a -> assertThat(a.path("dry_run").asBoolean()).isTrue());
                    assertThat(responses(r).stream().map(a -> a.path("rule").asText())).as(r.describe())
                            .doesNotContain("Vigil Shell Network Connection", "Write below etc", "Dropped Binary Executed");
                } else {
                    // what would have been done, and nothing done
                    assertThat(responses(r)).as(r.describe()).isNotEmpty().allSatisfy(a -> {
                        assertThat(a.path("dry_run").asBoolean()).isTrue();
                        assertThat(a.path("outcome").asText()).isEqualTo("would");
                    });
                    assertThat(responses(r).stream().map(a -> a.path("kind").asText() + " " + a.path("rule").asText()))
                            .contains("response.block Vigil Shell Network Connection", "response.block Write below etc",
                                    "response.kill Dropped Binary Executed");
                    assertThat(r.kind("process.exit")).noneMatch(x -> x.path("signal").asInt() == 9);
                }
            }
        }
    }

    @Test
    void a_webhook_gets_one_finding_per_deduplicated_alert() throws Exception {
        List<JsonNode> findings = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/findings", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                findings.add(JSON.readTree(in.readAllBytes()));
            }
            ex.sendResponseHeaders(201, -1);
            ex.close();
        });
        hook.start();
        try {
            Path scratch = Files.createDirectories(tmp.resolve("scratch"));
            // five identical reads of /etc/shadow, then one of /etc/gshadow: two distinct alerts
            Run r = run("staging", List.of(), List.of("bash", "-c",
                    "for i in 1 2 3 4 5; do cat /etc/shadow > /dev/null; done; cat /etc/gshadow > /dev/null; echo read"),
                    hook.getAddress().getPort(), scratch, List.of());
            assertThat(r.status()).as(r.describe()).isZero();
            assertThat(findings).as(r.describe()).hasSize(2);
            assertThat(findings).allSatisfy(f -> {
                assertThat(f.path("rule").asText()).isEqualTo("Vigil Read Sensitive File");
                assertThat(f.path("workload").path("project").asText()).isEqualTo("shop");
                assertThat(f.path("workload").path("environment").asText()).isEqualTo("staging");
                assertThat(f.path("policy").asText()).isEqualTo("policy shop-findings");
            });
            assertThat(findings.stream().map(f -> f.path("output_fields").path("fd.name").asText()))
                    .containsExactlyInAnyOrder("/etc/shadow", "/etc/gshadow");
            // the sink got the first of the five at once and, at exit, one report of the repeats
            List<JsonNode> shadow = r.alertsOf("Vigil Read Sensitive File").stream()
                    .filter(a -> a.path("output_fields").path("fd.name").asText().equals("/etc/shadow")).toList();
            assertThat(shadow).as(r.describe()).hasSize(2);
            assertThat(shadow.get(1).path("output").asText()).contains("repeated 5 times");
            assertThat(r.kind("response.webhook")).hasSize(2);
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void a_rule_naming_a_webhook_no_policy_defines_is_reported_and_the_workload_runs() throws Exception {
        Path rules = tmp.resolve("webhook-rule.yaml");
        Files.writeString(rules, """
                - rule: Echo Ran
                  desc: an exec of echo
                  condition: evt.type in (execve, execveat) and proc.name = echo
                  output: echo ran (proc.cmdline=%proc.cmdline)
                  priority: NOTICE
                  vigil:
                    actions: [alert, {webhook: tracker}]
                """);
        Vigil.Result r = Vigil.run(tmp, List.of("-v", "--alerts", tmp.resolve("alerts.txt").toString(),
                "--rules", rules.toString()), List.of("echo", "hi"));
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("hi\n");
        assertThat(r.stderr()).contains("vigil: policy: warning: rule 'Echo Ran' (" + rules + ":1:3): webhook 'tracker' "
                + "is not defined in a policy file (none given); skipped");
        assertThat(Files.readString(tmp.resolve("alerts.txt"))).contains("echo ran");
    }

    @Test
    void a_policy_without_rules_or_a_bad_policy_file_stops_before_the_workload_runs() throws Exception {
        Path marker = tmp.resolve("ran");
        Vigil.Result r = Vigil.run(tmp, List.of("--no-rules", "--policy", policy(9).toString()), List.of("touch", marker.toString()));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("--no-rules cannot be combined with --policy");
        Path bad = tmp.resolve("bad-policy.yaml");
        Files.writeString(bad, "version: 1\npolicies:\n  - name: p\n    match: {planet: [mars]}\n    rules: [\"*\"]\n    actions: [alert]\n");
        r = Vigil.run(tmp, List.of("--policy", bad.toString()), List.of("touch", marker.toString()));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains(bad + ":4:").contains("unknown scope key 'planet'").doesNotContain("Exception");
        assertThat(marker).doesNotExist();
    }

    @Test
    void a_failing_response_layer_lets_the_syscalls_run_in_both_fail_modes() throws Exception {
        for (String mode : List.of("--fail-open", "--fail-closed")) {
            Path scratch = Files.createDirectories(tmp.resolve("scratch" + mode));
            try (Listener l = new Listener()) {
                Run r = run("production", List.of(mode), attack(scratch, l), 9, scratch, List.of("-Dvigil.fault=response"));
                assertThat(r.status()).as(r.describe()).isZero();
                // every judgement failed: counted, and the syscall ran as without Vigil (fail-open per event)
                assertThat(r.stdout()).as(r.describe()).contains("shell=0", "write=0", "read=0", "done");
                assertThat(l.connections.get()).isEqualTo(1);
                JsonNode summary = r.kind("sensor.summary").getFirst();
                assertThat(summary.path("counters").path("response_errors").asLong()).as(r.describe()).isPositive();
            }
        }
    }

    @Test
    void when_the_sensor_dies_fail_closed_kills_the_workload_and_fail_open_lets_it_finish() throws Exception {
        for (String mode : List.of("--fail-closed", "--fail-open")) {
            Path marker = tmp.resolve("finished" + mode);
            Path out = tmp.resolve("out" + mode);
            // the workload writes its marker through a shell builtin after the sensor is gone (stdout: no watched syscall)
            ProcessBuilder pb = Vigil.builder(null, List.of(mode, "--no-rules"),
                    List.of("bash", "-c", "echo started; sleep 3; echo finished"));
            Process p = pb.redirectOutput(out.toFile()).redirectError(tmp.resolve("err" + mode).toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(out).contains("started") && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(Files.readString(out)).contains("started");
            List<ProcessHandle> workload = p.toHandle().descendants().toList();
            assertThat(workload).isNotEmpty();
            p.destroyForcibly(); // SIGKILL to the sensor's JVM: as if it crashed
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            for (ProcessHandle h : workload) h.onExit().get(20, TimeUnit.SECONDS);
            Files.writeString(marker, Files.readString(out));
            if (mode.equals("--fail-closed")) assertThat(Files.readString(out)).doesNotContain("finished");
            else assertThat(Files.readString(out)).contains("finished");
        }
    }
}
