/*
 * Test workload for EventsIT: socket syscalls on loopback. argv[1] is a directory for a unix socket. Each step
 * prints a stable line on stdout (the same with and without the sensor); the ports and paths it used go to
 * stderr as "addr <step> <value>" so the test can find the events. Exits 0 when every step behaved as expected.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int failures;

static void expect(const char *what, int ok) {
    printf("%s %s\n", what, ok ? "ok" : "FAILED");
    if (!ok) failures++;
}

static int port_of(int fd) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &len);
    return ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
                                    : ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/* A listening TCP socket on 127.0.0.1 or ::1, any port. */
static int listener(int family) {
    int s = socket(family, SOCK_STREAM, IPPROTO_TCP);
    if (family == AF_INET) {
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        bind(s, (struct sockaddr *)&a, sizeof a);
    } else {
        struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
        bind(s, (struct sockaddr *)&a, sizeof a);
    }
    listen(s, 8);
    return s;
}

static int connect4(int s, int port) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    return connect(s, (struct sockaddr *)&a, sizeof a);
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;

    /* IPv4 TCP: blocking connect, established; accept4 on the server side */
    int l4 = listener(AF_INET);
    int p4 = port_of(l4);
    fprintf(stderr, "addr tcp4 %d\n", p4);
    int c4 = socket(AF_INET, SOCK_STREAM, 0);
    expect("tcp4-connect", connect4(c4, p4) == 0);
    int a4 = accept4(l4, NULL, NULL, SOCK_CLOEXEC);
    expect("tcp4-accept4", a4 >= 0);
    fprintf(stderr, "addr tcp4-client %d\n", port_of(c4));
    expect("tcp4-send", write(c4, "hi", 2) == 2);
    char buf[16];
    expect("tcp4-recv", read(a4, buf, sizeof buf) == 2);
    close(a4);
    close(c4);

    /* refused: a port that is bound but not listening answers a SYN with a reset */
    int closed = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in any = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(closed, (struct sockaddr *)&any, sizeof any);
    int pc = port_of(closed);
    fprintf(stderr, "addr refused %d\n", pc);
    int cr = socket(AF_INET, SOCK_STREAM, 0);
    int r = connect4(cr, pc);
    expect("tcp4-refused", r < 0 && errno == ECONNREFUSED);
    close(cr);
    close(closed);

    /* non-blocking: EINPROGRESS, then writable and SO_ERROR 0 */
    int nb = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    r = connect4(nb, p4);
    expect("tcp4-nonblock-inprogress", r == 0 || errno == EINPROGRESS);
    struct pollfd pfd = {.fd = nb, .events = POLLOUT};
    poll(&pfd, 1, 5000);
    int err = -1;
    socklen_t el = sizeof err;
    getsockopt(nb, SOL_SOCKET, SO_ERROR, &err, &el);
    expect("tcp4-nonblock-established", err == 0);
    fprintf(stderr, "addr tcp4-nonblock %d\n", port_of(nb));
    int anb = accept(l4, NULL, NULL);
    expect("tcp4-accept", anb >= 0);
    close(anb);
    close(nb);
    close(l4);

    /* IPv6 TCP */
    int l6 = listener(AF_INET6);
    int p6 = port_of(l6);
    fprintf(stderr, "addr tcp6 %d\n", p6);
    int c6 = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons(p6), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    expect("tcp6-connect", connect(c6, (struct sockaddr *)&a6, sizeof a6) == 0);
    struct sockaddr_in6 peer6;
    socklen_t pl = sizeof peer6;
    int ac6 = accept(l6, (struct sockaddr *)&peer6, &pl);
    expect("tcp6-accept", ac6 >= 0);
    close(ac6);
    close(c6);
    close(l6);

    /* unix stream socket on a path */
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    snprintf(un.sun_path, sizeof un.sun_path, "%s/vigil.sock", argv[1]);
    int lu = socket(AF_UNIX, SOCK_STREAM, 0);
    expect("unix-bind", bind(lu, (struct sockaddr *)&un, sizeof un) == 0);
    expect("unix-listen", listen(lu, 4) == 0);
    int cu = socket(AF_UNIX, SOCK_STREAM, 0);
    expect("unix-connect", connect(cu, (struct sockaddr *)&un, sizeof un) == 0);
    int au = accept(lu, NULL, NULL);
    expect("unix-accept", au >= 0);
    close(au);
    close(cu);
    close(lu);

    /* unix socket in the abstract namespace (leading NUL, length-delimited) */
    struct sockaddr_un ab = {.sun_family = AF_UNIX};
    int n = snprintf(ab.sun_path + 1, sizeof ab.sun_path - 1, "vigil-abstract-%d", getpid());
    fprintf(stderr, "addr abstract @%s\n", ab.sun_path + 1);
    socklen_t abl = offsetof(struct sockaddr_un, sun_path) + 1 + n;
    int la = socket(AF_UNIX, SOCK_STREAM, 0);
    expect("abstract-bind", bind(la, (struct sockaddr *)&ab, abl) == 0);
    listen(la, 4);
    int ca = socket(AF_UNIX, SOCK_STREAM, 0);
    expect("abstract-connect", connect(ca, (struct sockaddr *)&ab, abl) == 0);
    close(ca);
    close(la);

    /* UDP: sendto on an unconnected socket names its destination */
    int ur = socket(AF_INET, SOCK_DGRAM, 0);
    bind(ur, (struct sockaddr *)&any, sizeof any);
    int pu = port_of(ur);
    fprintf(stderr, "addr udp %d\n", pu);
    int us = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    struct sockaddr_in ud = {.sin_family = AF_INET, .sin_port = htons(pu), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    expect("udp-sendto", sendto(us, "ping", 4, 0, (struct sockaddr *)&ud, sizeof ud) == 4);
    expect("udp-recv", recv(ur, buf, sizeof buf, 0) == 4 && memcmp(buf, "ping", 4) == 0);
    close(us);
    close(ur);
    fflush(stdout);
    return failures;
}
