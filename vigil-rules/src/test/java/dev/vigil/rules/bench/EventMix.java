package dev.vigil.rules.bench;

import dev.vigil.event.Ancestor;
import dev.vigil.event.DnsMessage;
import dev.vigil.event.Event;
import dev.vigil.event.EventHeader;
import dev.vigil.event.FileOp;
import dev.vigil.event.NetOp;
import dev.vigil.event.ProcessExec;
import dev.vigil.event.ProcessExit;
import dev.vigil.event.ProcessFork;
import dev.vigil.event.ProcessInfo;
import dev.vigil.event.SockAddr;
import dev.vigil.event.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A realistic event mix of a containerised web service: mostly file opens (configs, libraries, temp files,
 * /proc reads), connects to databases and APIs, DNS, some execs, forks and exits, and a few
 * suspicious events (about 1%). Process images are shared between events, as the state layer does.
 */
public final class EventMix {
    private EventMix() {}

    public static Event[] build(int n, long seed) {
        Random r = new Random(seed);
        Workload w = new Workload("svc", "3f2a9c1b7d4e", "svc", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/svc",
                "2.0", "shop", "prod", "aws-ecs-fargate", Map.of());
        String[][] procs = {
            {"java", "/usr/lib/jvm/bin/java"}, {"node", "/usr/local/bin/node"}, {"python3", "/usr/bin/python3.12"},
            {"nginx", "/usr/sbin/nginx"}, {"sh", "/bin/sh"}, {"gunicorn", "/usr/local/bin/gunicorn"},
            {"ls", "/bin/ls"}, {"cat", "/bin/cat"}, {"curl", "/usr/bin/curl"}, {"envoy", "/usr/local/bin/envoy"}};
        List<ProcessInfo> images = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String[] p = procs[i % procs.length];
            List<Ancestor> anc = List.of(new Ancestor(100, "sh", "/bin/sh", List.of("sh", "-c", "start.sh")),
                    new Ancestor(1, "tini", "/sbin/tini", List.of("tini", "--")));
            images.add(new ProcessInfo(1000 + i, 1000 + i, 100, p[0], p[1], List.of(p[0], "--port", "8080", "--config", "/app/c.yaml"),
                    false, "/app", 1000, 1000, 1000, 1000, 1, 1000 + i, -1, null, 1_700_000_000_000_000_000L, anc));
        }
        String[] reads = {"/app/config/application.yaml", "/usr/lib/x86_64-linux-gnu/libssl.so.3", "/proc/self/status",
            "/etc/hosts", "/etc/resolv.conf", "/app/static/index.html", "/usr/share/zoneinfo/UTC", "/etc/ld.so.cache",
            "/sys/fs/cgroup/cpu.max", "/app/node_modules/express/index.js"};
        String[] writes = {"/tmp/upload-123.bin", "/app/logs/app.log", "/tmp/cache/entry", "/var/tmp/session"};
        Event[] out = new Event[n];
        long t = 1_764_864_000_000_000_000L;
        for (int i = 0; i < n; i++) {
            ProcessInfo p = images.get(r.nextInt(images.size()));
            EventHeader h = new EventHeader(Event.SCHEMA_VERSION, i, t + i * 1000L, "bench", w);
            int k = r.nextInt(1000);
            if (k < 400) {
                out[i] = new FileOp(h, p, "openat", FileOp.Op.OPEN, reads[r.nextInt(reads.length)], null, 02000000, 0, -1, -1, 5, 5);
            } else if (k < 500) {
                out[i] = new FileOp(h, p, "openat", FileOp.Op.OPEN, writes[r.nextInt(writes.length)], null, 01 | 0100 | 02000000, 0644, -1, -1, 6, 6);
            } else if (k < 620) {
                String ip = r.nextBoolean() ? "10.0.3." + r.nextInt(250) : "93.184.216." + r.nextInt(250);
                out[i] = new NetOp(h, p, "connect", NetOp.Op.CONNECT, 7, "inet", "stream", "tcp", new SockAddr("inet", "172.17.0.5", 40000 + r.nextInt(20000)),
                        new SockAddr("inet", ip, r.nextBoolean() ? 443 : 5432), List.of("api.example.com"), -115);
            } else if (k < 700) {
                out[i] = new DnsMessage(h, p, "sendto", false, "udp", new SockAddr("inet", "169.254.169.253", 53), r.nextInt(65535), 0,
                        List.of(new DnsMessage.Question("api.example.com", "A")), List.of(), null);
            } else if (k < 780) {
                out[i] = new ProcessExec(h, p, "execve", 0, false);
            } else if (k < 860) {
                out[i] = new ProcessFork(h, p, "clone", p.pid() + 1, p.pid() + 1, r.nextBoolean());
            } else if (k < 920) {
                out[i] = new ProcessExit(h, p, 0, 0, false);
            } else if (k < 960) {
                out[i] = new FileOp(h, p, "unlinkat", FileOp.Op.UNLINK, writes[r.nextInt(writes.length)], null, 0, 0, -1, -1, -1, 0);
            } else if (k < 990) {
                out[i] = new FileOp(h, p, "renameat2", FileOp.Op.RENAME, "/tmp/a.part", "/tmp/a", 0, 0, -1, -1, -1, 0);
            } else {
                // about 1% suspicious: a shell under the web server, a sensitive read, the metadata endpoint
                int s = r.nextInt(3);
                if (s == 0) {
                    ProcessInfo sh = new ProcessInfo(9000, 9000, 1003, "sh", "/bin/sh", List.of("sh", "-c", "id"), false, "/", 33, 33,
                            33, 33, 1, 9000, -1, null, t, List.of(new Ancestor(1003, "nginx", "/usr/sbin/nginx", List.of("nginx"))));
                    out[i] = new ProcessExec(h, sh, "execve", 0, false);
                } else if (s == 1) {
                    out[i] = new FileOp(h, p, "openat", FileOp.Op.OPEN, "/etc/shadow", null, 0, 0, -1, -1, 5, 5);
                } else {
                    out[i] = new NetOp(h, p, "connect", NetOp.Op.CONNECT, 7, "inet", "stream", "tcp", new SockAddr("inet", "172.17.0.5", 40000),
                            new SockAddr("inet", "169.254.169.254", 80), List.of(), 0);
                }
            }
        }
        return out;
    }
}
