package dev.vigil.state.decode;

import dev.vigil.event.Event;
import dev.vigil.event.EventHeader;

/**
 * A syscall decoded at entry, to be made into an event once its result is known: at once (res unknown) when
 * the entry is all that is observed, or at the syscall-exit stop when the rules need the result.
 */
@FunctionalInterface
interface Decoded {
    /** @param res the syscall's result, or {@link Event#RES_UNKNOWN} */
    Event build(EventHeader header, long res);
}
