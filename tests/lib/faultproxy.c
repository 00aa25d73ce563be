/* faultproxy.c — a relay that can lose one answer (see faultproxy.h). One thread, poll(). */
#include "tests/lib/faultproxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { PAIRS = 32 };

typedef struct {
    int client, server;     /* -1 when unused */
    bool swallow;           /* the client sent the marker: lose the server's next answer */
} pair;

struct faultproxy {
    int listen_fd, upstream, port;
    int wake[2];
    pthread_t thread;
    pthread_mutex_t mu;
    char marker[64];        /* "" = not armed */
    int fired;
    pair pairs[PAIRS];
};

static void close_pair(pair *q)
{
    if (q->client >= 0)
        close(q->client);
    if (q->server >= 0)
        close(q->server);
    q->client = q->server = -1;
    q->swallow = false;
}

static int connect_upstream(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

static bool write_all(int fd, const char *b, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, b, n);
        if (w <= 0)
            return false;
        b += w;
        n -= (size_t)w;
    }
    return true;
}

/* Data from one side of pair q; false when the pair is finished. */
static bool relay(faultproxy *p, pair *q, bool from_client)
{
    char buf[65536];
    ssize_t n = read(from_client ? q->client : q->server, buf, sizeof buf);
    if (n <= 0)
        return false;
    if (from_client) {
        pthread_mutex_lock(&p->mu);
        if (p->marker[0] && memmem(buf, (size_t)n, p->marker, strlen(p->marker))) {
            q->swallow = true;
            p->marker[0] = 0;
        }
        pthread_mutex_unlock(&p->mu);
        return write_all(q->server, buf, (size_t)n);
    }
    if (q->swallow) {   /* applied upstream; the answer is lost with the connection */
        pthread_mutex_lock(&p->mu);
        p->fired++;
        pthread_mutex_unlock(&p->mu);
        return false;
    }
    return write_all(q->client, buf, (size_t)n);
}

static void *run(void *arg)
{
    faultproxy *p = arg;
    for (;;) {
        struct pollfd fds[2 + 2 * PAIRS];
        int who[2 + 2 * PAIRS];
        int n = 0;
        fds[n] = (struct pollfd){.fd = p->wake[0], .events = POLLIN};
        who[n++] = -1;
        fds[n] = (struct pollfd){.fd = p->listen_fd, .events = POLLIN};
        who[n++] = -2;
        for (int i = 0; i < PAIRS; i++)
            if (p->pairs[i].client >= 0) {
                fds[n] = (struct pollfd){.fd = p->pairs[i].client, .events = POLLIN};
                who[n++] = 2 * i;
                fds[n] = (struct pollfd){.fd = p->pairs[i].server, .events = POLLIN};
                who[n++] = 2 * i + 1;
            }
        if (poll(fds, (nfds_t)n, -1) < 0)
            continue;
        if (fds[0].revents)
            return NULL;
        if (fds[1].revents & POLLIN) {
            int c = accept(p->listen_fd, NULL, NULL);
            int s = c >= 0 ? connect_upstream(p->upstream) : -1;
            int slot = -1;
            for (int i = 0; i < PAIRS && slot < 0; i++)
                if (p->pairs[i].client < 0)
                    slot = i;
            if (c >= 0 && s >= 0 && slot >= 0)
                p->pairs[slot] = (pair){.client = c, .server = s};
            else {
                if (c >= 0)
                    close(c);
                if (s >= 0)
                    close(s);
            }
        }
        for (int k = 2; k < n; k++) {
            if (!fds[k].revents)
                continue;
            pair *q = &p->pairs[who[k] / 2];
            if (q->client < 0)
                continue;   /* closed by its other side in this round */
            if (!relay(p, q, who[k] % 2 == 0))
                close_pair(q);
        }
    }
}

faultproxy *faultproxy_start(int upstream_port)
{
    faultproxy *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->upstream = upstream_port;
    for (int i = 0; i < PAIRS; i++)
        p->pairs[i].client = p->pairs[i].server = -1;
    pthread_mutex_init(&p->mu, NULL);
    p->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(p->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t sl = sizeof sa;
    if (p->listen_fd < 0 || bind(p->listen_fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        listen(p->listen_fd, 16) != 0 || getsockname(p->listen_fd, (struct sockaddr *)&sa, &sl) != 0 ||
        pipe(p->wake) != 0) {
        if (p->listen_fd >= 0)
            close(p->listen_fd);
        free(p);
        return NULL;
    }
    p->port = ntohs(sa.sin_port);
    if (pthread_create(&p->thread, NULL, run, p) != 0) {
        close(p->listen_fd);
        close(p->wake[0]);
        close(p->wake[1]);
        free(p);
        return NULL;
    }
    return p;
}

int faultproxy_port(const faultproxy *p)
{
    return p->port;
}

void faultproxy_arm(faultproxy *p, const char *marker)
{
    pthread_mutex_lock(&p->mu);
    snprintf(p->marker, sizeof p->marker, "%s", marker);
    pthread_mutex_unlock(&p->mu);
}

int faultproxy_fired(faultproxy *p)
{
    pthread_mutex_lock(&p->mu);
    int n = p->fired;
    pthread_mutex_unlock(&p->mu);
    return n;
}

void faultproxy_stop(faultproxy *p)
{
    if (!p)
        return;
    if (write(p->wake[1], "x", 1) != 1)
        return;
    pthread_join(p->thread, NULL);
    for (int i = 0; i < PAIRS; i++)
        close_pair(&p->pairs[i]);
    close(p->listen_fd);
    close(p->wake[0]);
    close(p->wake[1]);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
