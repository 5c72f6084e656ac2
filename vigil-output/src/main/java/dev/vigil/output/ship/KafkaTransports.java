package dev.vigil.output.ship;

import java.net.URI;

/** Builds the transport for {@code kafka://} targets. */
final class KafkaTransports {
    private KafkaTransports() {}

    static Transport create(URI target, ShipperOptions options) {
        throw new IllegalArgumentException("kafka:// targets are not supported yet: " + target);
    }
}
