/* Test workload: 8 threads (pthread_create: clone3 on glibc >= 2.34), joined, then exit 7. */
#include <pthread.h>
#include <stdio.h>
static void *work(void *arg) {
    volatile unsigned long x = (unsigned long)arg;
    for (int i = 0; i < 100000; i++) x = x * 31 + (unsigned long)i;
    return NULL;
}
int main(void) {
    pthread_t t[8];
    for (long i = 0; i < 8; i++) pthread_create(&t[i], NULL, work, (void *)i);
    for (int i = 0; i < 8; i++) pthread_join(t[i], NULL);
    printf("threads done\n");
    return 7;
}
