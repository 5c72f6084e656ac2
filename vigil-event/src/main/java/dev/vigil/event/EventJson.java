package dev.vigil.event;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes events as JSON objects in schema {@value Event#SCHEMA_VERSION} (documented in {@code docs/EVENTS.md}).
 * Field names are written explicitly, not by reflection, so that renaming a record component cannot silently
 * change the wire format. Not thread-safe: one instance per writer thread.
 */
public final class EventJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);

    /** One event as a JSON line (no trailing newline). */
    public String toJson(Event event) {
        buffer.reset();
        write(event, buffer);
        return buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Writes one event as a JSON object to {@code out} (no newline). */
    public void write(Event event, OutputStream out) {
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            writeEvent(g, event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A stream of JSON lines on one output: one generator for the whole stream (creating one per event costs
     * more than writing the event). Not thread-safe; {@link #close()} flushes but leaves {@code out} open.
     */
    public static final class LineWriter implements AutoCloseable {
        private final JsonGenerator g;

        public LineWriter(OutputStream out) {
            try {
                g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setRootValueSeparator(null);
        }

        /** Writes one event and a newline (buffered: call {@link #flush()}). */
        public void write(Event e) throws IOException {
            writeEvent(g, e);
            g.writeRaw('\n');
        }

        public void flush() throws IOException {
            g.flush();
        }

        @Override public void close() throws IOException {
            g.close();
        }
    }

    private static void writeEvent(JsonGenerator g, Event e) throws IOException {
        EventHeader h = e.header();
        g.writeStartObject();
        g.writeNumberField("schema", h.schema());
        g.writeStringField("id", h.eventId());
        g.writeNumberField("seq", h.seq());
        g.writeNumberField("time_ns", h.timeNs());
        g.writeStringField("kind", e.kind());
        g.writeStringField("evt_type", e.evtType());
        g.writeStringField("sensor", h.sensorId());
        writeWorkload(g, h.workload());
        if (e.process() != null) writeProcess(g, "proc", e.process(), e instanceof ProcessExec || e instanceof ProcessFork
                || e instanceof ProcessExit || e instanceof ProcessExecFailed);
        switch (e) {
            case ProcessExec x -> {
                g.writeStringField("syscall", x.syscall());
                if (x.formerTid() != 0) g.writeNumberField("former_tid", x.formerTid());
                g.writeBooleanField("fileless", x.fileless());
            }
            case ProcessExecFailed x -> {
                g.writeStringField("syscall", x.syscall());
                g.writeStringField("path", x.path());
                writeStrings(g, "argv", x.argv());
                g.writeNumberField("errno", x.errno());
                g.writeStringField("error", Errno.name(x.errno()));
            }
            case ProcessFork x -> {
                g.writeStringField("syscall", x.syscall());
                g.writeNumberField("child_pid", x.childPid());
                g.writeNumberField("child_tid", x.childTid());
                g.writeBooleanField("thread", x.thread());
            }
            case ProcessExit x -> {
                if (x.signal() == 0) g.writeNumberField("exit_code", x.exitCode());
                else {
                    g.writeNumberField("signal", x.signal());
                    g.writeBooleanField("core_dumped", x.coreDumped());
                }
            }
            case FileOp x -> {
                g.writeStringField("syscall", x.syscall());
                g.writeStringField("path", x.path());
                if (x.target() != null) g.writeStringField("target", x.target());
                g.writeNumberField("flags", x.flags());
                if (x.op() == FileOp.Op.OPEN) writeStrings(g, "open_flags", OpenFlags.names(x.flags()));
                if (x.mode() != 0) g.writeNumberField("mode", x.mode());
                if (x.op() == FileOp.Op.CHOWN) {
                    g.writeNumberField("uid", x.uid());
                    g.writeNumberField("gid", x.gid());
                }
                if (x.fd() >= 0) g.writeNumberField("fd", x.fd());
                writeRes(g, x.res());
            }
            case NetOp x -> {
                g.writeStringField("syscall", x.syscall());
                if (x.fd() >= 0) g.writeNumberField("fd", x.fd());
                g.writeStringField("family", x.family());
                g.writeStringField("sock_type", x.sockType());
                g.writeStringField("protocol", x.protocol());
                writeAddr(g, "local", x.local());
                writeAddr(g, "remote", x.remote());
                if (!x.remoteNames().isEmpty()) writeStrings(g, "remote_names", x.remoteNames());
                writeRes(g, x.res());
            }
            case DnsMessage x -> {
                g.writeStringField("syscall", x.syscall());
                g.writeStringField("transport", x.transport());
                writeAddr(g, "server", x.server());
                g.writeNumberField("dns_id", x.id());
                if (x.response()) g.writeNumberField("rcode", x.rcode());
                g.writeArrayFieldStart("questions");
                for (DnsMessage.Question q : x.questions()) {
                    g.writeStartObject();
                    g.writeStringField("name", q.name());
                    g.writeStringField("type", q.type());
                    g.writeEndObject();
                }
                g.writeEndArray();
                if (x.response()) {
                    g.writeArrayFieldStart("answers");
                    for (DnsMessage.Answer a : x.answers()) {
                        g.writeStartObject();
                        g.writeStringField("name", a.name());
                        g.writeStringField("type", a.type());
                        g.writeStringField("data", a.data());
                        g.writeNumberField("ttl", a.ttl());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                if (x.problem() != null) g.writeStringField("problem", x.problem());
            }
            case IdentityChange x -> {
                g.writeStringField("syscall", x.syscall());
                g.writeNumberField("ruid", x.ruid());
                g.writeNumberField("euid", x.euid());
                g.writeNumberField("suid", x.suid());
                g.writeNumberField("rgid", x.rgid());
                g.writeNumberField("egid", x.egid());
                g.writeNumberField("sgid", x.sgid());
                if (x.syscall().equals("capset")) {
                    g.writeNumberField("cap_effective", x.capEffective());
                    g.writeNumberField("cap_permitted", x.capPermitted());
                }
                writeRes(g, x.res());
            }
            case ProcessTamper x -> {
                g.writeStringField("syscall", x.syscall());
                g.writeNumberField("target_pid", x.targetPid());
                if (x.targetCmdline() != null) g.writeStringField("target_cmdline", x.targetCmdline());
                g.writeNumberField("request", x.request());
                writeRes(g, x.res());
            }
            case ResponseAction x -> {
                g.writeStringField("action", x.action());
                g.writeBooleanField("dry_run", x.dryRun());
                g.writeStringField("outcome", x.outcome());
                g.writeStringField("rule", x.rule());
                g.writeStringField("priority", x.priority());
                g.writeStringField("policy", x.policy());
                writeOpt(g, "trigger_id", x.triggerId());
                writeOpt(g, "trigger_type", x.triggerType());
                if (x.errno() != 0) {
                    g.writeNumberField("errno", x.errno());
                    g.writeStringField("error", Errno.name(x.errno()));
                }
                if (x.targetPid() != 0) g.writeNumberField("target_pid", x.targetPid());
                writeOpt(g, "detail", x.detail());
            }
            case SensorNotice x -> {
                g.writeStringField("what", x.what());
                g.writeStringField("message", x.message());
                if (!x.counters().isEmpty()) {
                    g.writeObjectFieldStart("counters");
                    for (Map.Entry<String, Long> c : new java.util.TreeMap<>(x.counters()).entrySet())
                        g.writeNumberField(c.getKey(), c.getValue());
                    g.writeEndObject();
                }
            }
        }
        g.writeEndObject();
    }

    private static void writeRes(JsonGenerator g, long res) throws IOException {
        if (res != Event.RES_UNKNOWN) g.writeNumberField("res", res);
    }

    private static void writeAddr(JsonGenerator g, String field, SockAddr a) throws IOException {
        if (a == null) return;
        g.writeObjectFieldStart(field);
        g.writeStringField("family", a.family());
        g.writeStringField("address", a.address());
        if (a.port() != 0) g.writeNumberField("port", a.port());
        g.writeEndObject();
    }

    private static void writeWorkload(JsonGenerator g, Workload w) throws IOException {
        g.writeObjectFieldStart("workload");
        writeOpt(g, "name", w.name());
        writeOpt(g, "container_id", w.containerId());
        writeOpt(g, "container_name", w.containerName());
        writeOpt(g, "image", w.image());
        writeOpt(g, "image_tag", w.imageTag());
        writeOpt(g, "project", w.project());
        writeOpt(g, "environment", w.environment());
        writeOpt(g, "cloud", w.cloud());
        if (!w.labels().isEmpty()) {
            g.writeObjectFieldStart("labels");
            for (Map.Entry<String, String> l : w.labels().entrySet())
                g.writeStringField(l.getKey(), l.getValue());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /**
     * The process context. Process events carry the whole ancestor chain (exe path and command line of each);
     * the many other events carry each ancestor's pid and name only: the rest is in the process's exec event,
     * and repeating it made most of an event's bytes.
     */
    private static void writeProcess(JsonGenerator g, String field, ProcessInfo p, boolean fullAncestors)
            throws IOException {
        g.writeObjectFieldStart(field);
        g.writeNumberField("pid", p.pid());
        g.writeNumberField("tid", p.tid());
        g.writeNumberField("ppid", p.ppid());
        writeOpt(g, "name", p.name());
        writeOpt(g, "exe_path", p.exePath());
        writeOpt(g, "exe_sha256", p.exeSha256());
        if (p.exeWritten()) g.writeBooleanField("exe_written", true);
        writeStrings(g, "argv", p.argv());
        if (p.argvTruncated()) g.writeBooleanField("argv_truncated", true);
        writeOpt(g, "cwd", p.cwd());
        g.writeNumberField("uid", p.uid());
        g.writeNumberField("gid", p.gid());
        g.writeNumberField("euid", p.euid());
        g.writeNumberField("egid", p.egid());
        g.writeNumberField("sid", p.sid());
        g.writeNumberField("pgid", p.pgid());
        if (p.loginUid() >= 0) g.writeNumberField("loginuid", p.loginUid());
        writeOpt(g, "tty", p.tty());
        g.writeNumberField("start_time_ns", p.startTimeNs());
        g.writeArrayFieldStart("ancestors");
        for (Ancestor a : p.ancestors()) {
            g.writeStartObject();
            g.writeNumberField("pid", a.pid());
            writeOpt(g, "name", a.name());
            if (fullAncestors) {
                writeOpt(g, "exe_path", a.exePath());
                g.writeStringField("cmdline", a.cmdline());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeStrings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }

    private static void writeOpt(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) g.writeStringField(field, value);
    }
}
