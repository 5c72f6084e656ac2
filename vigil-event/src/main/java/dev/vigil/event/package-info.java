/**
 * Event records and their wire format (schema {@value dev.vigil.event.Event#SCHEMA_VERSION}).
 *
 * <p>Layer: shared by every other module (like Kafka's {@code clients}); depends on the JDK and Jackson only.
 * Records are immutable and thread-safe. A new event kind is a record added to the sealed {@link
 * dev.vigil.event.Event}; every exhaustive switch over it then fails to compile until it is handled.
 */
package dev.vigil.event;
