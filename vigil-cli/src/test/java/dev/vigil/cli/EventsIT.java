package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * End-to-end: real programs in C, Python and shell under {@code vigil run}; asserts on the file, network, DNS,
 * identity and tampering events they cause, on events for garbage arguments, and that each workload behaves
 * as it does without the sensor (exit status and stdout compared with a native run).
 */
@Tag("linux")
class EventsIT {
    private static final Path RESOURCES = Vigil.ROOT.resolve("vigil-cli/src/test/resources/events");
    private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    private static final boolean X86_64 = System.getProperty("os.arch").equals("amd64");

    @TempDir Path tmp;

    /** What a run without the sensor produced. */
    private record Native(int exitCode, String stdout, String stderr) {}

    private static Native runNative(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(2, TimeUnit.MINUTES)) throw new AssertionError("did not finish: " + cmd);
        return new Native(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** Runs {@code command} (which starts vigil with {@code events} somewhere in it) and reads the events. */
    private Vigil.Result runWatched(List<String> command, Path events) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "out", ".txt"), err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("vigil run did not finish: " + command);
        }
        return new Vigil.Result(p.exitValue(), Files.readString(out), Files.readString(err), Vigil.readEvents(events));
    }

    /** The workload ran as without the sensor, and the sensor decoded every syscall it was handed. */
    private static void assertSameBehaviour(Vigil.Result watched, Native plain) {
        assertThat(watched.exitCode()).as("exit status under vigil (stderr: %s)", watched.stderr()).isEqualTo(plain.exitCode());
        assertThat(watched.stdout()).isEqualTo(plain.stdout());
        JsonNode summary = watched.kind("sensor.summary").getLast().path("counters");
        assertThat(summary.path("decode_errors").asLong()).isZero();
        assertThat(summary.path("handler_errors").asLong()).isZero();
        assertThat(summary.path("internal_errors").asLong()).isZero();
    }

    /** "key value" lines a workload printed on stderr (ports, pids), by key. */
    private static Map<String, String> tagged(String stderr, String prefix) {
        Map<String, String> out = new HashMap<>();
        for (String line : stderr.split("\n")) {
            String[] f = line.split(" ", 3);
            if (f.length == 3 && f[0].equals(prefix)) out.put(f[1], f[2]);
        }
        return out;
    }

    private static List<JsonNode> of(Vigil.Result r, int pid, String kind) {
        return r.where(e -> e.path("kind").asText().equals(kind) && e.path("proc").path("pid").asInt() == pid);
    }

    /** The single event of {@code events} matching {@code p}; fails listing them all (briefly) when not exactly one. */
    private static JsonNode only(List<JsonNode> events, String what, Predicate<JsonNode> p) {
        List<JsonNode> hits = events.stream().filter(p).toList();
        assertThat(hits).as("exactly one %s among:\n%s", what, brief(events)).hasSize(1);
        return hits.getFirst();
    }

    /** Events without their process and header, one per line: what a failure message needs. */
    private static String brief(List<JsonNode> events) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode e : events) {
            var copy = ((com.fasterxml.jackson.databind.node.ObjectNode) e.deepCopy());
            copy.remove(List.of("proc", "workload", "sensor", "id", "schema", "time_ns"));
            sb.append(e.path("proc").path("name").asText()).append(' ').append(copy).append('\n');
        }
        return sb.toString();
    }

    private static JsonNode file(List<JsonNode> events, String syscall, String path) {
        return only(events, syscall + " " + path,
                e -> e.path("syscall").asText().equals(syscall) && e.path("path").asText().equals(path));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(a -> out.add(a.asText()));
        return out;
    }

    /** The event's result, which must have been observed. */
    private static long res(JsonNode e) {
        assertThat(e.path("res").isIntegralNumber()).as("res in %s", e).isTrue();
        return e.path("res").longValue();
    }

    private static boolean addr(JsonNode a, String address, int port) {
        return a.path("address").asText().equals(address) && a.path("port").asInt() == port;
    }

    private static boolean isRoot() throws IOException {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
    }

    private static int pidOf(Vigil.Result r, Path exe) {
        return r.execsOf(exe.toString()).getFirst().path("proc").path("pid").asInt();
    }

    // ---------------------------------------------------------------------------------------------- files

    @Test
    void file_syscalls_from_c_and_shell_have_absolute_paths_decoded_flags_modes_and_owners() throws Exception {
        Path bin = Vigil.compile("file_ops");
        String script = "\"$0\" \"$1\" && cd \"$1/sub\" && echo from-shell > ../from-shell.txt && chmod 640 ../from-shell.txt";
        Path plainDir = Files.createDirectory(tmp.resolve("plain")), dir = Files.createDirectory(tmp.resolve("watched"));
        Native plain = runNative(List.of("sh", "-c", script, bin.toString(), plainDir.toString()));
        assertThat(plain.exitCode()).as(plain.stdout()).isZero();
        var r = Vigil.run(tmp, List.of(), List.of("sh", "-c", script, bin.toString(), dir.toString()));
        assertSameBehaviour(r, plain);
        assertThat(r.stdout()).contains("fexecve exit 0\nexecveat exit 0\n");
        assertThat(dir.resolve("from-shell.txt")).hasContent("from-shell");

        int pid = pidOf(r, bin);
        List<JsonNode> ev = r.where(e -> e.path("kind").asText().startsWith("file.") && e.path("proc").path("pid").asInt() == pid);
        String d = dir.toString();

        // open family: flags by name, mode only with create, relative paths against cwd or dirfd
        if (X86_64) {
            JsonNode open = file(ev, "open", d + "/o.txt");
            assertThat(open.path("kind").asText()).isEqualTo("file.open");
            assertThat(strings(open.path("open_flags"))).containsExactly("O_WRONLY", "O_CREAT", "O_TRUNC");
            assertThat(open.path("mode").asInt()).isEqualTo(0640);
            JsonNode creat = file(ev, "creat", d + "/c.txt");
            assertThat(strings(creat.path("open_flags"))).containsExactly("O_WRONLY", "O_CREAT", "O_TRUNC");
            assertThat(creat.path("mode").asInt()).isEqualTo(0600);
            assertThat(file(ev, "mkdir", d + "/sub").path("mode").asInt()).isEqualTo(0750);
        }
        JsonNode dirOpen = file(ev, "openat", d + "/sub");
        assertThat(strings(dirOpen.path("open_flags"))).containsExactly("O_RDONLY", "O_DIRECTORY");
        assertThat(dirOpen.has("mode")).isFalse();
        assertThat(file(ev, "mkdirat", d + "/sub/sub2").path("mode").asInt()).isEqualTo(0700);
        JsonNode viaDirfd = file(ev, "openat", d + "/sub/in-sub.txt");
        assertThat(strings(viaDirfd.path("open_flags"))).containsExactly("O_RDWR", "O_CREAT", "O_APPEND");
        assertThat(viaDirfd.path("mode").asInt()).isEqualTo(0604);
        JsonNode dotdot = only(ev, "openat of ../o.txt from the dirfd", e -> e.path("syscall").asText().equals("openat")
                && e.path("path").asText().equals(d + "/o.txt") && e.path("flags").asInt() == 0);
        assertThat(strings(dotdot.path("open_flags"))).containsExactly("O_RDONLY");
        assertThat(strings(file(ev, "openat2", d + "/sub/in-sub.txt").path("open_flags"))).containsExactly("O_RDONLY", "O_CLOEXEC");
        JsonNode tmpfile = only(ev, "O_TMPFILE open", e -> strings(e.path("open_flags")).contains("O_TMPFILE"));
        assertThat(tmpfile.path("path").asText()).isEqualTo(d);
        assertThat(strings(tmpfile.path("open_flags"))).containsExactly("O_RDWR", "O_TMPFILE");
        assertThat(tmpfile.path("mode").asInt()).isEqualTo(0600);
        // chdir("sub") in C, then openat(AT_FDCWD, "rel.txt")
        assertThat(strings(file(ev, "openat", d + "/sub/rel.txt").path("open_flags"))).containsExactly("O_WRONLY", "O_CREAT", "O_TRUNC");

        // rename family: both paths absolute, renameat2's flags kept
        if (X86_64) assertThat(file(ev, "rename", d + "/o.txt").path("target").asText()).isEqualTo(d + "/o2.txt");
        assertThat(file(ev, "renameat", d + "/sub/in-sub.txt").path("target").asText()).isEqualTo(d + "/moved.txt");
        JsonNode renameat2 = file(ev, "renameat2", d + "/c.txt");
        assertThat(renameat2.path("target").asText()).isEqualTo(d + "/sub/c2.txt");
        assertThat(renameat2.path("flags").asInt()).isEqualTo(1); // RENAME_NOREPLACE

        // links: a hard link's both names resolved, a symlink's target as given
        if (X86_64) {
            JsonNode link = file(ev, "link", d + "/o2.txt");
            assertThat(link.path("kind").asText()).isEqualTo("file.link");
            assertThat(link.path("target").asText()).isEqualTo(d + "/hard");
        }
        JsonNode symlink = file(ev, X86_64 ? "symlink" : "symlinkat", d + "/sym");
        assertThat(symlink.path("kind").asText()).isEqualTo("file.symlink");
        assertThat(symlink.path("target").asText()).isEqualTo("../elsewhere/target");
        assertThat(file(ev, "symlinkat", d + "/sub/sym2").path("target").asText()).isEqualTo("relative/target");

        // permissions and owners; fd-based calls name the file the fd refers to now
        if (X86_64) assertThat(file(ev, "chmod", d + "/o2.txt").path("mode").asInt()).isEqualTo(0611);
        JsonNode fchmod = file(ev, "fchmod", d + "/moved.txt");
        assertThat(fchmod.path("kind").asText()).isEqualTo("file.chmod");
        assertThat(fchmod.path("mode").asInt()).isEqualTo(0640);
        assertThat(fchmod.path("fd").asInt()).isPositive();
        assertThat(file(ev, "fchmodat", d + "/sub/c2.txt").path("mode").asInt()).isEqualTo(0444);
        if (X86_64) {
            JsonNode chown = file(ev, "chown", d + "/o2.txt");
            assertThat(chown.path("kind").asText()).isEqualTo("file.chown");
            assertThat(chown.path("uid").asInt()).isEqualTo(1234);
            assertThat(chown.path("gid").asInt()).isEqualTo(5678);
        }
        JsonNode fchown = file(ev, "fchown", d + "/moved.txt");
        assertThat(fchown.path("uid").asInt()).isEqualTo(4321);
        assertThat(fchown.path("gid").asInt()).isEqualTo(-1);
        JsonNode fchownat = file(ev, "fchownat", d + "/sym");
        assertThat(fchownat.path("uid").asInt()).isEqualTo(77);
        assertThat(fchownat.path("gid").asInt()).isEqualTo(88);
        assertThat(fchownat.path("flags").asInt()).isEqualTo(0x100); // AT_SYMLINK_NOFOLLOW

        // truncate, unlink, rmdir (also unlinkat with AT_REMOVEDIR, through "..")
        if (X86_64) {
            assertThat(file(ev, "truncate", d + "/o2.txt").path("kind").asText()).isEqualTo("file.truncate");
            assertThat(file(ev, "unlink", d + "/hard").path("kind").asText()).isEqualTo("file.unlink");
            assertThat(file(ev, "rmdir", d + "/sub/sub2").path("kind").asText()).isEqualTo("file.rmdir");
        }
        assertThat(file(ev, "ftruncate", d + "/moved.txt").path("kind").asText()).isEqualTo("file.truncate");
        assertThat(file(ev, "unlinkat", d + "/sym").path("kind").asText()).isEqualTo("file.unlink");
        JsonNode removedir = file(ev, "unlinkat", d + "/gone");
        assertThat(removedir.path("kind").asText()).isEqualTo("file.rmdir");
        assertThat(removedir.path("flags").asInt()).isEqualTo(0x200);

        // memfd_create and a fileless exec from it, twice (fexecve, execveat with AT_EMPTY_PATH)
        JsonNode memfd = file(ev, "memfd_create", "memfd:vigil-payload");
        assertThat(memfd.path("kind").asText()).isEqualTo("file.memfd_create");
        assertThat(memfd.path("flags").asInt()).isEqualTo(1); // MFD_CLOEXEC
        List<JsonNode> fileless = r.where(e -> e.path("kind").asText().equals("process.exec")
                && e.path("proc").path("ppid").asInt() == pid);
        assertThat(fileless).hasSize(2).allSatisfy(e -> {
            assertThat(e.path("fileless").asBoolean()).isTrue();
            assertThat(e.path("syscall").asText()).isEqualTo("execveat");
            assertThat(e.path("proc").path("exe_path").asText()).startsWith("/memfd:vigil-payload");
            assertThat(strings(e.path("proc").path("argv"))).containsExactly("memfd-true");
        });
        assertThat(r.execsOf(bin.toString()).getFirst().path("fileless").asBoolean()).isFalse();

        // the shell: "cd sub" then "> ../from-shell.txt" and chmod
        int sh = r.execsOf("/usr/bin/dash").getFirst().path("proc").path("pid").asInt();
        List<JsonNode> shell = r.where(e -> e.path("kind").asText().startsWith("file.") && e.path("proc").path("pid").asInt() == sh);
        JsonNode redirect = file(shell, "openat", d + "/from-shell.txt");
        assertThat(strings(redirect.path("open_flags"))).contains("O_WRONLY", "O_CREAT", "O_TRUNC");
        assertThat(redirect.path("mode").asInt()).isEqualTo(0666);
        int chmodPid = r.execsOf("/usr/bin/chmod").getFirst().path("proc").path("pid").asInt();
        JsonNode shellChmod = only(of(r, chmodPid, "file.chmod"), "chmod by chmod(1)", e -> true);
        assertThat(shellChmod.path("path").asText()).isEqualTo(d + "/from-shell.txt");
        assertThat(shellChmod.path("mode").asInt()).isEqualTo(0640);
    }

    // -------------------------------------------------------------------------------------------- network

    @Test
    void sockets_show_family_protocol_addresses_and_connect_outcomes() throws Exception {
        Path bin = Vigil.compile("net_ops");
        Path plainDir = Files.createDirectory(tmp.resolve("plain")), dir = Files.createDirectory(tmp.resolve("watched"));
        Native plain = runNative(List.of(bin.toString(), plainDir.toString()));
        assertThat(plain.exitCode()).as(plain.stdout()).isZero();
        var r = Vigil.run(tmp, List.of(), List.of(bin.toString(), dir.toString()));
        assertSameBehaviour(r, plain);
        Map<String, String> a = tagged(r.stderr(), "addr");
        int tcp4 = Integer.parseInt(a.get("tcp4")), client4 = Integer.parseInt(a.get("tcp4-client")),
                nonblock4 = Integer.parseInt(a.get("tcp4-nonblock")),
                refused = Integer.parseInt(a.get("refused")), tcp6 = Integer.parseInt(a.get("tcp6")),
                udp = Integer.parseInt(a.get("udp"));
        String abstractName = a.get("abstract"), unixPath = dir + "/vigil.sock";
        int pid = pidOf(r, bin);

        List<JsonNode> sockets = of(r, pid, "net.socket");
        assertThat(sockets).extracting(e -> e.path("family").asText() + "/" + e.path("sock_type").asText() + "/" + e.path("protocol").asText())
                .contains("inet/stream/tcp", "inet6/stream/tcp", "unix/stream/", "inet/dgram/udp");

        // IPv4: listen, blocking connect (established), accept4 with both ends
        JsonNode listen = only(of(r, pid, "net.listen"), "inet listen", e -> e.path("family").asText().equals("inet"));
        assertThat(addr(listen.path("local"), "127.0.0.1", tcp4)).isTrue();
        assertThat(listen.path("protocol").asText()).isEqualTo("tcp");
        List<JsonNode> to4 = of(r, pid, "net.connect").stream().filter(e -> addr(e.path("remote"), "127.0.0.1", tcp4)).toList();
        assertThat(to4).hasSize(2).allSatisfy(e -> {
            assertThat(e.path("family").asText()).isEqualTo("inet");
            assertThat(e.path("sock_type").asText()).isEqualTo("stream");
            assertThat(e.path("protocol").asText()).isEqualTo("tcp");
        });
        List<JsonNode> results4 = of(r, pid, "net.connect_result").stream().filter(e -> addr(e.path("remote"), "127.0.0.1", tcp4)).toList();
        // the blocking connect and the non-blocking one (EINPROGRESS, then established) both end in 0
        assertThat(results4).hasSize(2).allSatisfy(e -> {
            assertThat(res(e)).isZero();
            assertThat(e.path("evt_type").asText()).isEqualTo("connect_result");
        });
        assertThat(results4).extracting(e -> e.path("local").path("port").asInt()).containsExactlyInAnyOrder(client4, nonblock4);
        JsonNode accept4 = only(of(r, pid, "net.accept"), "accept4", e -> e.path("syscall").asText().equals("accept4"));
        assertThat(addr(accept4.path("local"), "127.0.0.1", tcp4)).isTrue();
        assertThat(addr(accept4.path("remote"), "127.0.0.1", client4)).isTrue();
        assertThat(res(accept4)).isEqualTo(accept4.path("fd").asLong()).isPositive();

        // refused: a bound port that does not listen
        JsonNode refusedResult = only(of(r, pid, "net.connect_result"), "refused connect",
                e -> addr(e.path("remote"), "127.0.0.1", refused));
        assertThat(res(refusedResult)).isEqualTo(-111);
        assertThat(of(r, pid, "net.connect")).anySatisfy(e -> assertThat(addr(e.path("remote"), "127.0.0.1", refused)).isTrue());

        // IPv6
        JsonNode connect6 = only(of(r, pid, "net.connect"), "connect to ::1", e -> addr(e.path("remote"), "::1", tcp6));
        assertThat(connect6.path("family").asText()).isEqualTo("inet6");
        assertThat(connect6.path("remote").path("family").asText()).isEqualTo("inet6");
        assertThat(res(only(of(r, pid, "net.connect_result"), "result of connect to ::1", e -> addr(e.path("remote"), "::1", tcp6))))
                .isZero();
        JsonNode accept6 = only(of(r, pid, "net.accept"), "inet6 accept", e -> e.path("family").asText().equals("inet6"));
        assertThat(accept6.path("syscall").asText()).isEqualTo("accept");
        assertThat(addr(accept6.path("local"), "::1", tcp6)).isTrue();
        assertThat(accept6.path("remote").path("address").asText()).isEqualTo("::1");
        assertThat(only(of(r, pid, "net.bind"), "bind to ::1", e -> e.path("family").asText().equals("inet6"))
                .path("local").path("address").asText()).isEqualTo("::1");

        // unix: a path, and the abstract namespace ('@')
        for (String name : List.of(unixPath, abstractName)) {
            JsonNode bind = only(of(r, pid, "net.bind"), "bind " + name, e -> e.path("local").path("address").asText().equals(name));
            assertThat(bind.path("family").asText()).isEqualTo("unix");
            assertThat(bind.path("local").path("family").asText()).isEqualTo("unix");
            JsonNode connect = only(of(r, pid, "net.connect"), "connect " + name, e -> e.path("remote").path("address").asText().equals(name));
            assertThat(connect.path("family").asText()).isEqualTo("unix");
            assertThat(connect.path("protocol").asText()).isEmpty();
            assertThat(res(only(of(r, pid, "net.connect_result"), "result " + name,
                    e -> e.path("remote").path("address").asText().equals(name)))).isZero();
        }
        assertThat(abstractName).startsWith("@vigil-abstract-");
        assertThat(only(of(r, pid, "net.listen"), "unix listen", e -> e.path("local").path("address").asText().equals(unixPath))
                .path("family").asText()).isEqualTo("unix");
        assertThat(only(of(r, pid, "net.accept"), "unix accept", e -> e.path("family").asText().equals("unix"))
                .path("local").path("address").asText()).isEqualTo(unixPath);

        // sendto on an unconnected UDP socket names the destination
        JsonNode send = only(of(r, pid, "net.send"), "sendto", e -> e.path("syscall").asText().equals("sendto"));
        assertThat(addr(send.path("remote"), "127.0.0.1", udp)).isTrue();
        assertThat(send.path("family").asText()).isEqualTo("inet");
        assertThat(send.path("protocol").asText()).isEqualTo("udp");
        assertThat(send.path("sock_type").asText()).isEqualTo("dgram");
    }

    // ------------------------------------------------------------------------------------------------ DNS

    /** The fake DNS server of {@code fake_dns.py} on 127.0.0.1:53, running until closed. */
    private static final class FakeDns implements AutoCloseable {
        final Process process;

        FakeDns() throws IOException, InterruptedException {
            process = new ProcessBuilder(PYTHON, RESOURCES.resolve("fake_dns.py").toString(), "53")
                    .redirectErrorStream(true).start();
            var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String first = reader.readLine();
            if (!"ready".equals(first)) {
                process.waitFor(5, TimeUnit.SECONDS);
                String rest = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                close();
                assumeTrue(false, "the fake DNS server could not listen on 127.0.0.1:53: " + first + "\n" + rest);
            }
        }

        @Override public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** {@code cmd} in a private mount namespace whose resolv.conf and nsswitch.conf send host look-ups to 127.0.0.1. */
    private List<String> withLocalResolver(List<String> cmd) throws IOException {
        Path resolv = tmp.resolve("resolv.conf"), nss = tmp.resolve("nsswitch.conf");
        Files.writeString(resolv, "nameserver 127.0.0.1\noptions attempts:1 timeout:2\n");
        Files.writeString(nss, "hosts: files dns\n");
        List<String> out = new ArrayList<>(List.of("unshare", "--mount", "--", "sh", "-c",
                "mount --bind \"$1\" /etc/resolv.conf && mount --bind \"$2\" /etc/nsswitch.conf && shift 2 && exec \"$@\"",
                "sh", resolv.toString(), nss.toString()));
        out.addAll(cmd);
        return out;
    }

    private static boolean question(JsonNode e, String name, String type) {
        for (JsonNode q : e.path("questions")) if (q.path("name").asText().equals(name) && q.path("type").asText().equals(type)) return true;
        return false;
    }

    private static List<String> answers(JsonNode e) {
        List<String> out = new ArrayList<>();
        for (JsonNode x : e.path("answers"))
            out.add(x.path("name").asText() + " " + x.path("type").asText() + " " + x.path("data").asText());
        return out;
    }

    @Test
    void glibc_resolver_queries_and_answers_are_seen_and_name_the_address_connected_to() throws Exception {
        assumeTrue(isRoot(), "needs root: a mount namespace with its own resolv.conf, and port 53");
        assumeTrue(runNative(List.of("unshare", "--mount", "true")).exitCode() == 0, "unshare --mount does not work here");
        assumeTrue(Files.readAllLines(Path.of("/etc/hosts")).stream().noneMatch(l -> l.contains("vigil.test")),
                "/etc/hosts must not know the test names");
        List<String> workload = List.of(PYTHON, RESOURCES.resolve("dns_client.py").toString());
        try (FakeDns ignored = new FakeDns()) {
            Native plain = runNative(withLocalResolver(workload));
            assertThat(plain.exitCode()).as(plain.stderr()).isZero();
            assertThat(plain.stdout()).contains("getaddrinfo ['127.0.0.7', '::7']", "getent 0 ['127.0.0.7', '::7']",
                    "loop failed", "tcp rcode 3");
            Path events = tmp.resolve("dns-events.jsonl");
            var r = runWatched(withLocalResolver(Vigil.builder(events, List.of(), workload).command()), events);
            assertSameBehaviour(r, plain);

            int py = only(r.kind("process.exec"), "exec of " + PYTHON,
                    e -> e.path("proc").path("argv").path(0).asText().equals(PYTHON)).path("proc").path("pid").asInt();
            int getent = r.execsOf("/usr/bin/getent").getFirst().path("proc").path("pid").asInt();
            for (int pid : List.of(py, getent)) {
                List<JsonNode> queries = of(r, pid, "dns.query");
                for (String type : List.of("A", "AAAA")) {
                    JsonNode q = only(queries, "query shop " + type, e -> question(e, "shop.vigil.test", type));
                    assertThat(q.path("transport").asText()).isEqualTo("udp");
                    assertThat(addr(q.path("server"), "127.0.0.1", 53)).isTrue();
                    assertThat(q.has("answers")).isFalse();
                    JsonNode ans = only(of(r, pid, "dns.answer"), "answer shop " + type, e -> question(e, "shop.vigil.test", type));
                    assertThat(ans.path("dns_id").asInt()).isEqualTo(q.path("dns_id").asInt());
                    assertThat(ans.path("rcode").asInt()).isZero();
                    assertThat(ans.has("problem")).isFalse();
                    assertThat(answers(ans)).containsExactly("shop.vigil.test CNAME edge.vigil.test",
                            "edge.vigil.test " + type + " " + (type.equals("A") ? "127.0.0.7" : "::7"));
                }
            }

            // the connection to the address the name resolved to carries the name (and the CNAME's target)
            int port = Integer.parseInt(tagged(r.stderr(), "addr").get("listen"));
            JsonNode connect = only(of(r, py, "net.connect"), "connect to 127.0.0.7", e -> addr(e.path("remote"), "127.0.0.7", port));
            assertThat(strings(connect.path("remote_names"))).contains("shop.vigil.test", "edge.vigil.test");
            assertThat(connect.path("protocol").asText()).isEqualTo("tcp");
            JsonNode result = only(of(r, py, "net.connect_result"), "result of connect to 127.0.0.7",
                    e -> addr(e.path("remote"), "127.0.0.7", port));
            assertThat(res(result)).isZero();
            assertThat(strings(result.path("remote_names"))).contains("shop.vigil.test");
            // ... and a connection to an address nobody resolved carries none
            assertThat(of(r, py, "net.connect")).filteredOn(e -> addr(e.path("remote"), "127.0.0.1", 53))
                    .isNotEmpty().allSatisfy(e -> assertThat(e.has("remote_names")).isFalse());

            // a query over TCP: length-prefixed, sent on a connected stream socket
            JsonNode tcp = only(of(r, py, "dns.query"), "tcp query", e -> question(e, "tcp.vigil.test", "A"));
            assertThat(tcp.path("transport").asText()).isEqualTo("tcp");
            assertThat(tcp.path("dns_id").asInt()).isEqualTo(0x5151);
            assertThat(addr(tcp.path("server"), "127.0.0.1", 53)).isTrue();

            // an answer with a compression loop: reported with its problem, the resolver fails as without Vigil
            List<JsonNode> loops = of(r, py, "dns.answer").stream().filter(e -> question(e, "loop.vigil.test", "A")
                    || question(e, "loop.vigil.test", "AAAA")).toList();
            assertThat(loops).isNotEmpty().allSatisfy(e -> {
                assertThat(e.path("problem").asText()).isEqualTo("compression loop");
                assertThat(e.path("answers").size()).isZero();
            });
            assertThat(r.stdout()).contains("loop failed");

            // glibc's netlink query (which addresses are local) is a send, but not a UDP one
            assertThat(r.kind("net.send")).filteredOn(e -> e.path("family").asText().equals("netlink"))
                    .isNotEmpty().allSatisfy(e -> assertThat(e.path("protocol").asText()).isNotEqualTo("udp"));
        }
    }

    // ----------------------------------------------------------------------------------- identity, tamper

    @Test
    void credential_changes_capabilities_ptrace_memory_writes_and_kills_are_seen_with_their_targets() throws Exception {
        assumeTrue(isRoot(), "needs root: the workload drops to uid 65534");
        Path bin = Vigil.compile("identity_ops");
        Native plain = runNative(List.of(bin.toString()));
        assertThat(plain.exitCode()).as(plain.stdout()).isZero();
        var r = Vigil.run(tmp, List.of(), List.of(bin.toString()));
        assertSameBehaviour(r, plain);
        Map<String, String> pids = tagged(r.stderr(), "pid");
        int tamperTarget = Integer.parseInt(pids.get("tamper-target")), killTarget = Integer.parseInt(pids.get("kill-target"));
        List<JsonNode> ids = r.kind("identity.change");

        JsonNode setgid = only(ids, "setgid", e -> e.path("syscall").asText().equals("setgid"));
        assertThat(List.of(setgid.path("rgid").asInt(), setgid.path("egid").asInt(), setgid.path("sgid").asInt())).containsOnly(65534);
        assertThat(List.of(setgid.path("ruid").asInt(), setgid.path("euid").asInt(), setgid.path("suid").asInt())).containsOnly(-1);
        JsonNode setuid = only(ids, "setuid", e -> e.path("syscall").asText().equals("setuid"));
        assertThat(List.of(setuid.path("ruid").asInt(), setuid.path("euid").asInt(), setuid.path("suid").asInt())).containsOnly(65534);
        assertThat(setuid.path("proc").path("pid").asInt()).isEqualTo(setgid.path("proc").path("pid").asInt());
        JsonNode setresuid = only(ids, "setresuid", e -> e.path("syscall").asText().equals("setresuid"));
        assertThat(List.of(setresuid.path("ruid").asInt(), setresuid.path("euid").asInt(), setresuid.path("suid").asInt())).containsOnly(65534);
        assertThat(List.of(setresuid.path("rgid").asInt(), setresuid.path("egid").asInt(), setresuid.path("sgid").asInt())).containsOnly(-1);
        JsonNode setresgid = only(ids, "setresgid", e -> e.path("syscall").asText().equals("setresgid"));
        assertThat(List.of(setresgid.path("rgid").asInt(), setresgid.path("egid").asInt(), setresgid.path("sgid").asInt())).containsOnly(65534);
        JsonNode capset = only(ids, "capset", e -> e.path("syscall").asText().equals("capset"));
        assertThat(capset.path("cap_effective").asLong()).isEqualTo((1L << 0) | (1L << 5)); // CAP_CHOWN | CAP_KILL
        assertThat(capset.path("cap_permitted").asLong()).isEqualTo((1L << 0) | (1L << 5));

        int pid = pidOf(r, bin);
        List<JsonNode> tamper = of(r, pid, "process.tamper");
        JsonNode ptrace = only(tamper, "ptrace", e -> e.path("syscall").asText().equals("ptrace"));
        assertThat(ptrace.path("target_pid").asInt()).isEqualTo(tamperTarget);
        assertThat(ptrace.path("request").asLong()).isEqualTo(0x4206); // PTRACE_SEIZE
        assertThat(ptrace.path("target_cmdline").asText()).startsWith("identity_ops target ");
        JsonNode vmWrite = only(tamper, "process_vm_writev", e -> e.path("syscall").asText().equals("process_vm_writev"));
        assertThat(vmWrite.path("target_pid").asInt()).isEqualTo(tamperTarget);
        assertThat(vmWrite.path("target_cmdline").asText()).isEqualTo(ptrace.path("target_cmdline").asText());
        JsonNode kill = only(tamper, "kill", e -> e.path("syscall").asText().equals("kill"));
        assertThat(kill.path("target_pid").asInt()).isEqualTo(killTarget);
        assertThat(kill.path("request").asLong()).isEqualTo(15);
        assertThat(kill.path("target_cmdline").asText()).startsWith("identity_ops target ");
        // a process tracing itself or signalling itself is no tampering; waitpid's children are not either
        assertThat(tamper).hasSize(3);
    }

    // ---------------------------------------------------------------------------------------------- garbage

    @Test
    void garbage_arguments_give_well_formed_events_and_the_workload_the_same_errors() throws Exception {
        Path bin = Vigil.compile("garbage_ops");
        Path target = Files.writeString(tmp.resolve("edge-target"), "x");
        Native plain = runNative(List.of(bin.toString(), target.toString()));
        assertThat(plain.exitCode()).as(plain.stdout()).isZero();
        assertThat(plain.stdout()).contains("bad-pointer -1 EFAULT", "no-nul -1 EFAULT", "big-argv exit 0");
        var r = Vigil.run(tmp, List.of(), List.of(bin.toString(), target.toString()));
        assertSameBehaviour(r, plain);
        int pid = pidOf(r, bin);
        List<JsonNode> opens = of(r, pid, "file.open");

        JsonNode bad = only(opens, "open of pointer 1", e -> e.path("path").asText().contains("<unreadable>")
                && !e.path("path").asText().contains("nonul"));
        assertThat(bad.path("path").asText()).isEqualTo("<unreadable>");
        assertThat(bad.path("syscall").asText()).isEqualTo("openat");
        assertThat(strings(bad.path("open_flags"))).containsExactly("O_RDONLY");
        // a path whose NUL is the last byte of a mapping is read whole
        assertThat(file(opens, "openat", target.toString()).path("kind").asText()).isEqualTo("file.open");
        // one running into the unmapped page keeps what was read, marked
        assertThat(only(opens, "open of a string without NUL", e -> e.path("path").asText().contains("nonul"))
                .path("path").asText()).endsWith("/nonulxyz<unreadable>");

        // 1 MiB of argv: cut and marked, the program still runs and exits 0
        JsonNode big = r.execsOf("/usr/bin/true").getFirst();
        assertThat(big.path("proc").path("argv_truncated").asBoolean()).isTrue();
        assertThat(big.path("proc").path("argv").get(0).asText()).isEqualTo("true");
        assertThat(big.path("proc").path("argv").size()).isGreaterThan(100).isLessThan(1025);
        int truePid = big.path("proc").path("pid").asInt();
        assertThat(only(of(r, truePid, "process.exit"), "exit of true", e -> true).path("exit_code").asInt()).isZero();
        assertThat(r.execsOf(bin.toString()).getFirst().path("proc").has("argv_truncated")).isFalse();
    }
}
