package dev.vigil.hunt.query;

import java.util.List;

/**
 * Rows of one query, as JSON-friendly values (numbers, strings, booleans, lists, null).
 *
 * @param truncated true when more rows existed than the row limit
 * @param timedOut  true when the query was cancelled at the time limit (rows hold what came before)
 */
public record QueryResult(List<String> columns, List<String> types, List<List<Object>> rows, boolean truncated,
                          boolean timedOut, long elapsedMs) {}
