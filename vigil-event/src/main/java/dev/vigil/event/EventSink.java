package dev.vigil.event;

/**
 * Where events go next (rules, outputs). Called on a capture thread, in sequence order, while the syscall may
 * still be stopped: implementations hand the event off quickly and never throw.
 */
@FunctionalInterface
public interface EventSink {
    void accept(Event event);
}
