/**
 * The seccomp user-notification supervisor: one platform thread that polls the listener fd (with an eventfd
 * to be woken for shutdown, since a thread blocked in NOTIF_RECV cannot be interrupted from Java), decodes
 * each notification into a {@link dev.vigil.capture.SyscallStop}, asks the {@link dev.vigil.capture.SyscallHandler}
 * and answers the kernel: continue, or fail with an errno. Nothing it does ever leaves a notification
 * unanswered; a failure while handling one is counted and the syscall allowed.
 */
package dev.vigil.capture.notify;
