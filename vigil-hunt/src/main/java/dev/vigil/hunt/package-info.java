/**
 * The hunt server: {@link dev.vigil.hunt.HuntServer} wires ingest, the DuckDB store, queries, IOC sweeps and
 * the web UI behind one HTTP listener with bearer-token authentication.
 *
 * <p>Layer: hunt, a separate process from the sensor; depends on {@code vigil-event} only. Thread-safe: HTTP
 * requests run on a bounded pool of platform threads (DuckDB calls are native and would pin virtual ones);
 * the store has one writer at a time. Imported by {@code vigil-cli} (the {@code hunt serve} command) and by
 * tests that start a server in-process.
 */
package dev.vigil.hunt;
