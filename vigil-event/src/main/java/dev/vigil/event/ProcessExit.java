package dev.vigil.event;

/**
 * A process ended (its last thread exited).
 *
 * @param exitCode the exit status when it exited normally, else -1
 * @param signal   the terminating signal number, else 0
 * @param coreDumped whether the kernel dumped core
 */
public record ProcessExit(EventHeader header, ProcessInfo process, int exitCode, int signal, boolean coreDumped)
        implements Event {
    @Override public String kind() { return "process.exit"; }
    @Override public String evtType() { return "procexit"; }
}
