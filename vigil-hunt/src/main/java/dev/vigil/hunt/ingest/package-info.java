/**
 * Ingest: turns a newline-delimited JSON batch (Vigil events in schema 1 and Falco alerts) into typed rows,
 * refusing bad lines one by one so that a good line in the same batch is never lost.
 *
 * <p>Layer: hunt. {@link dev.vigil.hunt.ingest.IngestParser} is stateless and thread-safe; HTTP threads parse
 * concurrently, then hand the rows to the single store writer.
 */
package dev.vigil.hunt.ingest;
