package dev.vigil.rules.output;

import dev.vigil.rules.engine.CompiledRule;
import dev.vigil.rules.fields.EvalContext;
import dev.vigil.rules.fields.Render;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link Alert}s from matches and renders them: Falco's JSON (one object per line, keys time, rule,
 * priority, output, output_fields, source, tags, hostname) or Falco's text line. Stateless and thread-safe;
 * {@link #alert} must run on the evaluating thread (it reads the context).
 */
public final class AlertFormatter {
    private AlertFormatter() {}

    /** The alert for {@code rule} matching the event in {@code c}. */
    public static Alert alert(CompiledRule rule, EvalContext c) {
        long t = c.event().header().timeNs();
        String msg = rule.output().render(c);
        String line = Render.time(t) + ": " + rule.priority().display() + " " + msg;
        return new Alert(t, rule.name(), rule.priority(), msg, line, rule.output().values(c), rule.source(),
                rule.tags(), c.hostname(), c.event().header().eventId());
    }

    /** Falco's text output: {@code 16:31:56.746609046: Warning message}. */
    public static String text(Alert a) {
        return a.output();
    }

    /** Falco's JSON output, one line. */
    public static String json(Alert a) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("{\"time\":");
        str(sb, Render.iso8601(a.timeNs()));
        sb.append(",\"rule\":");
        str(sb, a.rule());
        sb.append(",\"priority\":");
        str(sb, a.priority().display());
        sb.append(",\"output\":");
        str(sb, a.output());
        sb.append(",\"output_fields\":{");
        boolean first = true;
        for (Map.Entry<String, Object> e : a.outputFields().entrySet()) {
            if (!first) sb.append(',');
            first = false;
            str(sb, e.getKey());
            sb.append(':');
            value(sb, e.getValue());
        }
        sb.append("},\"source\":");
        str(sb, a.source());
        sb.append(",\"tags\":[");
        List<String> tags = a.tags();
        for (int i = 0; i < tags.size(); i++) {
            if (i > 0) sb.append(',');
            str(sb, tags.get(i));
        }
        sb.append("],\"hostname\":");
        str(sb, a.hostname());
        sb.append('}');
        return sb.toString();
    }

    private static void value(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("null");
            case Long l -> sb.append(l.longValue());
            case Boolean b -> sb.append(b.booleanValue());
            default -> str(sb, String.valueOf(v));
        }
    }

    /** Appends {@code s} as a JSON string. */
    static void str(StringBuilder sb, String s) {
        if (s == null) { sb.append("null"); return; }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
