/* wsserve.h — a scripted websocket server for tests of the console's net client, for what a
 * real hub never sends: a frame in several websocket fragments, a frame over the size cap.
 * It runs a real libwebsockets server on a free loopback port in a thread of its own.
 *
 * Each connection is answered by the script whose token its hello carries: the script's
 * pieces go out one per writeable callback, then, when close_status is set, a close with
 * that status and reason. A hello with a token no script has is closed with 1008. */
#ifndef AGENTDESK_TESTS_WSSERVE_H
#define AGENTDESK_TESTS_WSSERVE_H

#include <stdbool.h>
#include <stddef.h>

/* One websocket frame fragment: `first` starts a text message, `last` ends it (both: a
 * whole frame). */
typedef struct {
    const char *data;
    size_t len;
    bool first, last;
} wsserve_piece;

typedef struct {
    const char *token;              /* the hello token this script answers */
    const wsserve_piece *pieces;
    size_t npieces;
    int close_status;               /* 0: stay open after the pieces */
    const char *close_reason;
} wsserve_script;

typedef struct wsserve wsserve;

/* Listen on 127.0.0.1 (a free port) with `subprotocol`; `scripts` must outlive the server.
 * NULL when the server cannot start. */
wsserve *wsserve_start(const char *subprotocol, const wsserve_script *scripts, size_t n);
int wsserve_port(const wsserve *s);
void wsserve_stop(wsserve *s);                /* stops the thread, frees everything */

/* Cut the text frame data[0..len) into fragments of at most `size` bytes, into out[0..max).
 * Returns the number of fragments (0 when max is too small). */
size_t wsserve_split(const char *data, size_t len, size_t size, wsserve_piece *out, size_t max);

#endif
