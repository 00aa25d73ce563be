/* redisproc.h — a private redis-server as a test child, for the hubs that share an event log
 * on Redis Streams (--bus): a temporary directory holding its append-only file (appendfsync
 * always: an acknowledged write survives kill -9), a free loopback port, start / kill -9 /
 * restart on the same port and directory, and clean-up. Also a small RESP client over a raw
 * socket, so a test can read the stream itself (XRANGE) without linking a Redis library.
 *
 * Debian ships the server binary as /usr/bin/redis-check-rdb (package redis-tools); it serves
 * when its argv[0] ends in "redis-server", so the temp directory gets a symlink of that name
 * (package redis-server would add the same symlink plus a system service we do not want).
 * $AGENTDESK_REDIS overrides the binary. A missing binary is a failure that says what is
 * missing, never a skip. */
#ifndef AGENTDESK_TESTS_REDISPROC_H
#define AGENTDESK_TESTS_REDISPROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <jansson.h>

typedef struct {
    pid_t pid;
    int port;
    char dir[256];
    char bin[320];      /* the redis-server symlink in dir */
    char log[320];
    char password[64];  /* "" = none (requirepass off) */
} redisproc;

/* Temp dir, the symlink, a free port. 0, or -1 after printing why (binary missing...). */
int redisproc_setup(redisproc *r);
/* Start (again: the same port and directory, so the AOF is replayed) and wait until it
 * answers PING. 0 or -1. */
int redisproc_start(redisproc *r);
/* Send `sig` and reap: the exit status (128 + signal when killed by one), -1 if not running. */
int redisproc_stop(redisproc *r, int sig);
/* Stop if running and remove the temporary directory. */
void redisproc_cleanup(redisproc *r);
/* "redis://127.0.0.1:PORT/NAME" into buf. */
const char *redisproc_url(const redisproc *r, const char *name, char *buf, size_t len);

/* One command (argv[0..argc)) on a fresh connection (AUTH first when password is set); the
 * reply as JSON: a bulk or simple string is a string, an integer an integer, nil null, an
 * array an array, an error {"error": "..."}. NULL when the server cannot be reached or the
 * reply is malformed. Caller decrefs. */
json_t *redisproc_command(const redisproc *r, int argc, const char *const *argv);
/* true when PING answers PONG within timeout_ms. */
bool redisproc_ping(const redisproc *r, int timeout_ms);

/* The entries of stream `key` (XRANGE key - +), as seqs: the id must be "<seq>-0"; returns
 * the count (≥ 0) with a malloc'd array in *seqs, or -1 (unreachable, or an id of another
 * form: *bad_id then holds it). `frames`, when not NULL, receives a JSON array of each entry's
 * field/value pairs as an object, in the same order. */
long redisproc_stream_seqs(const redisproc *r, const char *key, int64_t **seqs, json_t **frames,
                           char *bad_id, size_t bad_len);

#endif
