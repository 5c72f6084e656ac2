package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** End-to-end: real workloads under {@code vigil run}; asserts on exit status, stdio and the events seen. */
class RunProcessIT {
    @TempDir Path tmp;

    private static List<String> args(JsonNode proc) {
        List<String> out = new ArrayList<>();
        proc.path("argv").forEach(a -> out.add(a.asText()));
        return out;
    }

    @Test
    void exit_code_stdout_and_stderr_pass_through_untouched() throws Exception {
        // alerts go to stderr by default; here they go to a file so that stderr is the workload's alone
        var r = Vigil.run(tmp, List.of("--alerts", tmp.resolve("alerts.txt").toString()),
                List.of("sh", "-c", "echo out; echo err >&2; exit 3"));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
        JsonNode exec = r.execsOf("/usr/bin/dash").getFirst();
        assertThat(args(exec.path("proc"))).containsExactly("sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(exec.path("proc").path("cwd").asText()).isEqualTo(Path.of("").toAbsolutePath().toString());
        JsonNode exit = r.kind("process.exit").stream()
                .filter(e -> e.path("proc").path("pid").asInt() == exec.path("proc").path("pid").asInt()).findFirst().orElseThrow();
        assertThat(exit.path("exit_code").asInt()).isEqualTo(3);
    }

    @Test
    void on_fargate_every_event_carries_the_task_metadata() throws Exception {
        // The ECS task metadata endpoint v4, played by a local server; the sensor reads it once at start.
        com.sun.net.httpserver.HttpServer metadata = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        java.util.Map<String, String> docs = java.util.Map.of(
                "/v4/5d1c-0001", "{\"DockerId\":\"" + "ab12".repeat(16) + "\",\"Name\":\"app\","
                        + "\"Image\":\"123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:3.1\"}",
                "/v4/5d1c-0001/task", "{\"Cluster\":\"arn:aws:ecs:us-east-1:123456789012:cluster/prod\","
                        + "\"TaskARN\":\"arn:aws:ecs:us-east-1:123456789012:task/prod/5d1c\",\"Family\":\"shop\","
                        + "\"Revision\":\"12\",\"AvailabilityZone\":\"us-east-1a\",\"LaunchType\":\"FARGATE\"}");
        metadata.createContext("/", ex -> {
            String body = docs.get(ex.getRequestURI().getPath());
            byte[] b = body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        metadata.start();
        try {
            Path events = tmp.resolve("events.jsonl");
            ProcessBuilder pb = Vigil.builder(events, List.of("--alerts", tmp.resolve("alerts.txt").toString()),
                    List.of("sh", "-c", "true"));
            pb.environment().put("ECS_CONTAINER_METADATA_URI_V4",
                    "http://127.0.0.1:" + metadata.getAddress().getPort() + "/v4/5d1c-0001");
            pb.environment().put("AWS_EXECUTION_ENV", "AWS_ECS_FARGATE");
            Process p = pb.redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile()).start();
            assertThat(p.waitFor()).isZero();
            assertThat(Files.readString(tmp.resolve("out.txt"))).isEmpty();
            List<JsonNode> seen = Vigil.readEvents(events);
            assertThat(seen).hasSizeGreaterThan(2);
            for (JsonNode e : seen) {
                JsonNode w = e.path("workload");
                assertThat(w.path("cloud").asText()).isEqualTo("aws-ecs-fargate");
                assertThat(w.path("name").asText()).isEqualTo("shop");
                assertThat(w.path("container_name").asText()).isEqualTo("app");
                assertThat(w.path("container_id").asText()).isEqualTo("ab12ab12ab12");
                assertThat(w.path("image").asText()).isEqualTo("123456789012.dkr.ecr.us-east-1.amazonaws.com/shop");
                assertThat(w.path("image_tag").asText()).isEqualTo("3.1");
                assertThat(w.path("labels").path("aws.ecs.cluster").asText()).isEqualTo("prod");
                assertThat(w.path("labels").path("aws.ecs.task_arn").asText()).isEqualTo("arn:aws:ecs:us-east-1:123456789012:task/prod/5d1c");
                assertThat(w.path("labels").path("aws.availability_zone").asText()).isEqualTo("us-east-1a");
                assertThat(w.path("labels").path("aws.region").asText()).isEqualTo("us-east-1");
            }
        } finally {
            metadata.stop(0);
        }
    }

    @Test
    void every_event_carries_schema_sequence_and_workload_identity_without_gaps() throws Exception {
        var r = Vigil.run(tmp, List.of("--workload", "shop", "--image", "acme/shop:1.2", "--environment", "staging"),
                List.of("sh", "-c", "true"));
        assertThat(r.events()).isNotEmpty();
        for (int i = 0; i < r.events().size(); i++) {
            JsonNode e = r.events().get(i);
            assertThat(e.path("schema").asInt()).isEqualTo(1);
            assertThat(e.path("seq").asLong()).isEqualTo(i + 1);
            assertThat(e.path("workload").path("name").asText()).isEqualTo("shop");
            assertThat(e.path("workload").path("image").asText()).isEqualTo("acme/shop");
            assertThat(e.path("workload").path("image_tag").asText()).isEqualTo("1.2");
            assertThat(e.path("workload").path("environment").asText()).isEqualTo("staging");
            assertThat(e.path("workload").path("container_id").asText()).isNotEmpty().isNotEqualTo("host");
        }
        assertThat(r.events().getFirst().path("kind").asText()).isEqualTo("sensor.start");
        assertThat(r.events().getLast().path("kind").asText()).isEqualTo("sensor.summary");
    }

    @Test
    void shell_pipeline_shows_each_exec_with_argv_and_parent_chain() throws Exception {
        var r = Vigil.run(tmp, List.of(), List.of("sh", "-c", "echo a b c | tr a-z A-Z | wc -w"));
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout().trim()).isEqualTo("3");
        JsonNode tr = r.execsOf("/usr/bin/tr").getFirst().path("proc");
        assertThat(args(tr)).containsExactly("tr", "a-z", "A-Z");
        assertThat(tr.path("name").asText()).isEqualTo("tr");
        JsonNode wc = r.execsOf("/usr/bin/wc").getFirst().path("proc");
        assertThat(args(wc)).containsExactly("wc", "-w");
        JsonNode sh = r.execsOf("/usr/bin/dash").getFirst().path("proc");
        assertThat(wc.path("ppid").asInt()).isEqualTo(sh.path("pid").asInt());
        JsonNode parent = wc.path("ancestors").get(0);
        assertThat(parent.path("pid").asInt()).isEqualTo(sh.path("pid").asInt());
        assertThat(parent.path("name").asText()).isEqualTo("sh");
        assertThat(parent.path("cmdline").asText()).isEqualTo("sh -c echo a b c | tr a-z A-Z | wc -w");
        // beyond the workload: the chain Vigil itself was started from (at least the JVM's parent, the stub launcher is exec'd away)
        assertThat(wc.path("ancestors").size()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void a_thousand_short_processes_each_exec_seen_exactly_once_none_invented() throws Exception {
        var r = Vigil.run(tmp, List.of(), List.of("sh", "-c",
                "i=0; while [ $i -lt 1000 ]; do /bin/true $i; i=$((i+1)); done"));
        assertThat(r.exitCode()).isZero();
        List<JsonNode> trues = r.execsOf("/usr/bin/true");
        assertThat(trues).hasSize(1000);
        Set<String> seen = trues.stream().map(e -> args(e.path("proc")).get(1)).collect(Collectors.toSet());
        assertThat(seen).hasSize(1000);
        assertThat(r.kind("process.exec")).hasSize(1001); // + the shell itself
        assertThat(r.kind("process.fork").stream().filter(e -> !e.path("thread").asBoolean())).hasSize(1000);
        assertThat(r.kind("process.exit")).hasSize(1001);
    }

    @Test
    void threads_are_seen_as_threads_of_one_process_and_exit_code_kept() throws Exception {
        Path bin = Vigil.compile("threads");
        var r = Vigil.run(tmp, List.of(), List.of(bin.toString()));
        assertThat(r.exitCode()).isEqualTo(7);
        assertThat(r.stdout()).isEqualTo("threads done\n");
        List<JsonNode> threads = r.kind("process.thread");
        assertThat(threads).hasSize(8);
        int pid = r.execsOf(bin.toString()).getFirst().path("proc").path("pid").asInt();
        assertThat(threads).allSatisfy(t -> {
            assertThat(t.path("child_pid").asInt()).isEqualTo(pid);
            assertThat(t.path("syscall").asText()).isIn("clone3", "clone");
        });
        assertThat(r.kind("process.exit")).hasSize(1);
    }

    @Test
    void exec_from_a_non_leader_thread_keeps_the_process_and_reports_the_former_tid() throws Exception {
        Path bin = Vigil.compile("thread_exec");
        var r = Vigil.run(tmp, List.of(), List.of(bin.toString()));
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("exec-from-thread\n");
        JsonNode first = r.execsOf(bin.toString()).getFirst();
        JsonNode echo = r.execsOf("/usr/bin/echo").getFirst();
        int pid = first.path("proc").path("pid").asInt();
        assertThat(echo.path("proc").path("pid").asInt()).isEqualTo(pid);
        assertThat(echo.path("former_tid").asInt()).isNotZero().isNotEqualTo(pid);
        assertThat(args(echo.path("proc"))).containsExactly("echo", "exec-from-thread");
    }

    @Test
    void vfork_posix_spawn_and_fork_children_are_followed() throws Exception {
        Path bin = Vigil.compile("spawners");
        var r = Vigil.run(tmp, List.of(), List.of(bin.toString()));
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("vforked\nspawned\n");
        List<JsonNode> echos = r.execsOf("/usr/bin/echo");
        assertThat(echos).extracting(e -> args(e.path("proc")).get(1)).containsExactlyInAnyOrder("vforked", "spawned");
        Set<String> via = new HashSet<>();
        r.kind("process.fork").forEach(f -> via.add(f.path("syscall").asText()));
        assertThat(via).contains("vfork");
        assertThat(r.kind("process.exit").stream().filter(e -> e.path("exit_code").asInt() == 42)).hasSize(1);
    }

    @Test
    void failed_execs_are_reported_with_their_errno() throws Exception {
        Path noexec = tmp.resolve("not-executable");
        Files.writeString(noexec, "#!/bin/sh\necho never\n");
        Files.setPosixFilePermissions(noexec, PosixFilePermissions.fromString("rw-r--r--"));
        var r = Vigil.run(tmp, List.of(), List.of("sh", "-c", "/nonexistent/prog; " + noexec + "; cd /tmp && ./nope-" + tmp.getFileName() + "; exit 0"));
        assertThat(r.exitCode()).isZero();
        List<JsonNode> failed = r.kind("process.exec_failed");
        assertThat(failed).anySatisfy(f -> {
            assertThat(f.path("path").asText()).isEqualTo("/nonexistent/prog");
            assertThat(f.path("errno").asInt()).isEqualTo(2);
            assertThat(f.path("error").asText()).isEqualTo("ENOENT");
        });
        assertThat(failed).anySatisfy(f -> {
            assertThat(f.path("path").asText()).isEqualTo(noexec.toString());
            assertThat(f.path("error").asText()).isEqualTo("EACCES");
        });
        // a relative path is made absolute against the caller's cwd at the time of the call
        assertThat(failed).anySatisfy(f -> assertThat(f.path("path").asText()).isEqualTo("/tmp/nope-" + tmp.getFileName()));
        assertThat(r.kind("process.exec")).hasSize(1);
    }

    @Test
    void deaths_by_signal_give_128_plus_n() throws Exception {
        assertThat(Vigil.run(tmp, List.of(), List.of("sh", "-c", "kill -TERM $$")).exitCode()).isEqualTo(143);
        var r = Vigil.run(tmp, List.of(), List.of("sh", "-c", "kill -KILL $$"));
        assertThat(r.exitCode()).isEqualTo(137);
        assertThat(r.kind("process.exit").getFirst().path("signal").asInt()).isEqualTo(9);
    }

    @Test
    void signals_between_workload_processes_are_delivered() throws Exception {
        var r = Vigil.run(tmp, List.of(), List.of("python3", "-c", String.join("\n",
                "import os, signal, sys, time",
                "got = []",
                "signal.signal(signal.SIGUSR1, lambda s, f: got.append(s))",
                "pid = os.fork()",
                "if pid == 0:",
                "    os.kill(os.getppid(), signal.SIGUSR1); os._exit(5)",
                "_, st = os.waitpid(pid, 0)",
                "while not got: time.sleep(0.01)",
                "print('usr1', got[0] == signal.SIGUSR1, os.waitstatus_to_exitcode(st))")));
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("usr1 True 5\n");
    }

    @Test
    void sigstop_and_sigcont_stop_and_resume_a_child_as_its_parent_sees_it() throws Exception {
        // Job control as a shell sees it: the parent's waitpid reports the stop, then the continue, then the exit.
        // (/proc/<pid>/status shows "t (tracing stop)" instead of "T (stopped)" meanwhile: a ptrace fact.)
        var r = Vigil.run(tmp, List.of(), List.of("python3", "-c", String.join("\n",
                "import os, signal, time",
                "pid = os.fork()",
                "if pid == 0:",
                "    time.sleep(0.3); os._exit(0)",
                "os.kill(pid, signal.SIGSTOP)",
                "_, st = os.waitpid(pid, os.WUNTRACED)",
                "print('stopped', os.WIFSTOPPED(st), os.WSTOPSIG(st) == signal.SIGSTOP)",
                "os.kill(pid, signal.SIGCONT)",
                "_, st = os.waitpid(pid, os.WCONTINUED)",
                "print('continued', os.WIFCONTINUED(st))",
                "_, st = os.waitpid(pid, 0)",
                "print('exited', os.WIFEXITED(st), os.WEXITSTATUS(st))")));
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("stopped True True\ncontinued True\nexited True 0\n");
    }

    @Test
    void stdin_is_piped_through() throws Exception {
        var r = Vigil.run(tmp, List.of(), List.of("sh", "-c", "tr a-z A-Z"), "hello stdin\n");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("HELLO STDIN\n");
    }

    @Test
    void orphans_are_followed_until_they_exit() throws Exception {
        var r = Vigil.run(tmp, List.of(), List.of("sh", "-c", "(sleep 0.3; echo orphan-done) & exit 4"));
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.stdout()).isEqualTo("orphan-done\n");
        assertThat(r.execsOf("/usr/bin/sleep")).hasSize(1);
    }

    @Test
    void command_not_found_and_not_executable_are_clear_errors_with_shell_codes() throws Exception {
        var r = Vigil.run(tmp, List.of(), List.of("no-such-command-" + tmp.getFileName()));
        assertThat(r.exitCode()).isEqualTo(127);
        assertThat(r.stderr()).contains("command not found").doesNotContain("Exception");
        Path f = tmp.resolve("plain");
        Files.writeString(f, "x");
        var r2 = Vigil.run(tmp, List.of(), List.of(f.toString()));
        assertThat(r2.exitCode()).isEqualTo(126);
        assertThat(r2.stderr()).contains("permission denied").doesNotContain("Exception");
    }

    @Test
    void ptrace_not_permitted_is_a_clear_error_naming_the_capability() throws Exception {
        // Under strace -f the workload's stub is already traced by strace, so Vigil's PTRACE_SEIZE fails with
        // EPERM: the same error a container without CAP_SYS_PTRACE gives.
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/strace")), "needs strace");
        List<String> cmd = new ArrayList<>(List.of("strace", "-f", "-qq", "-o", "/dev/null"));
        cmd.addAll(Vigil.builder(null, List.of(), List.of("true")).command());
        Path err = tmp.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(125);
        assertThat(Files.readString(err)).contains("ptrace is not permitted").contains("CAP_SYS_PTRACE")
                .contains("SYS_PTRACE").doesNotContain("Exception");
    }

    @Test
    void bad_options_are_reported_without_a_stack_trace() throws Exception {
        var r = Vigil.run(tmp, List.of("--no-such-option"), List.of("true"));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("--no-such-option").doesNotContain("Exception");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--seccomp-notify", "--seccomp-trace", "--no-seccomp"})
    void every_capture_mode_sees_the_same_process_tree(String mode) throws Exception {
        var r = Vigil.run(tmp, List.of(mode, "-v"), List.of("sh", "-c", "echo x | cat; /nonexistent 2>/dev/null; exit 6"));
        assertThat(r.exitCode()).isEqualTo(6);
        assertThat(r.stdout()).isEqualTo("x\n");
        assertThat(r.execsOf("/usr/bin/cat")).hasSize(1);
        assertThat(r.kind("process.exec_failed")).hasSize(1);
        String expected = switch (mode) {
            case "--seccomp-notify" -> "seccomp user notification";
            case "--seccomp-trace" -> "seccomp RET_TRACE";
            default -> "ptrace syscall stops, no seccomp filter";
        };
        assertThat(r.stderr()).contains("capture: " + expected);
    }

    @Test
    void verbose_summary_reports_events_per_type_and_losses() throws Exception {
        var r = Vigil.run(tmp, List.of("-v"), List.of("sh", "-c", "true"));
        assertThat(r.stderr()).contains("vigil: summary: workload exit status 0")
                .contains("process.exec 1").contains("lost: nothing");
    }
}
