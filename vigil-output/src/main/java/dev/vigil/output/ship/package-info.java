/**
 * The shipper: takes events from the sensor, writes them to the on-disk spool
 * ({@link dev.vigil.output.spool.v1}) and sends them in batches from a background thread to the hunt server's
 * HTTP ingest (or to Kafka), acknowledging in the spool only what the receiver accepted.
 *
 * <p>Layer: output (sensor side); depends on vigil-event only (the HTTP client is the JDK's). Threading:
 * {@link dev.vigil.output.ship.EventShipper#accept} may be called from any thread and never waits on the
 * network; one shipper thread per shipper does all sending, retrying with exponential backoff.
 */
package dev.vigil.output.ship;
