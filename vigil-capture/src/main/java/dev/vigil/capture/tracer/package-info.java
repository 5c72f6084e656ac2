/**
 * The tracer thread: spawns the exec stub, seizes it and every descendant, and turns ptrace stops into
 * {@link dev.vigil.capture.ProcessSink} calls. Every ptrace request comes from this one platform thread,
 * which is also the only caller of waitpid in the JVM. No exception escapes its loop: a failure while
 * handling a stop is counted and the task is resumed as it would have been (fail-open).
 */
package dev.vigil.capture.tracer;
