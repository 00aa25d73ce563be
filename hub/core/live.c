/* live.c — a hash of live interactions plus a list in start order, each call holding its
 * bounded part of its frames (live.h). */
#include "hub/core/live.h"
#include "hub/core/metrics.h"
#include "hub/core/pii_vault.h"
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

/* Every frame a call holds goes through these two: the agentdesk_live_frames gauge. */
static shared_frame *hold(shared_frame *f)
{
    metrics_live_frames(1, (int64_t)f->len);
    return shared_frame_ref(f);
}

static void release(shared_frame *f)
{
    if (!f)
        return;
    metrics_live_frames(-1, -(int64_t)f->len);
    shared_frame_unref(f);
}

static void call_free(live_call *c)
{
    live_call_forget_flags(c);
    for (size_t i = 0; i < c->nframes; i++)
        release(c->frames[i]);
    for (size_t i = 0; i < c->nreplaced; i++)
        release(c->replaced[i].frame);
    free(c->frames);
    free(c->open);
    free(c->turn_open);
    free(c->replaced);
    pii_vault_free(c->vault);
    strset_free(c->done_before);
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

/* Move the frames `drop` (a flag per slot, NULL: none) does not name down over the NULL
 * slots and the dropped ones, the open partials' slots following. */
static void squeeze(live_call *c, const unsigned char *drop)
{
    size_t j = 0, k = 0;
    /* open[] in slot order, so one pass remaps them */
    for (size_t a = 1; a < c->nopen; a++)
        for (size_t b = a; b > 0 && c->open[b - 1].slot > c->open[b].slot; b--) {
            live_open t = c->open[b];
            c->open[b] = c->open[b - 1];
            c->open[b - 1] = t;
        }
    for (size_t i = 0; i < c->nframes; i++) {
        if (!c->frames[i] || (drop && drop[i]))
            continue;
        while (k < c->nopen && c->open[k].slot < i)
            k++;
        if (k < c->nopen && c->open[k].slot == i)
            c->open[k++].slot = j;
        c->frames[j++] = c->frames[i];
    }
    c->nframes = j;
    c->holes = 0;
}

/* Squeeze out the NULL slots once they are the majority, so memory follows the
 * transcript, not the number of partials it went through. */
static void compact(live_call *c)
{
    squeeze(c, NULL);
}

static bool superseded_kind(proto_type ty)
{
    return ty == EV_SENTIMENT || ty == EV_CUSTOMER || ty == EV_CHECKLIST || ty == EV_SUMMARY ||
           ty == EV_HANDOVER;
}

/* Drop the frames before the last LIVE_TAIL_FRAMES that are not state frames (live.h).
 * Only between turns: every frame held is committed, and no undo record names a slot. */
static void trim(live_call *c)
{
    size_t n = c->nframes, tail = 0, cut = n;
    for (size_t i = n; i-- > 0 && tail < LIVE_TAIL_FRAMES;)
        if (c->frames[i]) {
            tail++;
            cut = i;
        }
    unsigned char *drop = mem_zalloc(n ? n : 1, 1);
    bool later[EV__COUNT] = {false};
    size_t suggestions = 0;
    for (size_t i = n; i-- > 0;) {
        if (!c->frames[i])
            continue;
        proto_type ty = live_frame_type(c->frames[i]);
        bool state = ty == EV_INTERACTION_STARTED || ty == EV_FLAG ||
                     (superseded_kind(ty) && !later[ty]) ||
                     (ty == EV_SUGGESTION && suggestions < LIVE_STATE_SUGGESTIONS);
        if (ty < EV__COUNT)
            later[ty] = true;
        suggestions += ty == EV_SUGGESTION;
        drop[i] = i < cut && !state;
    }
    for (size_t k = 0; k < c->nopen; k++)
        drop[c->open[k].slot] = 0; /* an open partial is the line as it stands */
    for (size_t i = 0; i < cut; i++) {
        if (!drop[i] || !c->frames[i])
            continue;
        if (c->frames[i]->seq > c->dropped_upto)
            c->dropped_upto = c->frames[i]->seq;
        c->dropped_lines += live_frame_type(c->frames[i]) == EV_UTTERANCE;
        release(c->frames[i]);
    }
    squeeze(c, drop);
    free(drop);
    c->trim_at = c->nframes + LIVE_TAIL_FRAMES / 2;
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
            c->replaced[c->nreplaced++] = (live_replaced){slot, c->frames[slot]}; /* held still */
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
    c->frames[c->nframes] = hold(f);
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

/* The type named after the frame's leading {"type":", looked up once per frame. */
static proto_type frame_type(const shared_frame *f)
{
    static const char lead[] = "{\"type\":\"";
    const char *d = shared_frame_data(f);
    if (f->len < sizeof lead || memcmp(d, lead, sizeof lead - 1) != 0)
        return EV__COUNT;
    const char *name = d + sizeof lead - 1, *end = memchr(name, '"', f->len - (sizeof lead - 1));
    char buf[48];
    if (!end || (size_t)(end - name) >= sizeof buf)
        return EV__COUNT;
    memcpy(buf, name, (size_t)(end - name));
    buf[end - name] = 0;
    const proto_event_spec *spec = proto_spec_find(buf, PROTO_TO_CONSOLE);
    return spec ? spec->type : EV__COUNT;
}

proto_type live_frame_type(const shared_frame *f)
{
    if (!f->kind)
        ((shared_frame *)f)->kind = (int)frame_type(f) + 1; /* a cache of its fixed bytes */
    return (proto_type)(f->kind - 1);
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
        release(c->replaced[i].frame);
    c->nreplaced = 0;
    free(c->turn_open);
    c->turn_open = NULL;
    c->turn_nopen = 0;
    c->dirty = false;
    /* slots move only here, between turns, so an undo record never points at a moved slot;
     * and only committed frames leave, so a rollback never needs one back */
    if (c->nframes - c->holes > (c->trim_at ? c->trim_at : LIVE_TAIL_FRAMES + LIVE_TAIL_FRAMES / 2))
        trim(c);
    else if (c->holes > 32 && c->holes * 2 > c->nframes)
        compact(c);
}

void live_call_rollback(live_call *c)
{
    if (!c->dirty)
        return;
    for (size_t i = c->turn_nframes; i < c->nframes; i++)
        release(c->frames[i]);
    c->nframes = c->turn_nframes;
    for (size_t i = c->nreplaced; i-- > 0;) {
        live_replaced *r = &c->replaced[i];
        if (r->slot < c->nframes)
            c->frames[r->slot] = r->frame;
        else
            release(r->frame); /* a partial of the failed turn itself */
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
