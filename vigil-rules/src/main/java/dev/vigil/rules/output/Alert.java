package dev.vigil.rules.output;

import dev.vigil.rules.engine.Priority;
import java.util.List;
import java.util.Map;

/**
 * One alert, as Falco emits it: the rendered output line (prefixed by time and priority, as in Falco's
 * {@code output}), the referenced fields and their values, the rule's metadata. Immutable; safe to hand to
 * another thread.
 *
 * @param message      the rule's output template rendered, without the time/priority prefix
 * @param output       Falco's {@code output}: {@code "HH:MM:SS.nnnnnnnnn: Priority message"}
 * @param outputFields field name to value (String, Long, Boolean, or null for no value)
 * @param eventId      the event's id ({@code sensorId-seq}), for joining alerts with exported events
 */
public record Alert(long timeNs, String rule, Priority priority, String message, String output,
                    Map<String, Object> outputFields, String source, List<String> tags, String hostname,
                    String eventId) {
    public Alert {
        tags = List.copyOf(tags);
        outputFields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputFields));
    }
}
