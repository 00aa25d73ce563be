/* live.c — a hash of live interactions plus a list in start order. */
#include "hub/core/live.h"
#include "hub/core/metrics.h"
#include "base/strmap.h"
#include "base/strset.h"
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


struct live {
    strmap *by_iid;                /* iid -> live_call; keys are the calls' own iids */
    live_call *head, *tail;
    size_t count;
};

live *live_new(void)
{
    live *l = mem_zalloc(1, sizeof *l);
    l->by_iid = strmap_new();
    return l;
}

static void call_free(live_call *c)
{
    live_call_forget_flags(c);
    for (size_t i = 0; i < c->nframes; i++)
        shared_frame_unref(c->frames[i]);
    for (size_t i = 0; i < c->nreplaced; i++)
        shared_frame_unref(c->replaced[i].frame);
    free(c->frames);
    free(c->open);
    free(c->turn_open);
    free(c->replaced);
    free(c);
}

void live_call_free(live_call *c)
{
    call_free(c);
}

void live_free(live *l, void (*on_free)(live_call *c))
{
    if (!l)
        return;
    live_call *c = l->head;
    while (c) {
        live_call *n = c->next;
        if (on_free)
            on_free(c);
        call_free(c);
        c = n;
    }
    strmap_free(l->by_iid);
    free(l);
}

live_call *live_find(live *l, const char *iid)
{
    return strmap_get(l->by_iid, iid);
}

void live_attach(live *l, live_call *c)
{
    strmap_put(l->by_iid, c->iid, c);
    c->prev = l->tail;
    c->next = NULL;
    if (l->tail)
        l->tail->next = c;
    else
        l->head = c;
    l->tail = c;
    l->count++;
}

live_call *live_add(live *l, const char *iid)
{
    if (live_find(l, iid))
        return NULL;
    live_call *c = mem_zalloc(1, sizeof *c);
    snprintf(c->iid, sizeof c->iid, "%s", iid);
    live_attach(l, c);
    return c;
}

void live_detach(live *l, live_call *c)
{
    if (strmap_get(l->by_iid, c->iid) == c)
        strmap_remove(l->by_iid, c->iid);
    if (c->prev)
        c->prev->next = c->next;
    else
        l->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    else
        l->tail = c->prev;
    c->prev = c->next = NULL;
    l->count--;
}

void live_remove(live *l, live_call *c)
{
    live_detach(l, c);
    call_free(c);
}

live_call *live_first(live *l)
{
    return l->head;
}

live_call *live_last(live *l)
{
    return l->tail;
}

size_t live_count(const live *l)
{
    return l->count;
}

/* Squeeze out the NULL slots once they are the majority, so memory follows the
 * transcript, not the number of partials it went through. */
static void compact(live_call *c)
{
    size_t j = 0;
    for (size_t i = 0; i < c->nframes; i++) {
        if (!c->frames[i])
            continue;
        for (size_t k = 0; k < c->nopen; k++)
            if (c->open[k].slot == i)
                c->open[k].slot = j;
        c->frames[j++] = c->frames[i];
    }
    c->nframes = j;
    c->holes = 0;
}

/* Where the call stood before the turn's first change. */
static void mark_turn(live_call *c)
{
    c->dirty = true;
    c->turn_nframes = c->nframes;
    c->turn_nopen = c->nopen;
    free(c->turn_open);
    c->turn_open = NULL;
    if (c->nopen) {
        c->turn_open = mem_alloc(c->nopen * sizeof *c->turn_open);
        memcpy(c->turn_open, c->open, c->nopen * sizeof *c->open);
    }
}

void live_call_append(live_call *c, shared_frame *f, const char *uid, bool partial)
{
    if (!c->dirty)
        mark_turn(c);
    if (uid) {
        for (size_t k = 0; k < c->nopen; k++) {
            if (strcmp(c->open[k].uid, uid) != 0)
                continue;
            size_t slot = c->open[k].slot;
            /* kept until the commit: a rollback puts it back */
            if (c->nreplaced == c->capreplaced) {
                c->capreplaced = c->capreplaced ? c->capreplaced * 2 : 8;
                c->replaced = mem_realloc(c->replaced, c->capreplaced * sizeof *c->replaced);
            }
            c->replaced[c->nreplaced++] = (live_replaced){slot, c->frames[slot]};
            c->frames[slot] = NULL;
            c->holes++;
            c->open[k] = c->open[--c->nopen];
            break;
        }
    }
    if (c->nframes == c->capframes) {
        c->capframes = c->capframes ? c->capframes * 2 : 32;
        c->frames = mem_realloc(c->frames, c->capframes * sizeof *c->frames);
    }
    c->frames[c->nframes] = shared_frame_ref(f);
    if (uid && partial) {
        if (c->nopen == c->capopen) {
            c->capopen = c->capopen ? c->capopen * 2 : 4;
            c->open = mem_realloc(c->open, c->capopen * sizeof *c->open);
        }
        snprintf(c->open[c->nopen].uid, sizeof c->open[c->nopen].uid, "%s", uid);
        c->open[c->nopen].slot = c->nframes;
        c->nopen++;
    }
    c->nframes++;
}

bool live_call_flag_once(live_call *c, const char *key, size_t max)
{
    if (!c->flagged)
        c->flagged = strset_new();
    if (strset_count(c->flagged) >= max || !strset_add(c->flagged, key))
        return false;
    metrics_flag_keys(1);
    return true;
}

void live_call_forget_flags(live_call *c)
{
    metrics_flag_keys(-(int64_t)strset_count(c->flagged));
    strset_free(c->flagged);
    c->flagged = NULL;
}

void live_call_commit(live_call *c)
{
    for (size_t i = 0; i < c->nreplaced; i++)
        shared_frame_unref(c->replaced[i].frame);
    c->nreplaced = 0;
    free(c->turn_open);
    c->turn_open = NULL;
    c->turn_nopen = 0;
    c->dirty = false;
    /* slots move only here, between turns, so an undo record never points at a moved slot */
    if (c->holes > 32 && c->holes * 2 > c->nframes)
        compact(c);
}

void live_call_rollback(live_call *c)
{
    if (!c->dirty)
        return;
    for (size_t i = c->turn_nframes; i < c->nframes; i++)
        shared_frame_unref(c->frames[i]);
    c->nframes = c->turn_nframes;
    for (size_t i = c->nreplaced; i-- > 0;) {
        live_replaced *r = &c->replaced[i];
        if (r->slot < c->nframes)
            c->frames[r->slot] = r->frame;
        else
            shared_frame_unref(r->frame); /* a partial of the failed turn itself */
    }
    c->nreplaced = 0;
    c->holes = 0;
    for (size_t i = 0; i < c->nframes; i++)
        c->holes += c->frames[i] == NULL;
    if (c->turn_nopen > c->capopen) {
        c->capopen = c->turn_nopen;
        c->open = mem_realloc(c->open, c->capopen * sizeof *c->open);
    }
    if (c->turn_nopen)
        memcpy(c->open, c->turn_open, c->turn_nopen * sizeof *c->open);
    c->nopen = c->turn_nopen;
    free(c->turn_open);
    c->turn_open = NULL;
    c->turn_nopen = 0;
    c->dirty = false;
}
