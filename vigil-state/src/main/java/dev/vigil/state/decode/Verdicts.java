package dev.vigil.state.decode;

import dev.vigil.event.Event;

/**
 * The response layer's say over a syscall while it is still stopped. The decoder asks only for syscalls that
 * {@link #judges}; everything else runs without a verdict.
 */
public interface Verdicts {
    /** Whether attempts of this syscall (kernel name, Falco's evt.type) are judged. Asked once per syscall at set-up. */
    boolean judges(String syscall);

    /**
     * Judges an attempt, on the capture thread that stopped it: 0 lets the syscall run, a positive errno fails
     * it (the process may also have been killed). {@code attempt} was either emitted already (its result
     * unknown), or is provisional ({@code header().provisional()}, never emitted): the decoder then emits the real event right
     * after, with the verdict as its result. Must not throw.
     */
    int judge(Event attempt);

    /** Judges nothing: detection only. */
    Verdicts NONE = new Verdicts() {
        @Override public boolean judges(String syscall) { return false; }
        @Override public int judge(Event attempt) { return 0; }
    };
}
