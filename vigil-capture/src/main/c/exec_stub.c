/*
 * vigil-exec-stub: the only C in Vigil. It runs where no Java can: between posix_spawn and the workload's
 * execve, and before the JVM itself starts.
 *
 *   vigil-exec-stub run MODE FILTER PATH ARGV0 [ARGS...]
 *       Spawned by the tracer thread. Undoes what the JVM leaks into children (blocked signals, fds without
 *       CLOEXEC), stops itself so the tracer can PTRACE_SEIZE it, installs the seccomp filter, stops again in
 *       notify mode so the tracer can take the listener with pidfd_getfd, then execs PATH with ARGV0 ARGS
 *       and the environment it was given.
 *       MODE: "none" (no filter), "trace" (SECCOMP_RET_TRACE actions only) or "notify" (filter created with
 *       SECCOMP_FILTER_FLAG_NEW_LISTENER). FILTER: the BPF program as hex, 16 hex digits per instruction
 *       (code:4, jt:2, jf:2, k:8, each big-endian), or "-" for none.
 *
 *   vigil-exec-stub launch PROG [ARGS...]
 *       Used by the ./vigil launcher: execs PROG (the JVM, started with -Xrs) with SIGHUP, SIGINT, SIGQUIT,
 *       SIGTERM, SIGUSR1 and SIGUSR2 blocked, so that every JVM thread inherits the mask and Vigil can take
 *       those signals with signalfd and forward them to the workload. HotSpot's suspend/resume signal moves
 *       from SIGUSR2 to a real-time signal (_JAVA_SR_SIGNUM); the run mode removes that variable again so the
 *       workload's environment is exactly Vigil's own.
 *
 * Exit status when it cannot exec: 127 (not found) or 126 (other), with a message on stderr, like a shell.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#ifndef SYS_close_range
#define SYS_close_range 436
#endif

extern char **environ;

static void die(const char *what, int err, int code) {
    dprintf(2, "vigil-exec-stub: %s: %s\n", what, strerror(err));
    _exit(code);
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static uint32_t hexnum(const char *s, int digits) {
    uint32_t v = 0;
    for (int i = 0; i < digits; i++) {
        int h = hexval(s[i]);
        if (h < 0) die("bad filter program", EINVAL, 126);
        v = (v << 4) | (uint32_t)h;
    }
    return v;
}

static int install_filter(const char *hex, int notify) {
    size_t len = strlen(hex);
    if (len == 0 || len % 16 != 0 || len / 16 > BPF_MAXINSNS) die("bad filter program length", EINVAL, 126);
    size_t n = len / 16;
    struct sock_filter *prog = calloc(n, sizeof *prog);
    if (!prog) die("calloc", ENOMEM, 126);
    for (size_t i = 0; i < n; i++) {
        const char *p = hex + 16 * i;
        prog[i].code = (uint16_t)hexnum(p, 4);
        prog[i].jt = (uint8_t)hexnum(p + 4, 2);
        prog[i].jf = (uint8_t)hexnum(p + 6, 2);
        prog[i].k = hexnum(p + 8, 8);
    }
    struct sock_fprog fprog = {.len = (unsigned short)n, .filter = prog};
    unsigned long flags = notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0;
    /* Without CAP_SYS_ADMIN the kernel demands no_new_privs; with it, setuid binaries keep working. */
    long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
    if (fd < 0 && errno == EACCES) {
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) die("prctl(PR_SET_NO_NEW_PRIVS)", errno, 126);
        fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
    }
    if (fd < 0) die("seccomp(SECCOMP_SET_MODE_FILTER)", errno, 126);
    free(prog);
    return (int)fd;
}

static int launch(char **argv) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGQUIT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    if (getenv("_JAVA_SR_SIGNUM") == NULL) {
        setenv("_JAVA_SR_SIGNUM", "39", 1);
        setenv("VIGIL_UNSET_ENV", "_JAVA_SR_SIGNUM", 1);
    }
    execvp(argv[0], argv);
    die(argv[0], errno, errno == ENOENT ? 127 : 126);
    return 126;
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "launch") == 0) return launch(argv + 2);
    if (argc < 6 || strcmp(argv[1], "run") != 0) {
        dprintf(2, "usage: vigil-exec-stub run MODE FILTER PATH ARGV0 [ARGS...] | launch PROG [ARGS...]\n");
        return 126;
    }
    const char *mode = argv[2], *filter = argv[3], *path = argv[4];
    int notify = strcmp(mode, "notify") == 0;

    /* The JVM thread that spawned us had signals blocked, and the JVM keeps fds open without CLOEXEC. */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0)
        for (int fd = 3; fd < 1024; fd++) close(fd);

    /* Stop until the tracer has seized us (it waits for this stop, seizes, then sends SIGCONT). */
    raise(SIGSTOP);

    if (strcmp(mode, "none") != 0 && strcmp(filter, "-") != 0) {
        int fd = install_filter(filter, notify);
        if (notify) {
            /* The tracer takes the listener with pidfd_getfd while we are stopped here; it finds the fd by
               its /proc link ("anon_inode:seccomp notify"). Until then no syscall the filter may send to the
               listener can be made (nobody would answer): not sendmsg to pass the fd, and not raise(), whose
               tgkill may be watched. rt_sigqueueinfo to ourselves never is. */
            siginfo_t info;
            memset(&info, 0, sizeof info);
            info.si_signo = SIGSTOP;
            info.si_code = SI_QUEUE;
            info.si_pid = getpid();
            syscall(SYS_rt_sigqueueinfo, getpid(), SIGSTOP, &info);
            close(fd);
        }
    }
    /* Variables the launcher added for the JVM's sake only are not the workload's. */
    const char *added = getenv("VIGIL_UNSET_ENV");
    if (added != NULL) {
        if (strcmp(added, "_JAVA_SR_SIGNUM") == 0) unsetenv("_JAVA_SR_SIGNUM");
        unsetenv("VIGIL_UNSET_ENV");
    }
    execve(path, argv + 5, environ);
    die(path, errno, errno == ENOENT ? 127 : 126);
    return 126;
}
