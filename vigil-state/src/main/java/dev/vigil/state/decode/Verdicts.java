package dev.vigil.state.decode;

import dev.vigil.event.Event;

/**
 * Decides what happens to the syscall behind an event, while it is still stopped: 0 lets it run, a positive
 * errno fails it. Implemented by the response layer; called on a capture thread right after the event was
 * emitted.
 */
@FunctionalInterface
public interface Verdicts {
    int verdict(Event event);

    /** Lets everything run (detection only). */
    Verdicts ALLOW = e -> 0;
}
