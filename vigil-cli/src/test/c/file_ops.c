/*
 * Test workload for EventsIT: every file-system syscall the sensor decodes, each made with syscall(2) so the
 * syscall is exactly the one named (glibc wrappers may pick an *at variant). argv[1] is an empty directory to
 * work in. Prints one line per step with the result (the same with and without the sensor), and on stderr the
 * memfd fd numbers used. Exits 0 when every step behaved as expected.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static long check(const char *what, long r) {
    printf("%s %s\n", what, r < 0 ? strerror(errno) : "ok");
    if (r < 0) failures++;
    return r;
}

/* Copies /bin/true into an fd (a memfd) for fileless exec. */
static void copy_true(int to) {
    int from = open("/bin/true", O_RDONLY);
    char buf[65536];
    ssize_t n;
    while ((n = read(from, buf, sizeof buf)) > 0) {
        if (write(to, buf, n) != n) { perror("write"); exit(90); }
    }
    close(from);
}

static int run_child(int fd, int how) {
    pid_t p = fork();
    if (p == 0) {
        char *argv[] = {"memfd-true", NULL};
        char *envp[] = {NULL};
        if (how == 0) fexecve(fd, argv, envp);
        else syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
        _exit(127);
    }
    int st;
    waitpid(p, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    const char *dir = argv[1];
    check("chdir", chdir(dir));
#ifdef SYS_open
    close(check("open", syscall(SYS_open, "o.txt", O_WRONLY | O_CREAT | O_TRUNC, 0640)));
    close(check("creat", syscall(SYS_creat, "c.txt", 0600)));
    check("mkdir", syscall(SYS_mkdir, "sub", 0750));
#else
    close(check("open", syscall(SYS_openat, AT_FDCWD, "o.txt", O_WRONLY | O_CREAT | O_TRUNC, 0640)));
    close(check("creat", syscall(SYS_openat, AT_FDCWD, "c.txt", O_WRONLY | O_CREAT | O_TRUNC, 0600)));
    check("mkdir", syscall(SYS_mkdirat, AT_FDCWD, "sub", 0750));
#endif
    int dfd = check("open-dir", syscall(SYS_openat, AT_FDCWD, "sub", O_RDONLY | O_DIRECTORY));
    check("mkdirat", syscall(SYS_mkdirat, dfd, "sub2", 0700));
    int afd = check("openat-dirfd", syscall(SYS_openat, dfd, "in-sub.txt", O_RDWR | O_CREAT | O_APPEND, 0604));
    close(check("openat-dotdot", syscall(SYS_openat, dfd, "../o.txt", O_RDONLY)));
    struct open_how how = {.flags = O_RDONLY | O_CLOEXEC};
    close(check("openat2", syscall(SYS_openat2, AT_FDCWD, "sub/./in-sub.txt", &how, sizeof how)));
    long tmp = syscall(SYS_openat, AT_FDCWD, ".", O_TMPFILE | O_RDWR, 0600);
    printf("tmpfile %s\n", tmp < 0 ? strerror(errno) : "ok");
    if (tmp >= 0) close(tmp);
    /* a relative path after the C program itself changed directory */
    check("chdir-sub", chdir("sub"));
    close(check("openat-after-chdir", syscall(SYS_openat, AT_FDCWD, "rel.txt", O_WRONLY | O_CREAT | O_TRUNC, 0600)));
    check("chdir-back", chdir(".."));
#ifdef SYS_rename
    check("rename", syscall(SYS_rename, "o.txt", "o2.txt"));
#endif
    check("renameat", syscall(SYS_renameat, dfd, "in-sub.txt", AT_FDCWD, "moved.txt"));
    check("renameat2", syscall(SYS_renameat2, AT_FDCWD, "c.txt", dfd, "c2.txt", RENAME_NOREPLACE));
#ifdef SYS_link
    check("link", syscall(SYS_link, "o2.txt", "hard"));
    check("symlink", syscall(SYS_symlink, "../elsewhere/target", "sym"));
#else
    check("link", syscall(SYS_linkat, AT_FDCWD, "o2.txt", AT_FDCWD, "hard", 0));
    check("symlink", syscall(SYS_symlinkat, "../elsewhere/target", AT_FDCWD, "sym"));
#endif
    check("symlinkat", syscall(SYS_symlinkat, "relative/target", dfd, "sym2"));
#ifdef SYS_chmod
    check("chmod", syscall(SYS_chmod, "o2.txt", 0611));
#endif
    check("fchmod", syscall(SYS_fchmod, afd, 0640));
    check("fchmodat", syscall(SYS_fchmodat, dfd, "c2.txt", 0444));
#ifdef SYS_chown
    check("chown", syscall(SYS_chown, "o2.txt", 1234, 5678));
#endif
    check("fchown", syscall(SYS_fchown, afd, 4321, -1));
    check("fchownat", syscall(SYS_fchownat, AT_FDCWD, "sym", 77, 88, AT_SYMLINK_NOFOLLOW));
#ifdef SYS_truncate
    check("truncate", syscall(SYS_truncate, "o2.txt", 10));
#endif
    check("ftruncate", syscall(SYS_ftruncate, afd, 5));
#ifdef SYS_unlink
    check("unlink", syscall(SYS_unlink, "hard"));
    check("rmdir", syscall(SYS_rmdir, "sub/sub2"));
#endif
    check("unlinkat", syscall(SYS_unlinkat, AT_FDCWD, "sym", 0));
    check("mkdirat-2", syscall(SYS_mkdirat, AT_FDCWD, "gone", 0700));
    check("unlinkat-removedir", syscall(SYS_unlinkat, dfd, "../gone", AT_REMOVEDIR));
    close(afd);
    close(dfd);

    int mfd = check("memfd_create", syscall(SYS_memfd_create, "vigil-payload", MFD_CLOEXEC));
    copy_true(mfd);
    printf("fexecve exit %d\n", run_child(mfd, 0));
    printf("execveat exit %d\n", run_child(mfd, 1));
    fflush(stdout);
    return failures;
}
