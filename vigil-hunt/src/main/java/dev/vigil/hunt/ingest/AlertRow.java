package dev.vigil.hunt.ingest;

import java.util.List;

/**
 * One Falco-format alert as stored. {@code id} is the SHA-256 of the alert's canonical JSON (alerts carry no
 * id of their own), so a re-sent alert is recognised. {@code containerId}, {@code pid}, {@code procName} and
 * {@code eventId} are lifted from {@code output_fields} ({@code container.id}, {@code proc.pid},
 * {@code proc.name}, {@code vigil.event_id}) when present.
 */
public record AlertRow(String id, long timeNs, String time, String rule, String priority, String output,
                       String source, String hostname, List<String> tags, String containerId, Integer pid,
                       String procName, String eventId, String outputFields, String raw) {}
