package dev.vigil.capture;

import dev.vigil.capture.syscall.Sys;

import java.util.List;

/**
 * Receives the process-tree facts the tracer sees, on the tracer thread, while the task is stopped (so
 * {@code /proc/<pid>} still describes it). Implementations must not block for long and must not throw;
 * anything thrown is counted and the task resumed regardless.
 */
public interface ProcessSink {
    /** The workload's first task exists (the exec stub, about to exec the workload). */
    void onStart(int rootPid, CaptureMode mode);

    /**
     * An execve/execveat is about to run.
     *
     * @param path   the path argument as passed (may be relative, or empty with AT_EMPTY_PATH)
     * @param dirfd  execveat's dirfd (AT_FDCWD = -100 for execve)
     * @param flags  execveat's flags (0 for execve)
     */
    void onExecAttempt(int tid, Sys sys, String path, int dirfd, int flags, List<String> argv, boolean argvTruncated);

    /** The exec succeeded: {@code pid} runs a new image; {@code formerTid} is the thread that called it. */
    void onExec(int pid, int formerTid);

    /** The exec attempt of {@code tid} failed with {@code errno}; the task goes on with its old image. */
    void onExecFailed(int tid, int errno);

    /** A new task: {@code thread} for CLONE_THREAD, else a new process. */
    void onFork(int parentTid, int childTid, Sys via, boolean thread);

    /** A task is gone; {@code waitStatus} as waitpid(2) gave it. */
    void onExit(int tid, int waitStatus);
}
