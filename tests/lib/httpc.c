/* httpc.c — see httpc.h. */
#include "tests/lib/httpc.h"
#include "tests/lib/wsc.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

int httpc_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int httpc_send_head(int fd, const char *path, const char *const *headers, size_t content_length)
{
    char head[8192];
    int n = snprintf(head, sizeof head, "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\n", path, content_length);
    for (const char *const *h = headers; h && *h && n > 0 && (size_t)n < sizeof head; h++)
        n += snprintf(head + n, sizeof head - (size_t)n, "%s\r\n", *h);
    if (n <= 0 || (size_t)n + 3 > sizeof head)
        return -1;
    n += snprintf(head + n, sizeof head - (size_t)n, "\r\n");
    return write_all(fd, head, (size_t)n);
}

int httpc_read_answer(int fd, int timeout_ms, httpc_answer *a)
{
    memset(a, 0, sizeof *a);
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    int64_t end = wsc_now_ms() + timeout_ms;
    long want = -1;
    char *body = NULL;
    while (wsc_now_ms() < end) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, (int)(end - wsc_now_ms())) <= 0)
            break;
        if (len + 1024 > cap)
            buf = realloc(buf, cap *= 2);
        ssize_t n = recv(fd, buf + len, cap - len - 1, 0);
        if (n <= 0)
            break;
        len += (size_t)n;
        buf[len] = '\0';
        if (!body && (body = strstr(buf, "\r\n\r\n"))) {
            body += 4;
            for (char *h = strstr(buf, "\r\n"); h && h < body; h = strstr(h + 2, "\r\n"))
                if (strncasecmp(h + 2, "content-length:", 15) == 0)
                    want = atol(h + 17);
        }
        if (body && want >= 0 && (long)(len - (size_t)(body - buf)) >= want)
            break;
    }
    if (!body || sscanf(buf, "HTTP/1.%*d %d", &a->status) != 1) {
        free(buf);
        a->status = 0;
        return -1;
    }
    size_t blen = len - (size_t)(body - buf);
    a->body = malloc(blen + 1);
    memcpy(a->body, body, blen);
    a->body[blen] = '\0';
    a->len = blen;
    free(buf);
    return 0;
}

int httpc_post(int port, const char *path, const char *const *headers, const char *body, size_t len,
               int timeout_ms, httpc_answer *a)
{
    memset(a, 0, sizeof *a);
    int fd = httpc_connect(port);
    if (fd < 0)
        return -1;
    int rc = httpc_send_head(fd, path, headers, len) == 0 && write_all(fd, body, len) == 0
                 ? httpc_read_answer(fd, timeout_ms, a) : -1;
    close(fd);
    return rc;
}

bool httpc_wait_eof(int fd, int timeout_ms)
{
    int64_t end = wsc_now_ms() + timeout_ms;
    char buf[4096];
    while (wsc_now_ms() < end) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, (int)(end - wsc_now_ms())) <= 0)
            return false;
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            return true;
    }
    return false;
}
