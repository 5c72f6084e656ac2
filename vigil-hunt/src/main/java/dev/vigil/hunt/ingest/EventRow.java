package dev.vigil.hunt.ingest;

import java.util.List;

/**
 * One event as stored: the typed columns of the {@code events} table (nullable where the event kind has no
 * such field) and the raw JSON line as received (UTF-8 bytes, appended to DuckDB without re-encoding). {@code exeSha256} is the executable's SHA-256 ({@code proc.exe_sha256})
 * when the sensor hashed it. {@code domains} holds every name in {@code dnsNames} and {@code remoteNames} with
 * each of its parent domains of two labels or more ({@code a.b.example.com} gives {@code a.b.example.com},
 * {@code b.example.com}, {@code example.com}), so an IOC sweep matches subdomains by equality.
 */
public record EventRow(String id, int schema, String sensor, long seq, long timeNs, String kind, String evtType,
                       String syscall, String workload, String containerId, String image, String project,
                       String environment, Integer pid, Integer tid, Integer ppid, String procName, String exePath,
                       String exeSha256, String cmdline, String cwd, Integer uid, Long procStartNs,
                       String parentName, String parentExe, String path, String target, String protocol,
                       String remoteAddress, Integer remotePort, String localAddress, Integer localPort,
                       List<String> remoteNames, List<String> dnsNames, List<String> dnsAnswers, List<String> domains,
                       Integer rcode,
                       Long res, Integer childPid, Integer targetPid, byte[] raw) {
    /** The raw line as text. */
    public String rawText() {
        return new String(raw, java.nio.charset.StandardCharsets.UTF_8);
    }
}
