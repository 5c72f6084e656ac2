package dev.vigil.event;

import java.util.List;

/**
 * An execve/execveat that returned an error (not found, permission denied, ...). The process is the caller,
 * which keeps running its old image.
 *
 * @param path  the path argument as the caller passed it, made absolute against its cwd
 * @param argv  the argv the caller passed
 * @param errno the error, positive (ENOENT = 2, EACCES = 13, ...)
 */
public record ProcessExecFailed(EventHeader header, ProcessInfo process, String syscall, String path,
                                List<String> argv, int errno) implements Event {
    public ProcessExecFailed {
        argv = argv == null ? List.of() : List.copyOf(argv);
    }
    @Override public String kind() { return "process.exec_failed"; }
    @Override public String evtType() { return syscall; }
}
