/* busconn.h — connections to the Redis of a shared bus (eventlog_redis.h), plain TCP or TLS.
 *
 * busconn: the appending side's synchronous connection, a deadline on every exchange.
 * bustls_stream: TLS over bytes someone else carries (the reading side's socket belongs to
 * the hub's loop: hub/net/rawclient.c), on OpenSSL memory buffers.
 * Commands are formatted and answers parsed by hiredis (its formatter and reader); the socket
 * and TLS are ours, because Debian 12's hiredis (0.14) has no TLS. Both check Redis's
 * certificate against the given CA (else the system's) and its name or address. */
#ifndef AGENTDESK_HUB_BUSCONN_H
#define AGENTDESK_HUB_BUSCONN_H

#include <hiredis/hiredis.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    bool on;                 /* rediss:// */
    char ca_file[256];       /* "" : the system's CAs */
    char cert_file[256];     /* a client certificate and its key, when Redis asks for one */
    char key_file[256];
} bus_tls;

/* A RESP reader (hiredis's) that refuses an array of more than BUS_MAX_ELEMENTS: hiredis 0.14
 * allocates an announced array's whole table at once, so "*2000000000" from a broken or
 * hostile peer would ask for gigabytes. Our largest answers are a few thousand entries. */
enum { BUS_MAX_ELEMENTS = 1 << 20 };
redisReader *bus_reader_create(void);

typedef struct busconn busconn;

/* Connected (and through the TLS handshake) within timeout_ms, or NULL with err. Each later
 * exchange may take op_timeout_ms. */
busconn *busconn_open(const char *host, int port, const bus_tls *tls, int timeout_ms, int op_timeout_ms,
                      char *err, size_t errlen);
/* One command and its answer (free it with freeReplyObject); NULL when the connection failed
 * or timed out (busconn_error says why; the connection is then unusable). */
redisReply *busconn_command(busconn *c, int argc, const char **argv, const size_t *lens);
const char *busconn_error(const busconn *c);
void busconn_free(busconn *c);

typedef struct bustls_stream bustls_stream;
bustls_stream *bustls_stream_new(const char *host, const bus_tls *tls, char *err, size_t errlen);
/* Bytes received from the peer. 0, or -1 when TLS failed (bustls_stream_error): close. */
int bustls_stream_feed(bustls_stream *t, const char *in, size_t n);
/* Plaintext the peer sent: bytes, 0 for none now, -1 when TLS failed. */
long bustls_stream_read(bustls_stream *t, char *out, size_t cap);
/* Plaintext to send; held until the handshake is done. */
int bustls_stream_write(bustls_stream *t, const char *in, size_t n);
/* Bytes to send to the peer now: malloc'd in *out, their number (0: none). */
size_t bustls_stream_output(bustls_stream *t, char **out);
const char *bustls_stream_error(const bustls_stream *t);
void bustls_stream_free(bustls_stream *t);

#endif
