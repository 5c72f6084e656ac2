package dev.vigil.capture;

/** The kernel or the container's privileges do not allow what was asked; the message says what to do. */
public final class KernelSupportException extends RuntimeException {
    public KernelSupportException(String message) {
        super(message);
    }
}
