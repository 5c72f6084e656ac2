/**
 * FFM bindings to Linux: one class per header or kernel interface ({@link dev.vigil.capture.linux.Libc},
 * {@link dev.vigil.capture.linux.Ptrace}, {@link dev.vigil.capture.linux.Seccomp},
 * {@link dev.vigil.capture.linux.ProcessMemory}). Method handles are linked once (static constants); each
 * instance owns its errno capture slot, so an instance belongs to one thread. Setup failures throw
 * {@link dev.vigil.capture.linux.LinuxException} naming the call and errno; hot-path calls return -errno.
 */
package dev.vigil.capture.linux;
