/* snap.h — the bytes of an enrichment checkpoint (assist.h: assist_call_save): a growable
 * writer and a reader that checks every length, so a short or damaged checkpoint is refused
 * (and the interaction rebuilt from its log instead), never read past its end.
 *
 * Values are written as this build lays them out: a checkpoint is read by the same hub that
 * wrote it or by one built alike; each part writes the sizes it relies on first, and a
 * reader that finds other sizes refuses the checkpoint. */
#ifndef AGENTDESK_HUB_ASSIST_SNAP_H
#define AGENTDESK_HUB_ASSIST_SNAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    unsigned char *p;
    size_t len, cap;
} snap_w;

typedef struct {
    const unsigned char *p;
    size_t len, at;
    bool bad;            /* a read ran past the end or found what it did not expect */
} snap_r;

void snap_put(snap_w *w, const void *v, size_t n);
void snap_put_u64(snap_w *w, uint64_t v);
/* A string (NULL allowed): its length, then its bytes. */
void snap_put_str(snap_w *w, const char *s);

/* false (and r->bad) when fewer than n bytes are left */
bool snap_get(snap_r *r, void *v, size_t n);
uint64_t snap_get_u64(snap_r *r);
/* A u64 that must equal `want` (a size or a count the reader relies on). */
bool snap_expect(snap_r *r, uint64_t want);
/* A string written by snap_put_str: malloc'd, or NULL (for NULL, or with r->bad). */
char *snap_get_str(snap_r *r);

#endif
