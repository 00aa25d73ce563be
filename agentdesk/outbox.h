/* outbox.h — actions (reply, note, wrapup, help, suggestion.feedback, checklist.tick)
 * waiting for the hub's ack, persisted before they are sent.
 *
 * Invariants: every item has a client-made id unique across runs, and is in the file
 * (one frame a line, fsync'd) before outbox_add returns; an item leaves the file only
 * when the hub acked it (or refused it for good). On (re)connect every item is sent again
 * in order: the hub dedupes by id, so each is applied once. */
#ifndef AGENTDESK_OUTBOX_H
#define AGENTDESK_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "proto/codec.h"

typedef struct {
    char *id;          /* the action id */
    char *type;        /* "reply", "note", ... */
    char *iid;         /* may be NULL */
    char *text;        /* reply/note text for showing it as pending, may be NULL */
    char *frame;       /* the encoded frame */
    size_t frame_len;
    bool sent;         /* written to the current connection */
} outbox_item;

typedef struct {
    char *path;        /* NULL: memory only (when no state directory can be made) */
    outbox_item *items;
    size_t n, cap;
    unsigned version;  /* bumped on any change */
} outbox;

/* Open the outbox at `path` (NULL for memory only), loading items left by an earlier run.
 * Lines that are not a valid console->hub frame are dropped. Returns false with a message
 * when the file exists but cannot be read or written. */
bool outbox_open(outbox *o, const char *path, char *err, size_t errlen);
void outbox_close(outbox *o);

/* The file is one hub's and one signed-in identity's: see state.h (state_file). */

/* A fresh action id: 128 random bits in hex, prefixed "a-". malloc'd. */
char *outbox_new_id(void);

/* Give `ev` a new id, encode it, persist it. Returns the item, or NULL with *err filled
 * (not a durable action, encoding refused the event, or the disk write failed). Only the
 * actions listed above are durable: a ping, hello or summary request is never stored.
 * Takes no ownership of ev. */
const outbox_item *outbox_add(outbox *o, proto_event *ev, char *err, size_t errlen);

/* The hub acked (or refused) `id`: remove it. Returns true when it was ours; the removed
 * item's type is copied into type_out (size n) if given. */
bool outbox_remove(outbox *o, const char *id, char *type_out, size_t n);

/* The first item not yet sent on this connection, or NULL. */
outbox_item *outbox_next_unsent(outbox *o);
/* A new connection: everything is to be sent again. */
void outbox_mark_unsent(outbox *o);
size_t outbox_count(const outbox *o);
/* The item with action id `id`, or NULL. */
const outbox_item *outbox_find(const outbox *o, const char *id);
const outbox_item *outbox_item_at(const outbox *o, size_t i);

#endif
