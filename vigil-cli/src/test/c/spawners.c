/* Test workload: vfork+exec, posix_spawn, and a raw fork; each child's status is checked. */
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
extern char **environ;
int main(void) {
    int st;
    pid_t p = vfork();
    if (p == 0) { execl("/bin/echo", "echo", "vforked", (char *)NULL); _exit(127); }
    waitpid(p, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) return 10;
    char *argv[] = {"echo", "spawned", NULL};
    if (posix_spawn(&p, "/bin/echo", NULL, NULL, argv, environ) != 0) return 11;
    waitpid(p, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) return 12;
    p = fork();
    if (p == 0) _exit(42);
    waitpid(p, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 42) return 13;
    fflush(stdout);
    return 0;
}
