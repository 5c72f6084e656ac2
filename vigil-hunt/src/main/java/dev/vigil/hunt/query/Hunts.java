package dev.vigil.hunt.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Canned hunts over the store: the process tree around an event or alert, the timeline of a workload, the
 * alert list and the workload list. Results are plain maps and lists ready to be written as JSON.
 */
public final class Hunts {
    /** How many generations of children the tree follows. */
    public static final int TREE_DEPTH = 4;
    /** Most processes in one tree. */
    public static final int TREE_NODES = 500;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT_SUMMARY = "id, ts, time_ns, kind, evt_type, workload, container_id, sensor, pid, "
            + "ppid, proc_name, exe_path, exe_sha256, cmdline, path, target, remote_address, remote_port, remote_names, "
            + "dns_names, dns_answers, res";

    private final QueryService q;

    public Hunts(QueryService queries) {
        this.q = queries;
    }

    /** Thrown when the event or alert asked for is not stored. */
    public static final class NotFoundException extends Exception {
        public NotFoundException(String message) {
            super(message);
        }
    }

    /** The id of the event an alert is about: its {@code vigil.event_id}, else the nearest event of its pid. */
    public String eventOfAlert(String alertId) throws SQLException, NotFoundException {
        QueryResult a = q.trusted("SELECT event_id, pid, container_id, time_ns, hostname FROM alerts WHERE id = ?",
                List.of(alertId), 1);
        if (a.rows().isEmpty()) throw new NotFoundException("no alert with id " + alertId);
        List<Object> r = a.rows().getFirst();
        if (r.get(0) != null) return (String) r.get(0);
        if (r.get(1) == null) throw new NotFoundException("alert " + alertId + " has no proc.pid in output_fields");
        QueryResult e = q.trusted("SELECT id FROM events WHERE pid = ? AND (?::VARCHAR IS NULL OR container_id = ?::VARCHAR OR workload = ?::VARCHAR) "
                        + "ORDER BY abs(time_ns - ?) LIMIT 1",
                java.util.Arrays.asList(r.get(1), nz(r.get(2)), nz(r.get(2)), nz(r.get(4)), r.get(3)), 1);
        if (e.rows().isEmpty()) throw new NotFoundException("no stored event of pid " + r.get(1) + " for alert " + alertId);
        return (String) e.rows().getFirst().getFirst();
    }

    private static Object nz(Object o) {
        return o == null ? null : o.toString();
    }

    /**
     * The tree around one event: its ancestors (from the event's own ancestor chain), the process with its
     * events, and the children that process started (by ppid on the same sensor, from the process's start),
     * {@value #TREE_DEPTH} generations deep.
     */
    public Map<String, Object> processTree(String eventId, int eventsPerProcess) throws SQLException, NotFoundException {
        QueryResult ev = q.trusted("SELECT sensor, pid, ppid, proc_start_ns, time_ns, proc_name, exe_path, exe_sha256, "
                + "cmdline, workload, container_id, raw FROM events WHERE id = ?", List.of(eventId), 1);
        if (ev.rows().isEmpty()) throw new NotFoundException("no event with id " + eventId);
        List<Object> e = ev.rows().getFirst();
        String sensor = (String) e.get(0);
        Object pid = e.get(1);
        if (pid == null) throw new NotFoundException("event " + eventId + " has no process");
        long eventNs = ((Number) e.get(4)).longValue();
        long since = e.get(3) != null ? Math.min(((Number) e.get(3)).longValue(), eventNs) : eventNs;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("event_id", eventId);
        out.put("ancestors", ancestors((String) e.get(11)));
        Map<String, Object> root = node(sensor, ((Number) pid).intValue(), since, e.get(5), e.get(6), e.get(7), e.get(8));
        root.put("ppid", e.get(2));
        root.put("workload", e.get(9));
        root.put("container_id", e.get(10));
        root.put("events", q.trusted("SELECT " + EVENT_SUMMARY + " FROM events WHERE sensor = ? AND pid = ? AND "
                + "time_ns >= ? ORDER BY time_ns", List.of(sensor, pid, since), eventsPerProcess));
        out.put("process", root);
        int[] budget = {TREE_NODES};
        root.put("children", new ArrayList<Map<String, Object>>());
        fillChildren(sensor, root, since, budget);
        out.put("truncated", budget[0] <= 0);
        return out;
    }

    @SuppressWarnings("unchecked")
    private void fillChildren(String sensor, Map<String, Object> root, long since, int[] budget) throws SQLException {
        List<Map<String, Object>> frontier = List.of(root);
        for (int depth = 1; depth <= TREE_DEPTH && budget[0] > 0 && !frontier.isEmpty(); depth++) {
            StringBuilder in = new StringBuilder();
            Map<Integer, Map<String, Object>> byPid = new LinkedHashMap<>();
            for (Map<String, Object> p : frontier) {
                int pid = ((Number) p.get("pid")).intValue();
                if (!in.isEmpty()) in.append(',');
                in.append(pid);
                byPid.put(pid, p);
            }
            QueryResult kids = q.trusted("SELECT ppid, pid, min(coalesce(proc_start_ns, time_ns)) AS start_ns, "
                    + "arg_max(proc_name, time_ns), arg_max(exe_path, time_ns), arg_max(exe_sha256, time_ns), "
                    + "arg_max(cmdline, time_ns), count(*) AS events, list(DISTINCT kind ORDER BY kind) AS kinds "
                    + "FROM events WHERE sensor = ? AND ppid IN (" + in + ") AND pid NOT IN (" + in + ") "
                    + "AND time_ns >= ? GROUP BY ppid, pid ORDER BY start_ns", List.of(sensor, since), budget[0]);
            budget[0] = kids.truncated() ? 0 : budget[0] - kids.rows().size();
            List<Map<String, Object>> next = new ArrayList<>();
            for (List<Object> r : kids.rows()) {
                Map<String, Object> n = node(sensor, ((Number) r.get(1)).intValue(), ((Number) r.get(2)).longValue(),
                        r.get(3), r.get(4), r.get(5), r.get(6));
                n.put("ppid", r.get(0));
                n.put("event_count", r.get(7));
                n.put("kinds", r.get(8));
                n.put("children", new ArrayList<Map<String, Object>>());
                Map<String, Object> parent = byPid.get(((Number) r.get(0)).intValue());
                ((List<Map<String, Object>>) parent.get("children")).add(n);
                next.add(n);
            }
            frontier = next;
        }
    }

    private static Map<String, Object> node(String sensor, int pid, long startNs, Object name, Object exe, Object sha,
                                            Object cmdline) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("sensor", sensor);
        n.put("pid", pid);
        n.put("start_ns", startNs);
        n.put("name", name);
        n.put("exe_path", exe);
        n.put("exe_sha256", sha);
        n.put("cmdline", cmdline);
        return n;
    }

    private static List<Map<String, Object>> ancestors(String raw) {
        List<Map<String, Object>> out = new ArrayList<>();
        try {
            JsonNode anc = JSON.readTree(raw).path("proc").path("ancestors");
            for (JsonNode a : anc) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("pid", a.path("pid").asInt());
                m.put("name", a.path("name").asText(null));
                m.put("exe_path", a.path("exe_path").asText(null));
                m.put("cmdline", a.path("cmdline").asText(null));
                out.add(m);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // stored lines were parsed at ingest; an unreadable one has no ancestors to show
        }
        return out;
    }

    /** Events and alerts of one workload (matched by name or container id), oldest first. */
    public Map<String, Object> timeline(String workload, long fromNs, long toNs, int limit) throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("workload", workload);
        out.put("events", q.trusted("SELECT " + EVENT_SUMMARY + " FROM events WHERE (workload = ? OR container_id = ?) "
                + "AND time_ns BETWEEN ? AND ? ORDER BY time_ns, seq", List.of(workload, workload, fromNs, toNs), limit));
        out.put("alerts", q.trusted("SELECT id, ts, time_ns, rule, priority, output, pid, proc_name, event_id FROM alerts "
                + "WHERE (container_id = ? OR hostname = ? OR container_id IN (SELECT DISTINCT container_id FROM "
                + "events WHERE workload = ?)) AND time_ns BETWEEN ? AND ? ORDER BY time_ns",
                List.of(workload, workload, workload, fromNs, toNs), limit));
        return out;
    }

    /** Newest alerts first, optionally only those at {@code priority}. */
    public QueryResult alerts(String priority, int limit) throws SQLException {
        return q.trusted("SELECT id, ts, rule, priority, output, source, hostname, container_id, pid, proc_name, tags, "
                + "event_id FROM alerts WHERE ?::VARCHAR IS NULL OR lower(priority) = lower(?::VARCHAR) ORDER BY time_ns DESC",
                java.util.Arrays.asList(priority, priority), limit);
    }

    /** Every workload with its event count and first/last time. */
    public QueryResult workloads(int limit) throws SQLException {
        return q.trusted("SELECT workload, container_id, image, count(*) AS events, min(ts) AS first_seen, "
                + "max(ts) AS last_seen FROM events GROUP BY ALL ORDER BY last_seen DESC", List.of(), limit);
    }
}
