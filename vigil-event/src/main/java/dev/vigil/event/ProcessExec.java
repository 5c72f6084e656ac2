package dev.vigil.event;

/**
 * A successful execve/execveat: the process context is the new image.
 *
 * @param syscall   "execve" or "execveat"
 * @param formerTid the tid that called exec when it was not the thread-group leader (0 otherwise)
 * @param fileless  true when the image came from an fd with no path on disk (memfd, deleted file)
 */
public record ProcessExec(EventHeader header, ProcessInfo process, String syscall, int formerTid,
                          boolean fileless) implements Event {
    @Override public String kind() { return "process.exec"; }
    @Override public String evtType() { return syscall; }
}
