/**
 * Builds the seccomp-BPF program from the set of syscalls that consumers ask for: architecture check first,
 * one action per watched syscall ({@code SECCOMP_RET_USER_NOTIF} or {@code SECCOMP_RET_TRACE}), allow for the
 * rest, with no argument tests on allowed syscalls so the kernel can cache them. Pure Java, no native calls.
 */
package dev.vigil.capture.seccomp;
