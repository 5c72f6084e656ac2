/*
 * Test workload for EventsIT: syscall arguments a careful decoder must survive. argv[1] is an existing file.
 *   - openat with the pointer 1: EFAULT, as without the sensor;
 *   - openat of argv[1] copied so that its NUL is the last byte of a mapping (the next page unmapped);
 *   - openat of a name with no NUL before the end of the mapping: EFAULT;
 *   - exec of /bin/true with about 1 MiB of arguments.
 * Prints one line per step; exits 0 when every step behaved as expected.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    int failures = 0;
    long r = syscall(SYS_openat, AT_FDCWD, (char *)1, O_RDONLY);
    printf("bad-pointer %ld %s\n", r, r < 0 ? strerrorname_np(errno) : "");
    if (!(r < 0 && errno == EFAULT)) failures++;

    long page = sysconf(_SC_PAGESIZE);
    char *map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED || munmap(map + page, page) != 0) return 3;
    size_t n = strlen(argv[1]) + 1;
    char *edge = map + page - n;
    memcpy(edge, argv[1], n);
    r = syscall(SYS_openat, AT_FDCWD, edge, O_RDONLY);
    printf("edge-of-mapping %s\n", r >= 0 ? "opened" : strerrorname_np(errno));
    if (r < 0) failures++;
    else close(r);

    char *cut = map + page - 8;
    memcpy(cut, "nonulxyz", 8);  /* no NUL before the unmapped page */
    r = syscall(SYS_openat, AT_FDCWD, cut, O_RDONLY);
    printf("no-nul %ld %s\n", r, r < 0 ? strerrorname_np(errno) : "");
    if (!(r < 0 && errno == EFAULT)) failures++;

    /* 1 MiB of arguments: 1024 of 1 KiB each (each under MAX_ARG_STRLEN, all under ARG_MAX) */
    int nargs = 1024;
    char **args = calloc(nargs + 2, sizeof *args);
    args[0] = "true";
    for (int i = 1; i <= nargs; i++) {
        args[i] = malloc(1024);
        memset(args[i], 'a' + i % 26, 1023);
        args[i][1023] = 0;
    }
    fflush(stdout);
    pid_t p = fork();
    if (p == 0) {
        execv("/bin/true", args);
        _exit(127);
    }
    int st;
    waitpid(p, &st, 0);
    printf("big-argv exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) failures++;
    return failures;
}
