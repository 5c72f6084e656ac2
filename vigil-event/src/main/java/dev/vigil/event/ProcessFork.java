package dev.vigil.event;

/**
 * A new task: a process (fork, vfork, clone without CLONE_THREAD) or a thread.
 *
 * @param syscall  "fork", "vfork", "clone" or "clone3"
 * @param childPid the child's thread-group id
 * @param childTid the child's tid (equal to childPid for a new process)
 * @param thread   true for a new thread of the same process
 */
public record ProcessFork(EventHeader header, ProcessInfo process, String syscall, int childPid, int childTid,
                          boolean thread) implements Event {
    @Override public String kind() { return thread ? "process.thread" : "process.fork"; }
    @Override public String evtType() { return syscall; }
}
