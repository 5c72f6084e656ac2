/**
 * The embedded DuckDB store: schema (typed columns for the common fields plus the raw JSON line), idempotent
 * batch insert by event id, and read-only connections for queries.
 *
 * <p>Layer: hunt. Threading: one writer at a time ({@link dev.vigil.hunt.store.EventStore#insert} is
 * synchronized); readers each take a duplicated connection. At open the database forbids file and network
 * access from SQL ({@code enable_external_access=false}) and locks its configuration, so no query can read
 * or write files, attach databases or load extensions.
 */
package dev.vigil.hunt.store;
