/* Test workload: a non-leader thread calls execve; the process continues as /bin/echo. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
static void *run(void *arg) {
    (void)arg;
    char *argv[] = {"echo", "exec-from-thread", NULL};
    execv("/bin/echo", argv);
    perror("execv");
    return NULL;
}
int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, run, NULL);
    pthread_join(t, NULL);
    return 1;
}
