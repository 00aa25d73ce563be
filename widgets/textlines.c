/* textlines.c — an owned ring of lines behind a textview_source (see textlines.h). */
#include "widgets/textlines.h"
#include "base/mem.h"
#include "base/strmap.h"

#include <stdlib.h>
#include <string.h>

struct textlines {
    textview_line *ring;
    size_t capacity;
    uint64_t first, end;
    strmap *keys;               /* key -> line number + 1 */
    unsigned version;
};

static char *dup_nonempty(const char *s)
{
    return s && *s ? mem_strdup(s) : NULL;
}

static textview_line *at(const textlines *tl, uint64_t seq)
{
    return &tl->ring[seq % tl->capacity];
}

static void line_free(textview_line *l)
{
    free((char *)l->key);
    free((char *)l->offset);
    free((char *)l->label);
    free((char *)l->text);
    memset(l, 0, sizeof *l);
}

/* Fills l with copies of `line` (the key is kept: it is what the map points at). */
static void line_fill(textlines *tl, textview_line *l, const textview_line *line)
{
    free((char *)l->offset);
    free((char *)l->label);
    free((char *)l->text);
    l->offset = dup_nonempty(line->offset);
    l->label = dup_nonempty(line->label);
    l->text = mem_strdup(line->text ? line->text : "");
    l->text_len = strlen(l->text);
    l->label_item = line->label_item;
    l->flags = line->flags;
    l->version = ++tl->version;
}

textlines *textlines_new(size_t capacity)
{
    textlines *tl = mem_zalloc(1, sizeof *tl);
    tl->capacity = capacity ? capacity : 10000;
    tl->ring = mem_zalloc(tl->capacity, sizeof *tl->ring);
    tl->keys = strmap_new();
    return tl;
}

void textlines_clear(textlines *tl)
{
    for (uint64_t s = tl->first; s < tl->end; s++) {
        textview_line *l = at(tl, s);
        if (l->key) strmap_remove(tl->keys, l->key);
        line_free(l);
    }
    tl->first = tl->end;
}

void textlines_free(textlines *tl)
{
    if (!tl) return;
    textlines_clear(tl);
    strmap_free(tl->keys);
    free(tl->ring);
    free(tl);
}

const textview_line *textlines_get(const textlines *tl, uint64_t seq)
{
    return seq >= tl->first && seq < tl->end ? at(tl, seq) : NULL;
}

const textview_line *textlines_find_key(const textlines *tl, const char *key, uint64_t *seq)
{
    void *v = key && *key ? strmap_get(tl->keys, key) : NULL;
    if (!v) return NULL;
    uint64_t s = (uint64_t)(uintptr_t)v - 1;
    if (seq) *seq = s;
    return at(tl, s);
}

uint64_t textlines_put(textlines *tl, const textview_line *line)
{
    uint64_t seq;
    textview_line *held = (textview_line *)textlines_find_key(tl, line->key, &seq);
    if (held) {
        line_fill(tl, held, line);
        return seq;
    }
    if (tl->end - tl->first == tl->capacity) {
        textview_line *old = at(tl, tl->first++);
        if (old->key) strmap_remove(tl->keys, old->key);
        line_free(old);
    }
    seq = tl->end++;
    textview_line *l = at(tl, seq);
    memset(l, 0, sizeof *l);
    line_fill(tl, l, line);
    l->key = dup_nonempty(line->key);
    if (l->key) strmap_put(tl->keys, l->key, (void *)(uintptr_t)(seq + 1));
    return seq;
}

static uint64_t src_first(void *ctx) { return ((textlines *)ctx)->first; }
static uint64_t src_end(void *ctx) { return ((textlines *)ctx)->end; }

static bool src_get(void *ctx, uint64_t no, textview_line *out)
{
    const textview_line *l = textlines_get(ctx, no);
    if (!l) return false;
    *out = *l;
    return true;
}

textview_source textlines_source(textlines *tl)
{
    return (textview_source){ .first = src_first, .end = src_end, .get = src_get, .ctx = tl };
}
