package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Signals sent to Vigil reach the workload; as PID 1 of a fresh PID namespace Vigil reaps orphans. */
class SignalsAndPid1IT {
    @TempDir Path tmp;

    private static final String HANDLER = String.join("\n",
            "import signal, sys, time",
            "name = sys.argv[1]",
            "signal.signal(getattr(signal, 'SIG' + name), lambda s, f: (print('got', name, flush=True), sys.exit(9)))",
            "print('ready', flush=True)",
            "time.sleep(60)",
            "sys.exit(1)");

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT", "HUP", "QUIT", "USR1", "USR2"})
    void signals_sent_to_vigil_are_forwarded_to_the_workload(String sig) throws Exception {
        Process p = Vigil.builder(null, List.of(), List.of("python3", "-c", HANDLER, sig))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready");
        new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start().waitFor();
        assertThat(out.readLine()).isEqualTo("got " + sig);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(9);
    }

    private static List<String> inNewPidNamespace(Path events, List<String> workload) {
        List<String> cmd = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc"));
        cmd.addAll(Vigil.builder(events, List.of(), workload).command());
        return cmd;
    }

    private static boolean unshareWorks() {
        try {
            Process p = new ProcessBuilder("unshare", "--pid", "--fork", "--mount-proc", "true").start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void as_pid_1_orphans_are_reaped_and_the_exit_code_kept() throws Exception {
        assumeTrue(unshareWorks(), "needs unshare --pid (root or user namespaces)");
        Path events = tmp.resolve("events.jsonl");
        // The middle shell exits at once; its background child is orphaned to PID 1 (Vigil), which must reap it:
        // afterwards no zombie may be left in the namespace.
        String script = "sh -c '(sleep 0.2; echo orphan-done) & exit 0'; sleep 0.6; "
                + "cat /proc/[0-9]*/stat 2>/dev/null | awk '$3 == \"Z\"' | wc -l; exit 4";
        Process p = new ProcessBuilder(inNewPidNamespace(events, List.of("sh", "-c", script)))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(4);
        assertThat(stdout).isEqualTo("orphan-done\n0\n");
        List<JsonNode> ev = Vigil.readEvents(events);
        long execs = ev.stream().filter(e -> e.path("kind").asText().equals("process.exec")).count();
        long exits = ev.stream().filter(e -> e.path("kind").asText().equals("process.exit")).count();
        assertThat(exits).isEqualTo(execs + 1); // every exec'd process and the background subshell, which only forked
    }

    @Test
    void as_pid_1_sigterm_is_forwarded_and_the_workload_status_returned() throws Exception {
        assumeTrue(unshareWorks(), "needs unshare --pid (root or user namespaces)");
        Process p = new ProcessBuilder(inNewPidNamespace(null, List.of("python3", "-c", HANDLER, "TERM")))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready");
        long init = childOf(p.pid());
        assertThat(Files.readString(Path.of("/proc/" + init + "/status"))).contains("NSpid:\t" + init + "\t1");
        new ProcessBuilder("kill", "-TERM", Long.toString(init)).start().waitFor();
        assertThat(out.readLine()).isEqualTo("got TERM");
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(9);
    }

    private static long childOf(long pid) throws Exception {
        for (int i = 0; i < 100; i++) {
            String children = Files.readString(Path.of("/proc/" + pid + "/task/" + pid + "/children")).trim();
            if (!children.isEmpty()) return Long.parseLong(children.split(" ")[0]);
            Thread.sleep(50);
        }
        throw new AssertionError("no child of " + pid);
    }
}
