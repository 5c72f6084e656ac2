/**
 * The embedded DuckDB store: schema (typed columns for the common fields plus the raw JSON line), idempotent
 * batch insert by event id (an in-memory index of stored sensor/seq intervals), the ingest journal that makes
 * an acknowledged batch durable before it is committed, and connections for queries.
 *
 * <p>Layer: hunt. Threading: request threads reserve their events' ids in the index and append a journal
 * record under one short lock, then force the journal (one fdatasync shared by concurrent requests); one
 * writer thread appends the queued rows through DuckDB's C API ({@link dev.vigil.hunt.store.ChunkAppender})
 * and commits a row group at a time; alerts have one writer at a time; readers each take a duplicated
 * connection after waiting for the writer to commit what was acknowledged. At open the database forbids file
 * and network access from SQL ({@code enable_external_access=false}) and locks its configuration, so no query
 * can read or write files, attach databases or load extensions.
 */
package dev.vigil.hunt.store;
