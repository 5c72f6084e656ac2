package dev.vigil.hunt.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parses newline-delimited JSON batches. Each line is either a Vigil event (has {@code "schema"} and
 * {@code "id"}) or a Falco alert (has {@code "rule"}, {@code "priority"} and {@code "output"}). A line that is
 * not JSON, has the wrong types, an unsupported schema or is longer than the line limit is refused with its
 * line number and reason; the other lines of the batch are kept. Fields this server does not know are kept in
 * the raw JSON and reported as a warning (a newer sensor must not lose events on an older server).
 * Thread-safe.
 */
public final class IngestParser {
    /** The only event schema this server reads. */
    public static final int SCHEMA = 1;
    /** Longest accepted event id. */
    public static final int MAX_ID_LENGTH = 256;

    static final Set<String> EVENT_FIELDS = Set.of("schema", "id", "seq", "time_ns", "kind", "evt_type", "sensor",
            "workload", "proc", "syscall", "former_tid", "fileless", "path", "argv", "errno", "error", "child_pid",
            "child_tid", "thread", "exit_code", "signal", "core_dumped", "target", "flags", "open_flags", "mode", "uid", "gid",
            "fd", "res", "family", "sock_type", "protocol", "local", "remote", "remote_names", "transport",
            "server", "dns_id", "rcode", "questions", "answers", "problem", "ruid", "euid", "suid", "rgid", "egid",
            "sgid", "cap_effective", "cap_permitted", "target_pid", "target_cmdline", "request", "what", "message",
            "counters", "action", "dry_run", "outcome", "rule", "priority", "policy", "trigger_id", "trigger_type",
            "detail");
    static final Set<String> PROC_FIELDS = Set.of("pid", "tid", "ppid", "name", "exe_path", "exe_sha256", "exe_written", "argv",
            "argv_truncated", "cwd", "uid", "gid", "euid", "egid", "sid", "pgid", "loginuid", "tty",
            "start_time_ns", "ancestors");
    static final Set<String> WORKLOAD_FIELDS = Set.of("name", "container_id", "container_name", "image",
            "image_tag", "project", "environment", "cloud", "labels");
    static final Set<String> ALERT_FIELDS = Set.of("time", "rule", "priority", "output", "output_fields", "source",
            "tags", "hostname", "uuid");

    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private final int maxLineBytes;
    private final boolean streaming;

    /** A parser refusing lines longer than {@code maxLineBytes}. */
    public IngestParser(int maxLineBytes) {
        this(maxLineBytes, true);
    }

    /** With {@code streaming} false, events too go through the tree path (tests compare the two). */
    IngestParser(int maxLineBytes, boolean streaming) {
        if (maxLineBytes < 64) throw new IllegalArgumentException("maxLineBytes too small: " + maxLineBytes);
        this.maxLineBytes = maxLineBytes;
        this.streaming = streaming;
    }

    /** Parses {@code len} bytes of {@code body} from offset 0 as NDJSON (LF or CRLF line ends). */
    public ParsedBatch parse(byte[] body, int len) {
        List<EventRow> events = new ArrayList<>();
        List<AlertRow> alerts = new ArrayList<>();
        List<LineProblem> refused = new ArrayList<>();
        List<LineProblem> warnings = new ArrayList<>();
        int line = 0;
        int start = 0;
        while (start < len) {
            int end = start;
            while (end < len && body[end] != '\n') end++;
            line++;
            int s = start, e = end;
            while (s < e && isSpace(body[s])) s++;
            while (e > s && isSpace(body[e - 1])) e--;
            if (e > s) parseLine(body, s, e - s, line, events, alerts, refused, warnings);
            start = end + 1;
        }
        return new ParsedBatch(events, alerts, refused, warnings, line);
    }

    /** Parses a whole body. */
    public ParsedBatch parse(byte[] body) {
        return parse(body, body.length);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r';
    }

    private void parseLine(byte[] buf, int off, int len, int line, List<EventRow> events, List<AlertRow> alerts,
                           List<LineProblem> refused, List<LineProblem> warnings) {
        if (len > maxLineBytes) {
            refused.add(new LineProblem(line, LineProblem.Kind.OVERSIZED,
                    "line " + line + ": " + len + " bytes, over the limit of " + maxLineBytes));
            return;
        }
        // Hot path: events through the streaming parser; anything else (alerts, neither) through the tree.
        Set<String> streamUnknown = new TreeSet<>();
        if (streaming) try (JsonParser sp = mapper.getFactory().createParser(buf, off, len)) {
            if (sp.nextToken() == JsonToken.START_OBJECT) {
                EventRow r = new EventStreamParser(sp, streamUnknown).parse(java.util.Arrays.copyOfRange(buf, off, off + len));
                if (r != null) {
                    events.add(r);
                    if (!streamUnknown.isEmpty())
                        warnings.add(new LineProblem(line, LineProblem.Kind.UNKNOWN_FIELDS, "line " + line
                                + ": unknown fields kept only in raw JSON: " + String.join(", ", streamUnknown)));
                    return;
                }
            }
        } catch (JsonProcessingException e) {
            refused.add(new LineProblem(line, LineProblem.Kind.MALFORMED,
                    "line " + line + ": not valid JSON: " + e.getOriginalMessage()));
            return;
        } catch (Invalid e) {
            refused.add(new LineProblem(line, LineProblem.Kind.INVALID, "line " + line + ": " + e.getMessage()));
            return;
        } catch (IOException e) {
            refused.add(new LineProblem(line, LineProblem.Kind.MALFORMED, "line " + line + ": " + e.getMessage()));
            return;
        }
        JsonNode node;
        try {
            node = mapper.readTree(buf, off, len);
        } catch (JsonProcessingException e) {
            refused.add(new LineProblem(line, LineProblem.Kind.MALFORMED,
                    "line " + line + ": not valid JSON: " + e.getOriginalMessage()));
            return;
        } catch (IOException e) {
            refused.add(new LineProblem(line, LineProblem.Kind.MALFORMED, "line " + line + ": " + e.getMessage()));
            return;
        }
        if (node == null || !node.isObject()) {
            refused.add(new LineProblem(line, LineProblem.Kind.MALFORMED, "line " + line + ": not a JSON object"));
            return;
        }
        Set<String> unknown = new TreeSet<>();
        try {
            if (node.has("schema") || node.has("id")) {
                events.add(event(node, java.util.Arrays.copyOfRange(buf, off, off + len), unknown));
            } else if (node.has("rule") && node.has("output") && node.has("priority")) {
                alerts.add(alert(node, buf, off, len, new String(buf, off, len, StandardCharsets.UTF_8), unknown));
            } else {
                refused.add(new LineProblem(line, LineProblem.Kind.INVALID, "line " + line
                        + ": neither a Vigil event (needs \"schema\" and \"id\") nor a Falco alert "
                        + "(needs \"rule\", \"priority\" and \"output\")"));
                return;
            }
        } catch (Invalid e) {
            refused.add(new LineProblem(line, LineProblem.Kind.INVALID, "line " + line + ": " + e.getMessage()));
            return;
        }
        if (!unknown.isEmpty())
            warnings.add(new LineProblem(line, LineProblem.Kind.UNKNOWN_FIELDS,
                    "line " + line + ": unknown fields kept only in raw JSON: " + String.join(", ", unknown)));
    }

    private static EventRow event(JsonNode n, byte[] raw, Set<String> unknown) {
        unknownFields(n, EVENT_FIELDS, "", unknown);
        JsonNode schemaNode = n.get("schema");
        if (schemaNode == null || !schemaNode.isIntegralNumber())
            throw new Invalid("field \"schema\" is required and must be an integer");
        if (schemaNode.asLong() != SCHEMA)
            throw new Invalid("unsupported event schema " + schemaNode.asText() + " (this server reads schema "
                    + SCHEMA + ")");
        String id = reqText(n, "id");
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH)
            throw new Invalid("field \"id\" must have 1 to " + MAX_ID_LENGTH + " characters");
        long seq = reqLong(n, "seq");
        long timeNs = reqLong(n, "time_ns");
        String kind = reqText(n, "kind");
        String sensor = reqText(n, "sensor");
        if (!id.equals(sensor + "-" + seq))
            throw new Invalid("field \"id\" must be <sensor>-<seq> (\"" + sensor + "-" + seq + "\"), found \"" + id + "\"");
        JsonNode w = n.get("workload");
        if (w == null || !w.isObject()) throw new Invalid("field \"workload\" is required and must be an object");
        unknownFields(w, WORKLOAD_FIELDS, "workload.", unknown);
        JsonNode p = n.get("proc");
        if (p != null && !p.isNull() && !p.isObject()) throw new Invalid("field \"proc\" must be an object");
        if (p != null && p.isNull()) p = null;
        Integer pid = null, tid = null, ppid = null, uid = null;
        Long startNs = null;
        String procName = null, exePath = null, sha = null, cmdline = null, cwd = null, parentName = null,
                parentExe = null;
        if (p != null) {
            unknownFields(p, PROC_FIELDS, "proc.", unknown);
            pid = optInt(p, "pid", "proc.pid");
            tid = optInt(p, "tid", "proc.tid");
            ppid = optInt(p, "ppid", "proc.ppid");
            uid = optInt(p, "uid", "proc.uid");
            startNs = optLong(p, "start_time_ns", "proc.start_time_ns");
            procName = optText(p, "name", "proc.name");
            exePath = optText(p, "exe_path", "proc.exe_path");
            sha = optText(p, "exe_sha256", "proc.exe_sha256");
            if (sha != null) {
                sha = sha.toLowerCase(java.util.Locale.ROOT);
                if (!sha.matches("[0-9a-f]{64}")) throw new Invalid("field \"proc.exe_sha256\" must be 64 hex digits");
            }
            cwd = optText(p, "cwd", "proc.cwd");
            List<String> argv = strings(p, "argv", "proc.argv");
            cmdline = cmdline(procName, argv);
            JsonNode anc = p.get("ancestors");
            if (anc != null && !anc.isNull()) {
                if (!anc.isArray()) throw new Invalid("field \"proc.ancestors\" must be an array");
                if (!anc.isEmpty()) {
                    JsonNode a0 = anc.get(0);
                    if (!a0.isObject()) throw new Invalid("field \"proc.ancestors[0]\" must be an object");
                    parentName = optText(a0, "name", "proc.ancestors[0].name");
                    parentExe = optText(a0, "exe_path", "proc.ancestors[0].exe_path");
                }
            }
        }
        JsonNode remote = obj(n, "remote");
        JsonNode local = obj(n, "local");
        List<String> dnsNames = null, dnsAnswers = null;
        JsonNode qs = n.get("questions");
        if (qs != null && !qs.isNull()) {
            if (!qs.isArray()) throw new Invalid("field \"questions\" must be an array");
            dnsNames = new ArrayList<>();
            for (JsonNode q : qs) {
                String name = q.isObject() ? optText(q, "name", "questions[].name") : null;
                if (name != null) dnsNames.add(normDomain(name));
            }
        }
        JsonNode as = n.get("answers");
        if (as != null && !as.isNull()) {
            if (!as.isArray()) throw new Invalid("field \"answers\" must be an array");
            dnsAnswers = new ArrayList<>();
            for (JsonNode a : as) {
                String data = a.isObject() ? optText(a, "data", "answers[].data") : null;
                if (data != null) dnsAnswers.add(data);
            }
        }
        List<String> remoteNames = n.has("remote_names") ? strings(n, "remote_names", "remote_names") : null;
        if (remoteNames != null) remoteNames = remoteNames.stream().map(IngestParser::normDomain).toList();
        return new EventRow(id, SCHEMA, sensor, seq, timeNs, kind, optText(n, "evt_type", "evt_type"),
                optText(n, "syscall", "syscall"), optText(w, "name", "workload.name"),
                optText(w, "container_id", "workload.container_id"), optText(w, "image", "workload.image"),
                optText(w, "project", "workload.project"), optText(w, "environment", "workload.environment"),
                pid, tid, ppid, procName, exePath, sha, cmdline, cwd, uid, startNs, parentName, parentExe,
                optText(n, "path", "path"), optText(n, "target", "target"), optText(n, "protocol", "protocol"),
                remote == null ? null : optText(remote, "address", "remote.address"),
                remote == null ? null : optInt(remote, "port", "remote.port"),
                local == null ? null : optText(local, "address", "local.address"),
                local == null ? null : optInt(local, "port", "local.port"),
                remoteNames, dnsNames, dnsAnswers, domains(dnsNames, remoteNames), optInt(n, "rcode", "rcode"),
                optLong(n, "res", "res"),
                optInt(n, "child_pid", "child_pid"), optInt(n, "target_pid", "target_pid"), raw);
    }

    private static AlertRow alert(JsonNode n, byte[] buf, int off, int len, String raw, Set<String> unknown) {
        unknownFields(n, ALERT_FIELDS, "", unknown);
        String rule = reqText(n, "rule");
        String priority = reqText(n, "priority");
        String output = reqText(n, "output");
        String time = optText(n, "time", "time");
        long timeNs;
        if (time == null) throw new Invalid("field \"time\" is required for a Falco alert (RFC 3339 UTC)");
        try {
            Instant t = Instant.parse(time);
            timeNs = Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new Invalid("field \"time\" is not an RFC 3339 time: " + time);
        }
        JsonNode of = n.get("output_fields");
        if (of != null && !of.isNull() && !of.isObject()) throw new Invalid("field \"output_fields\" must be an object");
        String containerId = null, procName = null, eventId = null;
        Integer pid = null;
        if (of != null && of.isObject()) {
            containerId = scalarText(of.get("container.id"));
            procName = scalarText(of.get("proc.name"));
            eventId = scalarText(of.get("vigil.event_id"));
            JsonNode pidNode = of.get("proc.pid");
            if (pidNode != null && pidNode.canConvertToInt()) pid = pidNode.intValue();
            else if (pidNode != null && pidNode.isTextual() && pidNode.asText().matches("\\d{1,9}"))
                pid = Integer.parseInt(pidNode.asText());
        }
        List<String> tags = n.has("tags") ? strings(n, "tags", "tags") : List.of();
        return new AlertRow(sha256Hex(buf, off, len), timeNs, time, rule, priority, output,
                optText(n, "source", "source"), optText(n, "hostname", "hostname"), tags, containerId, pid,
                procName, eventId, of == null || of.isNull() ? null : of.toString(), raw);
    }

    /** The names and their parent domains of at least two labels, each once; null when there are no names. */
    static List<String> domains(List<String> a, List<String> b) {
        if ((a == null || a.isEmpty()) && (b == null || b.isEmpty())) return null;
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (List<String> names : java.util.Arrays.asList(a, b)) {
            if (names == null) continue;
            for (String name : names) {
                if (!name.isEmpty()) dev.vigil.event.DomainNames.addWithParents(name, out);
            }
        }
        return List.copyOf(out);
    }

    static String cmdline(String name, List<String> argv) {
        StringBuilder sb = new StringBuilder(name == null ? "" : name);
        for (int i = 1; i < argv.size(); i++) sb.append(' ').append(argv.get(i));
        return sb.toString();
    }

    /** Domain names compare lower-case without the trailing root dot. */
    public static String normDomain(String d) {
        String s = d.strip().toLowerCase(java.util.Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static void unknownFields(JsonNode n, Set<String> known, String prefix, Set<String> out) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) out.add(prefix + f);
        }
    }

    private static JsonNode obj(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isObject()) throw new Invalid("field \"" + field + "\" must be an object");
        return v;
    }

    private static String scalarText(JsonNode v) {
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    private static String reqText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) throw new Invalid("field \"" + field + "\" is required and must be a string");
        return v.textValue();
    }

    private static long reqLong(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong())
            throw new Invalid("field \"" + field + "\" is required and must be an integer");
        return v.longValue();
    }

    private static String optText(JsonNode n, String field, String path) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new Invalid("field \"" + path + "\" must be a string");
        return v.textValue();
    }

    private static Integer optInt(JsonNode n, String field, String path) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToInt())
            throw new Invalid("field \"" + path + "\" must be a 32-bit integer");
        return v.intValue();
    }

    private static Long optLong(JsonNode n, String field, String path) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToLong())
            throw new Invalid("field \"" + path + "\" must be a 64-bit integer");
        return v.longValue();
    }

    private static List<String> strings(JsonNode n, String field, String path) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return List.of();
        if (!v.isArray()) throw new Invalid("field \"" + path + "\" must be an array of strings");
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isTextual()) throw new Invalid("field \"" + path + "\" must be an array of strings");
            out.add(e.textValue());
        }
        return out;
    }

    static boolean isSha256(String s) {
        if (s.length() != 64) return false;
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        }
        return true;
    }

    static String sha256Hex(byte[] buf, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(buf, off, len);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** A line with the right JSON syntax but the wrong content; the message names the field. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }
}
