package dev.vigil.hunt.ioc;

import dev.vigil.hunt.query.QueryResult;
import dev.vigil.hunt.query.QueryService;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs an IOC sweep as three read-only queries: processes (by executable hash or command-line substring),
 * connections (network events whose remote address or the names it was resolved from match) and DNS
 * messages (question names, or answer addresses). Each row says which indicator matched.
 */
public final class IocSweep {
    private final QueryService queries;

    public IocSweep(QueryService queries) {
        this.queries = queries;
    }

    /** The three result sets of one sweep. */
    public record Result(QueryResult processes, QueryResult connections, QueryResult dns, long elapsedMs) {}

    /** Sweeps all history; {@code limit} caps each of the three result sets. */
    public Result sweep(Indicators ind, int limit) throws SQLException {
        long t0 = System.nanoTime();
        QueryResult procs = empty(), conns = empty(), dns = empty();
        String hashes = arrayLiteral(ind.sha256());
        String doms = arrayLiteral(ind.domains());
        String ips = arrayLiteral(ind.ips());
        if (!ind.sha256().isEmpty() || !ind.cmdline().isEmpty()) {
            List<String> conds = new ArrayList<>();
            List<Object> params = new ArrayList<>();
            String shaMatch = "NULL";
            String cmdMatch = "NULL";
            if (!ind.sha256().isEmpty()) {
                conds.add("exe_sha256 IN (SELECT unnest(" + hashes + "))");
                shaMatch = "CASE WHEN exe_sha256 IN (SELECT unnest(" + hashes + ")) THEN 'sha256:' || exe_sha256 END";
            }
            if (!ind.cmdline().isEmpty()) {
                String re = regexOf(ind.cmdline());
                conds.add("regexp_matches(cmdline, ?)");
                params.add(re);
                cmdMatch = "'cmdline:' || nullif(regexp_extract(cmdline, ?), '')";
                params.add(0, re);
            }
            // params order: the SELECT list's ? comes before the WHERE's ?
            String sql = "SELECT coalesce(" + shaMatch + ", " + cmdMatch + ") AS matched, workload, container_id, sensor, pid, ppid, "
                    + "proc_name, exe_path, exe_sha256, cmdline, parent_name, min(ts) AS first_seen, max(ts) AS last_seen, "
                    + "count(*) AS events, min(id) AS first_event_id "
                    + "FROM events WHERE " + String.join(" OR ", conds)
                    + " GROUP BY ALL ORDER BY first_seen";
            procs = queries.trusted(sql, params, limit);
        }
        if (!ind.ips().isEmpty() || !ind.domains().isEmpty()) {
            List<String> conds = new ArrayList<>();
            if (!ind.ips().isEmpty()) conds.add("remote_address IN (SELECT unnest(" + ips + "))");
            if (!ind.domains().isEmpty())
                conds.add("len(list_filter(remote_names, n -> " + domainMatch("n", doms) + ")) > 0");
            String sql = "SELECT CASE WHEN remote_address IN (SELECT unnest(" + ips + ")) THEN 'ip:' || remote_address "
                    + "ELSE 'domain:' || array_to_string(remote_names, ',') END AS matched, ts, id, kind, workload, "
                    + "container_id, sensor, pid, proc_name, cmdline, exe_sha256, protocol, remote_address, remote_port, "
                    + "remote_names, res FROM events WHERE kind LIKE 'net.%' AND (" + String.join(" OR ", conds)
                    + ") ORDER BY ts";
            conns = queries.trusted(sql, List.of(), limit);
        }
        if (!ind.ips().isEmpty() || !ind.domains().isEmpty()) {
            List<String> conds = new ArrayList<>();
            if (!ind.domains().isEmpty())
                conds.add("len(list_filter(dns_names, n -> " + domainMatch("n", doms) + ")) > 0");
            if (!ind.ips().isEmpty()) conds.add("len(list_intersect(dns_answers, " + ips + ")) > 0");
            String sql = "SELECT CASE WHEN len(list_intersect(dns_answers, " + ips + ")) > 0 THEN 'ip:' || "
                    + "array_to_string(list_intersect(dns_answers, " + ips + "), ',') ELSE 'domain:' || "
                    + "array_to_string(dns_names, ',') END AS matched, ts, id, kind, workload, container_id, sensor, "
                    + "pid, proc_name, cmdline, dns_names, dns_answers, rcode FROM events WHERE kind LIKE 'dns.%' AND ("
                    + String.join(" OR ", conds) + ") ORDER BY ts";
            dns = queries.trusted(sql, List.of(), limit);
        }
        return new Result(procs, conns, dns, (System.nanoTime() - t0) / 1_000_000);
    }

    private static String domainMatch(String var, String doms) {
        return "list_has_any(" + doms + ", [" + var + "]) OR len(list_filter(" + doms + ", d -> ends_with(" + var
                + ", '.' || d))) > 0";
    }

    /** A DuckDB list literal of validated strings; quotes are doubled, so the literal cannot be escaped. */
    static String arrayLiteral(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (String v : values) {
            if (sb.length() > 1) sb.append(", ");
            sb.append('\'').append(v.replace("'", "''")).append('\'');
        }
        return sb.append("]::VARCHAR[]").toString();
    }

    /** One RE2 alternation matching any of the substrings literally. */
    static String regexOf(List<String> substrings) {
        StringBuilder sb = new StringBuilder();
        for (String s : substrings) {
            if (!sb.isEmpty()) sb.append('|');
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                if (Character.isLetterOrDigit(cp) || cp == ' ' || cp > 127) sb.appendCodePoint(cp);
                else if (cp < 0x20 || cp == 0x7f) sb.append(String.format("\\x{%x}", cp));
                else sb.append('\\').appendCodePoint(cp);
                i += Character.charCount(cp);
            }
        }
        return sb.toString();
    }

    private static QueryResult empty() {
        return new QueryResult(List.of(), List.of(), List.of(), false, false, 0);
    }
}
