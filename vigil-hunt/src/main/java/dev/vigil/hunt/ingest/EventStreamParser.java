package dev.vigil.hunt.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The hot path of ingest: reads one event line with Jackson's streaming parser, materialising only the typed
 * columns (no tree). Same rules and messages as the tree path in {@link IngestParser}; a line with neither
 * {@code schema} nor {@code id} is not an event and is handed back ({@code null}) for the tree path (alerts).
 * One instance per call; not thread-safe.
 */
final class EventStreamParser {
    private final JsonParser p;
    private final Set<String> unknown;
    private String deferred; // the first type error in an optional field, reported after the required ones

    // top level
    private boolean hasSchema, hasId, schemaIsInt, seqOk, timeOk;
    private long schema, seq, timeNs;
    private String id, kind, evtType, sensor, syscall, path, target, protocol;
    private boolean workloadSeen, workloadIsObject;
    private String wName, wContainer, wImage, wProject, wEnv;
    private boolean procIsObject;
    private Integer pid, tid, ppid, uid, remotePort, localPort, rcode, childPid, targetPid;
    private Long startNs, res;
    private String procName, exePath, sha, cwd, parentName, parentExe, remoteAddress, localAddress;
    private List<String> argv = List.of();
    private List<String> remoteNames, dnsNames, dnsAnswers;
    private boolean idText, kindText, sensorText;

    EventStreamParser(JsonParser p, Set<String> unknown) {
        this.p = p;
        this.unknown = unknown;
    }

    /** Parses after the opening START_OBJECT; null when the object is not an event. */
    EventRow parse(byte[] raw) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "schema" -> {
                    hasSchema = true;
                    schemaIsInt = v == JsonToken.VALUE_NUMBER_INT;
                    if (schemaIsInt) schema = isLong() ? p.getLongValue() : Long.MAX_VALUE;
                    p.skipChildren();
                }
                case "id" -> {
                    hasId = true;
                    idText = v == JsonToken.VALUE_STRING;
                    if (idText) id = p.getText();
                    p.skipChildren();
                }
                case "seq" -> {
                    seqOk = v == JsonToken.VALUE_NUMBER_INT && isLong();
                    if (seqOk) seq = p.getLongValue();
                    p.skipChildren();
                }
                case "time_ns" -> {
                    timeOk = v == JsonToken.VALUE_NUMBER_INT && isLong();
                    if (timeOk) timeNs = p.getLongValue();
                    p.skipChildren();
                }
                case "kind" -> {
                    kindText = v == JsonToken.VALUE_STRING;
                    if (kindText) kind = p.getText();
                    p.skipChildren();
                }
                case "sensor" -> {
                    sensorText = v == JsonToken.VALUE_STRING;
                    if (sensorText) sensor = p.getText();
                    p.skipChildren();
                }
                case "evt_type" -> evtType = text("evt_type");
                case "syscall" -> syscall = text("syscall");
                case "path" -> path = text("path");
                case "target" -> target = text("target");
                case "protocol" -> protocol = text("protocol");
                case "rcode" -> rcode = int32("rcode");
                case "res" -> res = int64("res");
                case "child_pid" -> childPid = int32("child_pid");
                case "target_pid" -> targetPid = int32("target_pid");
                case "workload" -> workload(v);
                case "proc" -> proc(v);
                case "remote" -> {
                    String[] a = new String[1];
                    Integer[] port = new Integer[1];
                    if (addr(v, "remote", a, port)) {
                        remoteAddress = a[0];
                        remotePort = port[0];
                    }
                }
                case "local" -> {
                    String[] a = new String[1];
                    Integer[] port = new Integer[1];
                    if (addr(v, "local", a, port)) {
                        localAddress = a[0];
                        localPort = port[0];
                    }
                }
                case "remote_names" -> {
                    List<String> names = strings("remote_names");
                    if (names != null) {
                        List<String> norm = new ArrayList<>(names.size());
                        for (String n : names) norm.add(IngestParser.normDomain(n));
                        remoteNames = norm;
                    }
                }
                case "questions" -> dnsNames = objectField(v, "questions", "name", true);
                case "answers" -> dnsAnswers = objectField(v, "answers", "data", false);
                default -> {
                    if (!IngestParser.EVENT_FIELDS.contains(f)) unknown.add(f);
                    p.skipChildren();
                }
            }
        }
        if (t != JsonToken.END_OBJECT) throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected token " + t);
        if (p.nextToken() != null)
            throw new com.fasterxml.jackson.core.JsonParseException(p, "trailing token after the JSON object");
        if (!hasSchema && !hasId) return null;
        return build(raw);
    }

    private EventRow build(byte[] raw) {
        if (!hasSchema || !schemaIsInt) throw new IngestParser.Invalid("field \"schema\" is required and must be an integer");
        if (schema != IngestParser.SCHEMA)
            throw new IngestParser.Invalid("unsupported event schema " + schema + " (this server reads schema "
                    + IngestParser.SCHEMA + ")");
        if (!idText) throw new IngestParser.Invalid("field \"id\" is required and must be a string");
        if (id.isEmpty() || id.length() > IngestParser.MAX_ID_LENGTH)
            throw new IngestParser.Invalid("field \"id\" must have 1 to " + IngestParser.MAX_ID_LENGTH + " characters");
        if (!seqOk) throw new IngestParser.Invalid("field \"seq\" is required and must be an integer");
        if (!timeOk) throw new IngestParser.Invalid("field \"time_ns\" is required and must be an integer");
        if (!kindText) throw new IngestParser.Invalid("field \"kind\" is required and must be a string");
        if (!sensorText) throw new IngestParser.Invalid("field \"sensor\" is required and must be a string");
        if (!id.equals(sensor + "-" + seq))
            throw new IngestParser.Invalid("field \"id\" must be <sensor>-<seq> (\"" + sensor + "-" + seq + "\"), found \"" + id + "\"");
        if (!workloadSeen || !workloadIsObject)
            throw new IngestParser.Invalid("field \"workload\" is required and must be an object");
        if (deferred != null) throw new IngestParser.Invalid(deferred);
        String cmdline = procIsObject ? IngestParser.cmdline(procName, argv) : null;
        return new EventRow(id, IngestParser.SCHEMA, sensor, seq, timeNs, kind, evtType, syscall, wName, wContainer, wImage,
                wProject, wEnv, pid, tid, ppid, procName, exePath, sha, cmdline, cwd, uid, startNs, parentName, parentExe,
                path, target, protocol, remoteAddress, remotePort, localAddress, localPort, remoteNames, dnsNames,
                dnsAnswers, IngestParser.domains(dnsNames, remoteNames), rcode, res, childPid, targetPid, raw);
    }

    private boolean isLong() throws IOException {
        JsonParser.NumberType nt = p.getNumberType();
        return nt == JsonParser.NumberType.INT || nt == JsonParser.NumberType.LONG;
    }

    private void defer(String message) {
        if (deferred == null) deferred = message;
    }

    /** The current value as text when a string; null for null; a deferred error otherwise. */
    private String text(String path) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) return p.getText();
        if (t != JsonToken.VALUE_NULL) defer("field \"" + path + "\" must be a string");
        p.skipChildren();
        return null;
    }

    private Integer int32(String path) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) return p.getIntValue();
        if (t != JsonToken.VALUE_NULL) defer("field \"" + path + "\" must be a 32-bit integer");
        p.skipChildren();
        return null;
    }

    private Long int64(String path) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT && isLong()) return p.getLongValue();
        if (t != JsonToken.VALUE_NULL) defer("field \"" + path + "\" must be a 64-bit integer");
        p.skipChildren();
        return null;
    }

    /** An array of strings; null for JSON null; a deferred error (and null) for anything else. */
    private List<String> strings(String path) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) return List.of();
        if (t != JsonToken.START_ARRAY) {
            defer("field \"" + path + "\" must be an array of strings");
            p.skipChildren();
            return null;
        }
        List<String> out = new ArrayList<>();
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            if (e == JsonToken.VALUE_STRING) out.add(p.getText());
            else {
                defer("field \"" + path + "\" must be an array of strings");
                p.skipChildren();
            }
        }
        return out;
    }

    private void workload(JsonToken v) throws IOException {
        workloadSeen = true;
        workloadIsObject = v == JsonToken.START_OBJECT;
        if (!workloadIsObject) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "name" -> wName = text("workload.name");
                case "container_id" -> wContainer = text("workload.container_id");
                case "image" -> wImage = text("workload.image");
                case "project" -> wProject = text("workload.project");
                case "environment" -> wEnv = text("workload.environment");
                default -> {
                    if (!IngestParser.WORKLOAD_FIELDS.contains(f)) unknown.add("workload." + f);
                    p.skipChildren();
                }
            }
        }
    }

    private void proc(JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) return;
        if (v != JsonToken.START_OBJECT) {
            defer("field \"proc\" must be an object");
            p.skipChildren();
            return;
        }
        procIsObject = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            switch (f) {
                case "pid" -> pid = int32("proc.pid");
                case "tid" -> tid = int32("proc.tid");
                case "ppid" -> ppid = int32("proc.ppid");
                case "uid" -> uid = int32("proc.uid");
                case "start_time_ns" -> startNs = int64("proc.start_time_ns");
                case "name" -> procName = text("proc.name");
                case "exe_path" -> exePath = text("proc.exe_path");
                case "cwd" -> cwd = text("proc.cwd");
                case "exe_sha256" -> {
                    String s = text("proc.exe_sha256");
                    if (s != null) {
                        s = s.toLowerCase(Locale.ROOT);
                        if (!IngestParser.isSha256(s)) defer("field \"proc.exe_sha256\" must be 64 hex digits");
                        sha = s;
                    }
                }
                case "argv" -> {
                    List<String> a = strings("proc.argv");
                    argv = a == null ? List.of() : a;
                }
                case "ancestors" -> ancestors(t);
                default -> {
                    if (!IngestParser.PROC_FIELDS.contains(f)) unknown.add("proc." + f);
                    p.skipChildren();
                }
            }
        }
    }

    private void ancestors(JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) return;
        if (t != JsonToken.START_ARRAY) {
            defer("field \"proc.ancestors\" must be an array");
            p.skipChildren();
            return;
        }
        boolean first = true;
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            if (first) {
                first = false;
                if (e != JsonToken.START_OBJECT) {
                    defer("field \"proc.ancestors[0]\" must be an object");
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    p.nextToken();
                    switch (f) {
                        case "name" -> parentName = text("proc.ancestors[0].name");
                        case "exe_path" -> parentExe = text("proc.ancestors[0].exe_path");
                        default -> p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
    }

    /** remote/local: {address, port}; false when null or not an object (a deferred error for the latter). */
    private boolean addr(JsonToken v, String path, String[] address, Integer[] port) throws IOException {
        if (v == JsonToken.VALUE_NULL) return false;
        if (v != JsonToken.START_OBJECT) {
            defer("field \"" + path + "\" must be an object");
            p.skipChildren();
            return false;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "address" -> address[0] = text(path + ".address");
                case "port" -> port[0] = int32(path + ".port");
                default -> p.skipChildren();
            }
        }
        return true;
    }

    /** questions[].name (normalised as a domain) or answers[].data; objects without it are skipped. */
    private List<String> objectField(JsonToken v, String path, String field, boolean domain) throws IOException {
        if (v == JsonToken.VALUE_NULL) return null;
        if (v != JsonToken.START_ARRAY) {
            defer("field \"" + path + "\" must be an array");
            p.skipChildren();
            return null;
        }
        List<String> out = new ArrayList<>();
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            if (e != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                if (f.equals(field)) {
                    String s = text(path + "[]." + field);
                    if (s != null) out.add(domain ? IngestParser.normDomain(s) : s);
                } else {
                    p.skipChildren();
                }
            }
        }
        return out;
    }
}
