/* checklist.c — per-queue compliance checklists (see checklist.h). */
#include "hub/assist/checklist.h"
#include "hub/assist/datafile.h"
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

#include "hub/assist/wordset.h"

#define CHECKLIST_MAX_ITEMS 100
#define CHECKLIST_TEXT_MAX 8192

typedef struct {
    char *id, *label;
    char **phrases;    /* normalised, " … " padded */
    wordset_phrase *words;  /* phrases[i]'s words: a phrase a word of which is absent is skipped */
    size_t nphrases;
} item_def;

typedef struct {
    char *queue;
    item_def *items;
    size_t nitems;
} queue_def;

struct checklist_set {
    queue_def *queues;
    size_t nqueues;
};

typedef enum { BY_NONE, BY_PHRASE, BY_HAND } tick_by;

struct checklist {
    const queue_def *q;
    bool done[CHECKLIST_MAX_ITEMS];
    tick_by by[CHECKLIST_MAX_ITEMS];
};

static const char *const by_names[] = {"", "phrase", "hand"};

void checklist_normalise(const char *text, char *out, size_t outlen)
{
    size_t o = 0;
    if (outlen < 3) {
        if (outlen)
            out[0] = 0;
        return;
    }
    out[o++] = ' ';
    for (const unsigned char *p = (const unsigned char *)text; *p && o + 2 < outlen; p++) {
        unsigned char c = *p;
        if (c == '\'')
            continue;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
        if (keep)
            out[o++] = (char)c;
        else if (out[o - 1] != ' ')
            out[o++] = ' ';
    }
    /* a cut inside a UTF-8 sequence at the limit is dropped */
    o = text_complete_len(out, o);
    if (out[o - 1] != ' ')
        out[o++] = ' ';
    out[o] = 0;
}

void checklist_set_free(checklist_set *set)
{
    if (!set)
        return;
    for (size_t q = 0; q < set->nqueues; q++) {
        queue_def *qd = &set->queues[q];
        for (size_t i = 0; i < qd->nitems; i++) {
            free(qd->items[i].id);
            free(qd->items[i].label);
            for (size_t p = 0; p < qd->items[i].nphrases; p++)
                free(qd->items[i].phrases[p]);
            free(qd->items[i].phrases);
            free(qd->items[i].words);
        }
        free(qd->items);
        free(qd->queue);
    }
    free(set->queues);
    free(set);
}

checklist_set *checklist_set_from_json(const json_t *root, char *err, size_t errlen)
{
    if (!json_is_object(root)) {
        snprintf(err, errlen, "checklists.json: expected an object of queues");
        return NULL;
    }
    checklist_set *set = mem_zalloc(1, sizeof *set);
    set->queues = mem_zalloc(json_object_size(root), sizeof *set->queues);
    const char *qname;
    json_t *arr;
    json_object_foreach((json_t *)root, qname, arr) {
        if (!json_is_array(arr) || json_array_size(arr) > CHECKLIST_MAX_ITEMS) {
            snprintf(err, errlen, "checklists.json: queue \"%.64s\": expected an array of at most %d items",
                     qname, CHECKLIST_MAX_ITEMS);
            checklist_set_free(set);
            return NULL;
        }
        queue_def *qd = &set->queues[set->nqueues++];
        qd->queue = mem_strdup(qname);
        qd->items = mem_zalloc(json_array_size(arr), sizeof *qd->items);
        size_t i;
        json_t *it;
        json_array_foreach(arr, i, it) {
            const char *id = json_string_value(json_object_get(it, "id"));
            const char *label = json_string_value(json_object_get(it, "label"));
            json_t *phrases = json_object_get(it, "phrases");
            if (!id || !*id || !label || (phrases && !json_is_array(phrases))) {
                snprintf(err, errlen, "checklists.json: queue \"%.64s\" item %zu: needs id, label and a phrases array",
                         qname, i + 1);
                checklist_set_free(set);
                return NULL;
            }
            item_def *d = &qd->items[qd->nitems++];
            d->id = mem_strdup(id);
            d->label = mem_strdup(label);
            d->phrases = mem_zalloc(json_array_size(phrases), sizeof *d->phrases);
            d->words = mem_zalloc(json_array_size(phrases), sizeof *d->words);
            size_t p;
            json_t *ph;
            json_array_foreach(phrases, p, ph) {
                const char *s = json_string_value(ph);
                if (!s)
                    continue;
                char norm[512];
                checklist_normalise(s, norm, sizeof norm);
                if (strlen(norm) > 2) {
                    wordset_phrase_of(norm, &d->words[d->nphrases]);
                    d->phrases[d->nphrases++] = mem_strdup(norm);
                }
            }
        }
    }
    return set;
}

checklist_set *checklist_set_load(const char *path, char *err, size_t errlen)
{
    json_t *root = datafile_load_json(path, err, errlen);
    if (!root)
        return NULL;
    checklist_set *set = checklist_set_from_json(root, err, errlen);
    json_decref(root);
    return set;
}

static const queue_def *find_queue(const checklist_set *set, const char *queue)
{
    for (size_t q = 0; q < set->nqueues; q++)
        if (queue && !strcmp(set->queues[q].queue, queue))
            return &set->queues[q];
    for (size_t q = 0; q < set->nqueues; q++)
        if (!strcmp(set->queues[q].queue, "default"))
            return &set->queues[q];
    return NULL;
}

checklist *checklist_new(const checklist_set *set, const char *queue)
{
    checklist *c = mem_zalloc(1, sizeof *c);
    c->q = set ? find_queue(set, queue) : NULL;
    return c;
}

void checklist_free(checklist *c)
{
    free(c);
}

size_t checklist_count(const checklist *c)
{
    return c->q ? c->q->nitems : 0;
}

const char *checklist_item_id(const checklist *c, size_t i)
{
    return c->q && i < c->q->nitems ? c->q->items[i].id : NULL;
}

bool checklist_on_agent(checklist *c, const char *text)
{
    if (!c->q)
        return false;
    char norm[CHECKLIST_TEXT_MAX + 3];
    wordset words;
    bool changed = false, normalised = false;
    for (size_t i = 0; i < c->q->nitems; i++) {
        if (c->done[i])
            continue;
        if (!normalised) {
            checklist_normalise(text, norm, sizeof norm);
            wordset_fill(&words, norm);
            normalised = true;
        }
        for (size_t p = 0; p < c->q->items[i].nphrases; p++)
            if (wordset_may_hold(&words, &c->q->items[i].words[p]) &&
                strstr(norm, c->q->items[i].phrases[p])) {
                c->done[i] = true;
                c->by[i] = BY_PHRASE;
                changed = true;
                break;
            }
    }
    return changed;
}

static long find_item(const checklist *c, const char *item)
{
    for (size_t i = 0; c->q && item && i < c->q->nitems; i++)
        if (!strcmp(c->q->items[i].id, item))
            return (long)i;
    return -1;
}

bool checklist_tick(checklist *c, const char *item, bool done)
{
    long i = find_item(c, item);
    if (i < 0 || c->done[i] == done)
        return false;
    c->done[i] = done;
    c->by[i] = done ? BY_HAND : BY_NONE;
    return true;
}

int checklist_state(const checklist *c, const char *item, const char **by)
{
    long i = find_item(c, item);
    if (i < 0)
        return -1;
    if (by)
        *by = by_names[c->by[i]];
    return c->done[i] ? 1 : 0;
}

json_t *checklist_items_json(const checklist *c)
{
    json_t *items = json_array();
    /* key by key, not json_pack (its format parsed for every item of every checklist event);
     * as json_pack, an item with a value that cannot be made is left out */
    for (size_t i = 0; c->q && i < c->q->nitems; i++) {
        json_t *item = json_object(), *v[4] = {json_string(c->q->items[i].id), json_string(c->q->items[i].label),
                                                json_boolean(c->done[i]), json_string(by_names[c->by[i]])};
        static const char *const keys[4] = {"id", "label", "done", "by"};
        bool ok = item != NULL;
        for (int k = 0; k < 4; k++) {
            if (ok && v[k])
                ok = json_object_set_new_nocheck(item, keys[k], v[k]) == 0;   /* v[k] is the item's */
            else {
                ok = false;
                json_decref(v[k]);
            }
        }
        if (!ok) {
            json_decref(item);
            item = NULL;
        }
        json_array_append_new(items, item);
    }
    return items;
}

void checklist_save(const checklist *c, snap_w *w)
{
    size_t n = checklist_count(c);
    snap_put_u64(w, sizeof(tick_by));
    snap_put_u64(w, n);
    for (size_t i = 0; i < n; i++)
        snap_put_str(w, checklist_item_id(c, i));
    snap_put(w, c->done, sizeof c->done);
    snap_put(w, c->by, sizeof c->by);
}

bool checklist_load(checklist *c, snap_r *r)
{
    size_t n = checklist_count(c);
    if (!snap_expect(r, sizeof(tick_by)) || !snap_expect(r, n))
        return false;
    for (size_t i = 0; i < n && !r->bad; i++) {
        char *id = snap_get_str(r);
        if (!id || strcmp(id, checklist_item_id(c, i)) != 0)
            r->bad = true;
        free(id);
    }
    snap_get(r, c->done, sizeof c->done);
    snap_get(r, c->by, sizeof c->by);
    return !r->bad;
}
