/*
 * Test workload for StockRulesIT: ptrace requests the stock rules look for, and one they do not.
 *   - PTRACE_ATTACH to a child (under the sensor it fails with EPERM: the child is already traced; the
 *     attempt is what the rule "PTRACE attached to process" reports);
 *   - PTRACE_TRACEME in another child (anti-debugging; fails the same way under the sensor);
 *   - with "benign": only PTRACE_PEEKDATA on a child it does not trace (ESRCH), a request no rule reports.
 * Prints "ptrace done" and exits 0.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int benign = argc > 1 && strcmp(argv[1], "benign") == 0;
    pid_t c = fork();
    if (c == 0) {
        pause();
        _exit(0);
    }
    if (benign) {
        long r = ptrace(PTRACE_PEEKDATA, c, (void *) 0, (void *) 0);
        fprintf(stderr, "peekdata %ld\n", r);
    } else {
        long r = ptrace(PTRACE_ATTACH, c, (void *) 0, (void *) 0);
        fprintf(stderr, "attach %ld\n", r);
        if (r == 0) {
            waitpid(c, NULL, 0);
            ptrace(PTRACE_DETACH, c, (void *) 0, (void *) 0);
        }
        pid_t d = fork();
        if (d == 0) {
            long t = ptrace(PTRACE_TRACEME, 0, (void *) 0, (void *) 0);
            fprintf(stderr, "traceme %ld\n", t);
            _exit(0);
        }
        waitpid(d, NULL, 0);
    }
    kill(c, SIGKILL);
    waitpid(c, NULL, 0);
    printf("ptrace done\n");
    return 0;
}
