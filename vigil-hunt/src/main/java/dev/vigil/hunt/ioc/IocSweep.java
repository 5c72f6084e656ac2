package dev.vigil.hunt.ioc;

import dev.vigil.hunt.query.QueryResult;
import dev.vigil.hunt.query.QueryService;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs an IOC sweep as two read-only queries: process images (table {@code processes}: by executable hash or
 * command-line substring), and events (connections whose remote address or the names it was resolved from
 * match; DNS messages whose question names or answer addresses match). Domains match their subdomains. Each
 * row says which indicator matched.
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
            // Process images, not events: one row per (sensor, pid, start, hash), a fraction of the events.
            List<String> conds = new ArrayList<>();
            List<Object> params = new ArrayList<>();
            String matched = "NULL";
            String re = ind.cmdline().isEmpty() ? null : regexOf(ind.cmdline());
            // The pattern is a literal, not a parameter: DuckDB compiles a constant pattern once, a parameter per row.
            String reLiteral = re == null ? null : "'" + re.replace("'", "''") + "'";
            if (re != null) matched = "'cmdline:' || regexp_extract(cmdline, " + reLiteral + ")";
            if (!ind.sha256().isEmpty()) {
                matched = "CASE WHEN exe_sha256 IN (SELECT unnest(" + hashes + ")) THEN 'sha256:' || exe_sha256 ELSE "
                        + matched + " END";
                conds.add("exe_sha256 IN (SELECT unnest(" + hashes + "))");
            }
            if (re != null) conds.add("regexp_matches(cmdline, " + reLiteral + ")");
            procs = queries.trusted("SELECT " + matched + " AS matched, workload, container_id, sensor, pid, ppid, "
                    + "proc_name, exe_path, exe_sha256, cmdline, parent_name, first_ts AS first_seen, first_event_id "
                    + "FROM processes WHERE " + String.join(" OR ", conds) + " ORDER BY first_ns", params, limit);
        }
        if (!ind.ips().isEmpty() || !ind.domains().isEmpty()) {
            // Phase 1, hits by row id: list columns are unnested and compared by equality (the domains column
            // already holds each name's parent domains), far faster in DuckDB than list functions with lambdas.
            List<String> hits = new ArrayList<>();
            if (!ind.domains().isEmpty())
                hits.add("SELECT rid, kind, time_ns, 'domain:' || x AS m FROM (SELECT rowid AS rid, kind, time_ns, "
                        + "unnest(domains) AS x FROM events WHERE domains IS NOT NULL) WHERE x IN (SELECT unnest(" + doms + "))");
            if (!ind.ips().isEmpty()) {
                hits.add("SELECT rowid AS rid, kind, time_ns, 'ip:' || remote_address AS m FROM events "
                        + "WHERE remote_address IN (SELECT unnest(" + ips + "))");
                hits.add("SELECT rid, kind, time_ns, 'ip:' || x AS m FROM (SELECT rowid AS rid, kind, time_ns, "
                        + "unnest(dns_answers) AS x FROM events WHERE dns_answers IS NOT NULL) WHERE x IN (SELECT unnest("
                        + ips + "))");
            }
            QueryResult h = queries.trusted("SELECT rid, any_value(kind) AS kind, any_value(time_ns) AS t, "
                    + "string_agg(DISTINCT m, ',' ORDER BY m) AS matched FROM (" + String.join(" UNION ALL ", hits)
                    + ") GROUP BY rid ORDER BY t", List.of(), queries.maxRows());
            List<List<Object>> net = new ArrayList<>(), dnsHits = new ArrayList<>();
            for (List<Object> r : h.rows()) {
                String kind = String.valueOf(r.get(1));
                if (kind.startsWith("net.")) net.add(r);
                else if (kind.startsWith("dns.")) dnsHits.add(r);
            }
            QueryResult[] both = fetch(net, dnsHits, limit, h.truncated());
            conns = both[0];
            dns = both[1];
        }
        return new Result(procs, conns, dns, (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * Phase 2: the event rows of the first {@code limit} hits of each section, fetched by row id in one scan
     * (row ids are stable here: events are only ever appended), oldest first.
     */
    private QueryResult[] fetch(List<List<Object>> net, List<List<Object>> dnsHits, int limit, boolean truncated)
            throws SQLException {
        if (net.isEmpty() && dnsHits.isEmpty()) return new QueryResult[] {empty(), empty()};
        StringBuilder ids = new StringBuilder(), times = new StringBuilder();
        java.util.Map<Long, Object> matched = new java.util.HashMap<>();
        for (List<List<Object>> hits : List.of(net, dnsHits)) {
            for (List<Object> r : hits.subList(0, Math.min(limit, hits.size()))) {
                if (!ids.isEmpty()) {
                    ids.append(',');
                    times.append(',');
                }
                long rid = ((Number) r.get(0)).longValue();
                ids.append(rid);
                times.append(((Number) r.get(2)).longValue());
                matched.put(rid, r.get(3));
            }
        }
        // Scanning 10 M rows costs per column read, so events give only their own columns (the time filter is
        // pushed into the scan; the row ids make it exact) and the per-process ones come from `processes`,
        // aggregated only for the processes of the rows shown (aggregating all of `processes` first cost ~40 %).
        QueryResult rows = queries.trusted("WITH e AS (SELECT rowid AS rid, ts, time_ns, id, kind, sensor, pid, "
                + "coalesce(proc_start_ns, 0) AS st, remote_address, remote_port, dns_names, rcode, res FROM events "
                + "WHERE time_ns IN (" + times + ") AND rowid IN (" + ids + ")), "
                + "p AS (SELECT sensor, pid, start_ns, any_value(workload) AS workload, any_value(container_id) AS "
                + "container_id, any_value(proc_name) AS proc_name, any_value(cmdline) AS cmdline, max(exe_sha256) AS "
                + "exe_sha256 FROM processes WHERE (sensor, pid, start_ns) IN (SELECT sensor, pid, st FROM e) "
                + "GROUP BY sensor, pid, start_ns) "
                + "SELECT e.rid, e.ts, e.id, e.kind, p.workload, p.container_id, e.sensor, e.pid, p.proc_name, p.cmdline, "
                + "p.exe_sha256, e.remote_address, e.remote_port, e.dns_names, e.rcode, e.res FROM e LEFT JOIN p "
                + "ON p.sensor = e.sensor AND p.pid = e.pid AND p.start_ns = e.st ORDER BY e.time_ns",
                List.of(), 2 * limit);
        List<String> cols = new ArrayList<>(rows.columns());
        List<String> types = new ArrayList<>(rows.types());
        cols.set(0, "matched");
        types.set(0, "VARCHAR");
        List<List<Object>> outNet = new ArrayList<>(), outDns = new ArrayList<>();
        int kind = cols.indexOf("kind");
        for (List<Object> r : rows.rows()) {
            List<Object> row = new ArrayList<>(r);
            row.set(0, matched.get(((Number) r.get(0)).longValue()));
            (String.valueOf(r.get(kind)).startsWith("net.") ? outNet : outDns).add(row);
        }
        return new QueryResult[] {
            new QueryResult(cols, types, outNet, truncated || net.size() > limit, rows.timedOut(), rows.elapsedMs()),
            new QueryResult(cols, types, outDns, truncated || dnsHits.size() > limit, rows.timedOut(), rows.elapsedMs())};
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
