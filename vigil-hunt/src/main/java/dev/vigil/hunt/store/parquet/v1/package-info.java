/**
 * Parquet files of events and alerts, layout version 1, for DuckDB, Athena or Trino:
 * {@code <root>/v1/events/day=YYYY-MM-DD/workload=<name>/events_<uuid>.parquet} and
 * {@code <root>/v1/alerts/day=YYYY-MM-DD/alerts_<uuid>.parquet}. Event files have the columns of the
 * {@code events} table (see {@link dev.vigil.hunt.store.EventStore}), with the workload's original name in
 * {@code workload_name}; the {@code workload} partition value is that name with every character outside
 * {@code [A-Za-z0-9._-]} replaced by {@code _} ({@code _unknown} when absent). Files are only ever added, so
 * readers need no locking; delivery is at-least-once, so readers dedupe by {@code id} when it matters.
 *
 * <p>Layer: hunt. {@link dev.vigil.hunt.store.parquet.v1.ParquetWriterV1} is not thread-safe (one consumer
 * thread owns it).
 */
package dev.vigil.hunt.store.parquet.v1;
