/* wsc.h — a small websocket client for tests and benchmarks, on one lws context and
 * loop in the calling thread: connect, send text, and receive whole messages with a
 * timeout (the loop runs inside the waiting calls). Many connections may share a context.
 *
 * Also a raw TCP helper that performs the upgrade by hand and then sends exactly the bytes
 * it is told to (masked frames, fragments, oversize frames, invalid UTF-8) or never reads
 * — for the bad-input tests that a well-behaved client library cannot produce. */
#ifndef AGENTDESK_TESTS_WSC_H
#define AGENTDESK_TESTS_WSC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

typedef struct wsc_ctx wsc_ctx;
typedef struct wsc wsc;

wsc_ctx *wsc_ctx_new(void);
/* The same on libev's epoll loop, as the hub's: a load generator with a thousand
 * connections spends its time on them, not on poll() over all of them (bench_hub). */
wsc_ctx *wsc_ctx_new_epoll(void);
void wsc_ctx_free(wsc_ctx *x);   /* closes and frees every connection */
/* Run the loop for about `ms` milliseconds. */
void wsc_service(wsc_ctx *x, int ms);

/* Connect to ws://127.0.0.1:port/ with `subprotocol`; waits until established (NULL on
 * failure or timeout). With timeout_ms == 0 it returns at once and connects in the
 * background (wsc_is_open tells). */
wsc *wsc_connect(wsc_ctx *x, int port, const char *subprotocol, int timeout_ms);
bool wsc_is_open(const wsc *c);
bool wsc_is_closed(const wsc *c);
int wsc_close_status(const wsc *c);  /* websocket close code from the peer, 0 if none */
const char *wsc_close_reason(const wsc *c); /* its reason text, "" if none */

/* Queue a text frame (sent from the loop). */
void wsc_send(wsc *c, const char *text);
void wsc_send_len(wsc *c, const char *data, size_t len);
void wsc_sendf(wsc *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t wsc_unsent(const wsc *c);

/* The next whole message, parsed (NULL on timeout, close, or bad JSON). */
json_t *wsc_recv(wsc *c, int timeout_ms);
/* Skip messages until one of type `type` (NULL on timeout or close). */
json_t *wsc_recv_type(wsc *c, const char *type, int timeout_ms);
/* Skip messages until the ack (or error) answering action `id` (NULL on timeout or close). */
json_t *wsc_recv_answer(wsc *c, const char *id, int timeout_ms);
/* The "type" string of a received message, or NULL. */
const char *wsc_type(json_t *msg);
/* Messages received and not yet taken. */
size_t wsc_inbox(const wsc *c);
/* Wait until the peer has closed the connection. */
bool wsc_wait_closed(wsc *c, int timeout_ms);
/* Stop (false) or resume (true) reading from the socket. */
void wsc_set_reading(wsc *c, bool on);
/* Shrink the socket's receive buffer (a stalled reader then stalls the sender sooner). */
void wsc_set_rcvbuf(wsc *c, int bytes);
/* Close; the struct is freed with the context. */
void wsc_close(wsc *c);
/* Opaque per-connection user pointer. */
void wsc_set_user(wsc *c, void *user);
void *wsc_user(const wsc *c);
/* Called for each message as it arrives instead of queueing it (benchmarks). */
void wsc_set_handler(wsc *c, void (*fn)(wsc *c, const char *msg, size_t len));
/* Called with each queued message once it is written to the socket (benchmarks: the time a
 * frame left, not the time it was queued behind the loop's other work). */
void wsc_set_written(wsc *c, void (*fn)(wsc *c, const char *msg, size_t len));

/* ---- raw TCP ---- */
/* Connect and upgrade by hand; returns the fd (blocking) or -1. rcvbuf > 0 sets the
 * socket's receive buffer before connecting (a small window for never-reading peers). */
int wsc_raw_connect(int port, const char *subprotocol, int rcvbuf);
/* Encode one masked client frame into out (room for len + 14 bytes); returns its size. */
size_t wsc_raw_encode(unsigned char *out, int opcode, bool fin, const void *data, size_t len);
/* Write all of buf. 0 or -1. */
int wsc_raw_write(int fd, const void *buf, size_t len);
/* Send one masked frame: opcode 1 text, 0 continuation; fin as given. 0 or -1. */
int wsc_raw_frame(int fd, int opcode, bool fin, const void *data, size_t len);
/* Read whatever arrives within timeout_ms into buf (raw bytes); returns bytes or -1 on
 * EOF/error with nothing read. */
long wsc_raw_read(int fd, void *buf, size_t cap, int timeout_ms);
/* true when the peer closed (EOF or reset) within timeout_ms, draining what it sends. */
bool wsc_raw_wait_eof(int fd, int timeout_ms);

/* Monotonic milliseconds. */
int64_t wsc_now_ms(void);

#endif
