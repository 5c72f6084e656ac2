/**
 * Read-only queries: the SQL guard, the query runner with row and time limits, and the canned hunts
 * (process tree around an event or alert, timeline of a workload).
 *
 * <p>Layer: hunt. {@link dev.vigil.hunt.query.QueryService} is thread-safe: each query takes its own
 * connection and runs in a read-only transaction that is always rolled back.
 */
package dev.vigil.hunt.query;
