package dev.vigil.response.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.event.Workload;
import dev.vigil.rules.output.Alert;
import java.time.Instant;
import java.util.Map;

/** Renders a {@link Finding} as one JSON object of schema {@code vigil.finding/1} (see docs/RESPONSE.md). */
public final class FindingJson {
    /** The schema name and version; a change that breaks readers gets a new version. */
    public static final String SCHEMA = "vigil.finding/1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private FindingJson() {}

    public static String render(Finding f) {
        Alert a = f.alert();
        Workload w = f.workload();
        ObjectNode o = JSON.createObjectNode();
        o.put("schema", SCHEMA);
        o.put("id", a.eventId());
        o.put("time", Instant.ofEpochSecond(0, a.timeNs()).toString());
        o.put("title", a.priority().display() + ": " + a.rule() + " in " + workloadName(w));
        o.put("rule", a.rule());
        o.put("priority", a.priority().display());
        o.put("output", a.output());
        o.set("output_fields", JSON.valueToTree(a.outputFields()));
        ArrayNode tags = o.putArray("tags");
        a.tags().forEach(tags::add);
        o.put("hostname", a.hostname());
        if (w == null) {
            o.putNull("workload");
        } else {
            ObjectNode wo = o.putObject("workload");
            wo.put("name", w.name());
            wo.put("container_id", w.containerId());
            wo.put("image", w.image());
            wo.put("image_tag", w.imageTag());
            wo.put("project", w.project());
            wo.put("environment", w.environment());
            ObjectNode labels = wo.putObject("labels");
            for (Map.Entry<String, String> l : w.labels().entrySet()) labels.put(l.getKey(), l.getValue());
        }
        ArrayNode actions = o.putArray("actions");
        for (TakenAction t : f.actions()) {
            actions.addObject().put("action", t.action()).put("outcome", t.outcome()).put("detail", t.detail());
        }
        o.put("policy", f.policy());
        o.put("count", f.count());
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    private static String workloadName(Workload w) {
        if (w == null) return "unknown workload";
        if (w.name() != null) return w.name();
        return w.containerId() != null ? w.containerId() : "unknown workload";
    }
}
