package dev.vigil.event;

/**
 * One thing a watched workload did, with the process that did it. Sealed: consumers switch over it
 * exhaustively, so a new kind must be handled everywhere before the build passes.
 */
public sealed interface Event
        permits ProcessExec, ProcessExecFailed, ProcessFork, ProcessExit, FileOp, NetOp, DnsMessage,
                IdentityChange, ProcessTamper, ResponseAction, SensorNotice {

    /** Version of the event schema written in every event ({@code docs/EVENTS.md}). */
    int SCHEMA_VERSION = 1;

    /** Result value meaning "the syscall's result was not observed". */
    long RES_UNKNOWN = Long.MIN_VALUE;

    EventHeader header();

    /** The process that caused the event (for a fork, the parent). */
    ProcessInfo process();

    /** The kind written in JSON as {@code "kind"}: stable, part of the schema. */
    String kind();

    /** Falco's {@code evt.type}: the syscall name or the lifecycle event name. */
    String evtType();
}
