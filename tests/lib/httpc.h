/* httpc.h — a small blocking HTTP/1.1 client over a loopback socket for tests and
 * benchmarks: one POST with chosen headers and body, its status and body read back; and the
 * raw pieces (connect, write part of a request, wait for the close) that a well-behaved
 * client library will not do: slow, partial and oversized bodies. */
#ifndef AGENTDESK_TESTS_HTTPC_H
#define AGENTDESK_TESTS_HTTPC_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    int status;     /* HTTP status, 0 when no answer came */
    char *body;     /* malloc'd, NUL-terminated; NULL when none */
    size_t len;
} httpc_answer;

/* POST body to 127.0.0.1:port path with `headers` ("Name: value" strings, NULL-terminated,
 * may be NULL); waits up to timeout_ms for the answer. 0, or -1 when nothing came back
 * (a->status 0). Free a->body. */
int httpc_post(int port, const char *path, const char *const *headers, const char *body, size_t len,
               int timeout_ms, httpc_answer *a);
/* A connected blocking socket, or -1. */
int httpc_connect(int port);
/* The head of a POST declaring content_length (no body sent). 0 or -1. */
int httpc_send_head(int fd, const char *path, const char *const *headers, size_t content_length);
/* Read one answer (status and body, by Content-Length) within timeout_ms. 0 or -1. */
int httpc_read_answer(int fd, int timeout_ms, httpc_answer *a);
/* true when the peer closed the connection within timeout_ms (what it sends is drained). */
bool httpc_wait_eof(int fd, int timeout_ms);

#endif
