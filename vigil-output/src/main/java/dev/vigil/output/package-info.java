/**
 * Output layer: where events and alerts go after the sensor made them — JSON-lines writers, the on-disk spool
 * and the shipper to the hunt server. Depends on vigil-event only. Writers run on their own threads; the
 * capture threads only enqueue, and a full queue makes them wait rather than drop.
 */
package dev.vigil.output;
