package dev.vigil.hunt;

import dev.vigil.event.Ancestor;
import dev.vigil.event.DnsMessage;
import dev.vigil.event.Event;
import dev.vigil.event.EventHeader;
import dev.vigil.event.EventJson;
import dev.vigil.event.FileOp;
import dev.vigil.event.NetOp;
import dev.vigil.event.ProcessExec;
import dev.vigil.event.ProcessInfo;
import dev.vigil.event.SockAddr;
import dev.vigil.event.Workload;

import java.util.List;
import java.util.Map;

/** Builds real schema-1 event lines with {@link EventJson}, as a sensor would send them. */
public final class TestEvents {
    public static final long T0 = 1_767_000_000_000_000_000L;
    private final EventJson json = new EventJson();
    private final String sensor;
    private final Workload workload;
    private long seq;

    public TestEvents(String sensor, String workloadName) {
        this.sensor = sensor;
        this.workload = new Workload(workloadName, "ctr-" + workloadName, null, "registry/app", "1.0", "proj",
                "prod", "local", Map.of("team", "blue"));
    }

    public long nextSeq() {
        return seq;
    }

    private EventHeader header() {
        long s = seq++;
        return new EventHeader(1, s, T0 + s * 1_000_000L, sensor, workload);
    }

    public static ProcessInfo proc(int pid, int ppid, String name, String exe, List<String> argv) {
        return new ProcessInfo(pid, pid, ppid, name, exe, argv, false, "/app", 1000, 1000, 1000, 1000, 1, pid, -1,
                null, T0 + pid, List.of(new Ancestor(ppid, "sh", "/bin/sh", List.of("sh", "-c", "run")),
                new Ancestor(1, "init", "/sbin/init", List.of("init"))));
    }

    public Event exec(ProcessInfo p) {
        return new ProcessExec(header(), p, "execve", 0, false);
    }

    public Event connect(ProcessInfo p, String ip, int port, List<String> names) {
        return new NetOp(header(), p, "connect", NetOp.Op.CONNECT, 3, "inet", "stream", "tcp",
                new SockAddr("inet", "10.0.0.2", 40000), new SockAddr("inet", ip, port), names, 0);
    }

    public Event dnsQuery(ProcessInfo p, String name) {
        return new DnsMessage(header(), p, "sendto", false, "udp", new SockAddr("inet", "10.0.0.53", 53), 7, 0,
                List.of(new DnsMessage.Question(name, "A")), List.of(), null);
    }

    public Event dnsAnswer(ProcessInfo p, String name, String ip) {
        return new DnsMessage(header(), p, "recvfrom", true, "udp", new SockAddr("inet", "10.0.0.53", 53), 7, 0,
                List.of(new DnsMessage.Question(name, "A")), List.of(new DnsMessage.Answer(name, "A", ip, 60)), null);
    }

    public Event open(ProcessInfo p, String path) {
        return new FileOp(header(), p, "openat", FileOp.Op.OPEN, path, null, 0, 0, -1, -1, 3, 3);
    }

    public String line(Event e) {
        return json.toJson(e);
    }

    /** The event's JSON with {@code proc.exe_sha256} added, as a sensor that hashes executables writes it. */
    public String lineWithSha(Event e, String sha256) {
        return json.toJson(e).replace("\"proc\":{", "\"proc\":{\"exe_sha256\":\"" + sha256 + "\",");
    }

    public static String falcoAlert(String rule, String priority, String time, String containerId, int pid, String procName) {
        return "{\"time\":\"" + time + "\",\"rule\":\"" + rule + "\",\"priority\":\"" + priority + "\",\"output\":\""
                + rule + " (proc.name=" + procName + ")\",\"output_fields\":{\"container.id\":\"" + containerId
                + "\",\"proc.pid\":" + pid + ",\"proc.name\":\"" + procName + "\"},\"source\":\"syscall\","
                + "\"tags\":[\"T1059\",\"container\"],\"hostname\":\"node-1\"}";
    }
}
