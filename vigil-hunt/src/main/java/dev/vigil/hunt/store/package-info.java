/**
 * The embedded DuckDB store: schema (typed columns for the common fields plus the raw JSON line), idempotent
 * batch insert by event id (an in-memory index of stored sensor/seq intervals), and connections for queries.
 *
 * <p>Layer: hunt. Threading: event batches are appended in parallel on pooled connections after reserving
 * their ids in the index under a short lock; alerts have one writer at a time; readers each take a duplicated
 * connection. At open the database forbids file and network
 * access from SQL ({@code enable_external_access=false}) and locks its configuration, so no query can read
 * or write files, attach databases or load extensions.
 */
package dev.vigil.hunt.store;
