/* frame.h — one encoded frame shared by reference between the live state, the event batch
 * and every connection's outbox, so fan-out to N consoles costs N pointers, not N copies.
 * It lives in the core (which makes frames) and knows no socket: the bytes sit after
 * FRAME_HEADROOM bytes that the transport may scribble on (a websocket header; hub/net
 * checks at compile time that its own need fits, see NET_HEADROOM).
 *
 * Invariant: a frame's bytes never change after shared_frame_new(); the transport only
 * scribbles on the headroom, and one write completes before the next starts (one thread). */
#ifndef AGENTDESK_HUB_FRAME_H
#define AGENTDESK_HUB_FRAME_H

#include <stddef.h>
#include <stdint.h>

enum { FRAME_HEADROOM = 32 };

typedef struct shared_frame {
    int refs;
    int64_t seq;        /* durable events: their seq; others 0 */
    int64_t ingest_us;  /* monotonic µs when the ingest event that caused it arrived; 0.
                         * Sampled only by the live fan-out of its commit turn (session_deliver) */
    size_t len;
    int kind;           /* live_frame_type's answer + 1, kept there (the bytes never change);
                         * 0 until it is asked */
    unsigned char *buf; /* FRAME_HEADROOM + len bytes + NUL, in the frame's own allocation */
} shared_frame;

shared_frame *shared_frame_new(const char *data, size_t len, int64_t seq);
shared_frame *shared_frame_ref(shared_frame *f);
void shared_frame_unref(shared_frame *f);
/* The payload (after the headroom), NUL-terminated. */
char *shared_frame_data(const shared_frame *f);

#endif
