package dev.vigil.hunt.ingest;

import java.util.List;

/**
 * The outcome of parsing one ingest batch: rows ready for the store, and the refused lines (with reason).
 * {@code warnings} lists lines stored anyway but with fields the server does not know (kept in the raw JSON).
 */
public record ParsedBatch(List<EventRow> events, List<AlertRow> alerts, List<LineProblem> refused,
                          List<LineProblem> warnings, int lines) {
    /** Refused lines of one kind. */
    public long refused(LineProblem.Kind kind) {
        return refused.stream().filter(p -> p.kind() == kind).count();
    }
}
