/*
 * Test workload for EventsIT, run as root: credential changes and actions against other processes.
 *   - a child drops to uid/gid 65534 with setgid + setuid, another with setresgid + setresuid;
 *   - a child drops its capabilities to CAP_CHOWN|CAP_KILL with capset;
 *   - a child that re-execs this program as "identity_ops target ..." is ptrace'd (PTRACE_SEIZE; the result
 *     goes to stderr: a process that is already traced, as every watched process is, cannot be traced twice)
 *     and its memory changed with process_vm_writev, which it checks;
 *   - another such child is killed with SIGTERM.
 * stdout is the same with and without the sensor; pids go to stderr as "pid <what> <n>". Exits 0 when every
 * step behaved as expected.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void expect(const char *what, int ok) {
    printf("%s %s\n", what, ok ? "ok" : "FAILED");
    fflush(stdout);
    if (!ok) failures++;
}

static int wait_code(pid_t p) {
    int st;
    if (waitpid(p, &st, 0) < 0) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static volatile char mailbox[32] = "before";

/*
 * Starts "<self> target <wfd> <rfd>" (a process with a command line of its own, whose exec the sensor has seen
 * before it writes) and acts on it: with tamper, PTRACE_SEIZE and a process_vm_writev into its mailbox, which
 * it checks; without, a SIGTERM. Returns the target's exit code (128+n for signal n).
 */
static int tamper_target(const char *self, int tamper) {
    int up[2], down[2];
    if (pipe(up) != 0 || pipe(down) != 0) exit(3);
    pid_t t = fork();
    if (t == 0) {
        close(up[0]);
        close(down[1]);
        char w[16], r[16];
        snprintf(w, sizeof w, "%d", up[1]);
        snprintf(r, sizeof r, "%d", down[0]);
        execl(self, self, "target", w, r, (char *)NULL);
        _exit(127);
    }
    close(up[1]);
    close(down[0]);
    void *addr;
    if (read(up[0], &addr, sizeof addr) != sizeof addr) exit(4);
    fprintf(stderr, "pid %s %d\n", tamper ? "tamper-target" : "kill-target", t);
    if (tamper) {
        long r = ptrace(PTRACE_SEIZE, t, 0, 0);
        fprintf(stderr, "ptrace-seize %ld %s\n", r, r < 0 ? strerror(errno) : "");
        struct iovec local = {.iov_base = "written", .iov_len = 8};
        struct iovec remote = {.iov_base = addr, .iov_len = 8};
        expect("process_vm_writev", process_vm_writev(t, &local, 1, &remote, 1, 0) == 8);
    } else {
        expect("kill", kill(t, SIGTERM) == 0);
    }
    close(down[1]);
    close(up[0]);
    return wait_code(t);
}

/* The target: tells its mailbox's address, waits for EOF, says whether the mailbox was written. */
static int target(int wfd, int rfd) {
    volatile char *box = mailbox;
    if (write(wfd, &box, sizeof box) != sizeof box) return 5;
    char c;
    while (read(rfd, &c, 1) > 0) {}
    return strcmp((const char *)mailbox, "written") == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "target") == 0) return target(atoi(argv[2]), atoi(argv[3]));
    pid_t p = fork();
    if (p == 0) {
        if (syscall(SYS_setgid, 65534) != 0 || syscall(SYS_setuid, 65534) != 0) _exit(1);
        _exit(getuid() == 65534 && geteuid() == 65534 && getgid() == 65534 ? 0 : 2);
    }
    expect("setuid", wait_code(p) == 0);

    p = fork();
    if (p == 0) {
        if (syscall(SYS_setresgid, 65534, 65534, 65534) != 0) _exit(1);
        if (syscall(SYS_setresuid, 65534, 65534, 65534) != 0) _exit(1);
        uid_t r, e, s;
        getresuid(&r, &e, &s);
        _exit(r == 65534 && e == 65534 && s == 65534 ? 0 : 2);
    }
    expect("setresuid", wait_code(p) == 0);

    p = fork();
    if (p == 0) {
        struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
        struct __user_cap_data_struct d[2];
        memset(d, 0, sizeof d);
        d[0].effective = d[0].permitted = (1u << CAP_CHOWN) | (1u << CAP_KILL);
        if (syscall(SYS_capset, &h, d) != 0) _exit(1);
        memset(d, 0, sizeof d);
        syscall(SYS_capget, &h, d);
        _exit(d[0].effective == ((1u << CAP_CHOWN) | (1u << CAP_KILL)) && d[1].effective == 0 ? 0 : 2);
    }
    expect("capset", wait_code(p) == 0);

    expect("ptrace-target", tamper_target(argv[0], 1) == 0);
    expect("kill-target", tamper_target(argv[0], 0) == 128 + SIGTERM);
    return failures;
}
