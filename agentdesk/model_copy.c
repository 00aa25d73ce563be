/* model_copy.c — a deep copy of the model (see model_copy.h). It lives beside the store
 * because it must know how lines are kept (blocks in a ring, a uid index keyed by the
 * lines' own strings). */
#include "agentdesk/model_copy.h"
#include "agentdesk/model_internal.h"
#include "base/mem.h"
#include "base/strmap.h"

#include <string.h>

static char *dup_or_null(const char *s) { return s ? mem_strdup(s) : NULL; }

static void *dup_array(const void *src, size_t n, size_t size)
{
    if (!src || n == 0) return NULL;
    void *p = mem_alloc(n * size);
    memcpy(p, src, n * size);
    return p;
}

static void copy_lines(model_ix *d, const model_ix *s)
{
    d->blocks = mem_zalloc(s->n_blocks, sizeof *d->blocks);
    for (uint64_t no = s->first_no; no < model_line_end(s); no++) {
        model_line **b = &d->blocks[(no / MODEL_LINE_BLOCK) % d->n_blocks];
        if (!*b) *b = mem_zalloc(MODEL_LINE_BLOCK, sizeof **b);
        const model_line *sl = model_line_at(s, no);
        model_line *dl = &(*b)[no % MODEL_LINE_BLOCK];
        *dl = *sl;
        /* text, uid and who are one allocation, as model_line_set_strings makes them */
        size_t tl = strlen(sl->text), ul = sl->uid ? strlen(sl->uid) + 1 : 0;
        size_t wl = sl->who ? strlen(sl->who) + 1 : 0;
        char *buf = mem_alloc(tl + 1 + ul + wl);
        memcpy(buf, sl->text, tl + 1);
        dl->text = buf;
        dl->uid = sl->uid ? memcpy(buf + tl + 1, sl->uid, ul) : NULL;
        dl->who = sl->who ? memcpy(buf + tl + 1 + ul, sl->who, wl) : NULL;
    }
}

typedef struct { model_ix *d; } uid_ctx;

/* The map keeps a pointer to its key: the copy's keys are the copied lines' uids. */
static void copy_uid(const char *key, void *value, void *ctx)
{
    model_ix *d = ((uid_ctx *)ctx)->d;
    uint64_t no = (uint64_t)(uintptr_t)value - 1;
    const model_line *l = model_line_at(d, no);
    if (l && l->uid && strcmp(l->uid, key) == 0) strmap_put(d->uid_index, l->uid, value);
}

static char **copy_strv(char *const *v, size_t n)
{
    if (!v || n == 0) return NULL;
    char **out = mem_alloc(n * sizeof *out);
    for (size_t i = 0; i < n; i++) out[i] = dup_or_null(v[i]);
    return out;
}

static model_ix *copy_ix(const model_ix *s)
{
    model_ix *d = mem_alloc(sizeof *d);
    *d = *s;
    d->iid = dup_or_null(s->iid); d->channel = dup_or_null(s->channel);
    d->queue = dup_or_null(s->queue); d->agent = dup_or_null(s->agent);
    d->agent_name = dup_or_null(s->agent_name); d->customer_id = dup_or_null(s->customer_id);
    d->customer_name = dup_or_null(s->customer_name); d->end_reason = dup_or_null(s->end_reason);
    copy_lines(d, s);
    d->uid_index = strmap_new();
    uid_ctx c = {d};
    strmap_each(s->uid_index, copy_uid, &c);
    d->flags = dup_array(s->flags, s->n_flags, sizeof *s->flags);
    for (size_t i = 0; i < s->n_flags; i++) {
        model_flag *f = &d->flags[i];
        f->fid = dup_or_null(f->fid); f->kind = dup_or_null(f->kind); f->text = dup_or_null(f->text);
        f->rule = dup_or_null(f->rule); f->evidence = dup_or_null(f->evidence); f->uid = dup_or_null(f->uid);
    }
    d->sugg = dup_array(s->sugg, s->n_sugg, sizeof *s->sugg);
    for (size_t i = 0; i < s->n_sugg; i++) {
        model_suggestion *g = &d->sugg[i];
        g->sid = dup_or_null(g->sid); g->title = dup_or_null(g->title);
        g->text = dup_or_null(g->text); g->source = dup_or_null(g->source);
    }
    d->checks = dup_array(s->checks, s->n_checks, sizeof *s->checks);
    for (size_t i = 0; i < s->n_checks; i++) {
        model_check_item *k = &d->checks[i];
        k->id = dup_or_null(k->id); k->label = dup_or_null(k->label); k->by = dup_or_null(k->by);
    }
    model_customer *cu = &d->customer;
    cu->id = dup_or_null(cu->id); cu->name = dup_or_null(cu->name); cu->tier = dup_or_null(cu->tier);
    cu->since = dup_or_null(cu->since); cu->plan = dup_or_null(cu->plan);
    cu->email = dup_or_null(cu->email); cu->phone = dup_or_null(cu->phone);
    d->history = dup_array(s->history, s->n_history, sizeof *s->history);
    for (size_t i = 0; i < s->n_history; i++) {
        model_contact *h = &d->history[i];
        h->date = dup_or_null(h->date); h->channel = dup_or_null(h->channel);
        h->reason = dup_or_null(h->reason); h->outcome = dup_or_null(h->outcome);
    }
    d->orders = dup_array(s->orders, s->n_orders, sizeof *s->orders);
    for (size_t i = 0; i < s->n_orders; i++) {
        model_order *o = &d->orders[i];
        o->id = dup_or_null(o->id); o->item = dup_or_null(o->item);
        o->status = dup_or_null(o->status); o->currency = dup_or_null(o->currency);
    }
    d->summary = dup_or_null(s->summary); d->cl_summary = dup_or_null(s->cl_summary);
    d->disposition = dup_or_null(s->disposition);
    d->codes = copy_strv(s->codes, s->n_codes);
    d->wrap_code = dup_or_null(s->wrap_code); d->hand_text = dup_or_null(s->hand_text);
    return d;
}

void model_copy(model *dst, const model *src)
{
    *dst = *src;
    dst->ix = src->cap_ix ? mem_zalloc(src->cap_ix, sizeof *dst->ix) : NULL;
    for (size_t i = 0; i < src->n_ix; i++) dst->ix[i] = copy_ix(src->ix[i]);
    dst->user = dup_or_null(src->user); dst->display_name = dup_or_null(src->display_name);
    dst->role = dup_or_null(src->role); dst->hub_id = dup_or_null(src->hub_id);
}
