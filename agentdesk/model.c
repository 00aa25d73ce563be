/* model.c — interactions and their transcripts: the store and what views ask of it. The
 * events are applied in model_apply.c. The per-event work is bounded: a uid lookup in a
 * string map, an append to a block, so the cost of an event does not grow with history. */
#include "agentdesk/model.h"
#include "agentdesk/model_internal.h"
#include "base/mem.h"
#include "base/strmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- interactions ---- */

static void strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

void model_customer_clear(model_ix *ix)
{
    model_customer *c = &ix->customer;
    free(c->id); free(c->name); free(c->tier); free(c->since); free(c->plan); free(c->email);
    free(c->phone);
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < ix->n_history; i++) {
        model_contact *h = &ix->history[i];
        free(h->date); free(h->channel); free(h->reason); free(h->outcome);
    }
    free(ix->history);
    ix->history = NULL;
    ix->n_history = 0;
    for (size_t i = 0; i < ix->n_orders; i++) {
        model_order *o = &ix->orders[i];
        free(o->id); free(o->item); free(o->status); free(o->currency);
    }
    free(ix->orders);
    ix->orders = NULL;
    ix->n_orders = 0;
    ix->has_customer = false;
}

void model_codes_clear(model_ix *ix)
{
    strv_free(ix->codes, ix->n_codes);
    ix->codes = NULL;
    ix->n_codes = 0;
}

static void ix_free(model_ix *ix)
{
    for (uint64_t no = ix->first_no; no < model_line_end(ix); no++) free(model_line_mut(ix, no)->text);
    for (size_t i = 0; i < ix->n_blocks; i++) free(ix->blocks[i]);
    free(ix->blocks);
    strmap_free(ix->uid_index);
    for (size_t i = 0; i < ix->n_flags; i++) {
        model_flag *f = &ix->flags[i];
        free(f->fid); free(f->kind); free(f->text); free(f->rule); free(f->evidence); free(f->uid);
    }
    free(ix->flags);
    for (size_t i = 0; i < ix->n_sugg; i++) model_sugg_clear(&ix->sugg[i]);
    free(ix->sugg);
    for (size_t i = 0; i < ix->n_checks; i++) {
        free(ix->checks[i].id); free(ix->checks[i].label); free(ix->checks[i].by);
    }
    free(ix->checks);
    model_customer_clear(ix);
    model_codes_clear(ix);
    free(ix->summary); free(ix->cl_summary); free(ix->disposition); free(ix->wrap_code); free(ix->end_reason);
    free(ix->hand_text);
    free(ix->iid); free(ix->channel); free(ix->queue); free(ix->agent); free(ix->agent_name);
    free(ix->customer_id); free(ix->customer_name);
    free(ix);
}

void model_sugg_clear(model_suggestion *s)
{
    free(s->sid); free(s->title); free(s->text); free(s->source);
}

void model_init(model *m, size_t scrollback)
{
    memset(m, 0, sizeof *m);
    m->active = (size_t)-1;
    m->scrollback = scrollback ? scrollback : MODEL_DEFAULT_SCROLLBACK;
}

void model_reset(model *m)
{
    for (size_t i = 0; i < m->n_ix; i++) ix_free(m->ix[i]);
    m->n_ix = 0;
    for (size_t i = 0; i < m->n_agents; i++) { free(m->agents[i].agent); free(m->agents[i].name); }
    free(m->agents);
    m->agents = NULL;
    m->n_agents = 0;
    model_metrics_clear(&m->metrics);
    m->active = (size_t)-1;
    m->last_seq = 0;
    m->snap_seq = 0;
    m->version++;
    m->list_version++;
}

void model_free(model *m)
{
    model_reset(m);
    free(m->ix);
    free(m->user); free(m->display_name); free(m->role); free(m->hub_id);
    memset(m, 0, sizeof *m);
}

const model_agent_status *model_agent_status_of(const model *m, const char *agent)
{
    for (size_t i = 0; agent && i < m->n_agents; i++)
        if (strcmp(m->agents[i].agent, agent) == 0) return &m->agents[i];
    return NULL;
}

model_ix *model_find(const model *m, const char *iid)
{
    if (!iid) return NULL;
    for (size_t i = 0; i < m->n_ix; i++)
        if (strcmp(m->ix[i]->iid, iid) == 0) return m->ix[i];
    return NULL;
}

static size_t ix_index(const model *m, const model_ix *ix)
{
    for (size_t i = 0; i < m->n_ix; i++) if (m->ix[i] == ix) return i;
    return (size_t)-1;
}

model_ix *model_active(const model *m)
{
    return m->active < m->n_ix ? m->ix[m->active] : NULL;
}

void model_set_active(model *m, size_t i)
{
    if (i >= m->n_ix) return;
    m->active = i;
    m->ix[i]->unread = 0;
    m->ix[i]->new_flags = 0;
    m->ix[i]->version++;
    m->version++;
    m->list_version++;
}

void model_step_active(model *m, int delta)
{
    if (m->n_ix == 0) return;
    size_t cur = m->active < m->n_ix ? m->active : 0;
    long n = (long)m->n_ix;
    long next = (((long)cur + delta) % n + n) % n;
    model_set_active(m, (size_t)next);
    model_prune(m);
}

static void remove_at(model *m, size_t i)
{
    model_ix *gone = m->ix[i];
    model_ix *act = model_active(m);
    memmove(&m->ix[i], &m->ix[i + 1], (m->n_ix - i - 1) * sizeof *m->ix);
    m->n_ix--;
    ix_free(gone);
    m->active = act && act != gone ? ix_index(m, act) : (m->n_ix ? 0 : (size_t)-1);
    m->version++;
    m->list_version++;
}

void model_prune(model *m)
{
    for (size_t i = 0; i < m->n_ix;) {
        if (m->ix[i]->state == IX_WRAPPED && i != m->active) remove_at(m, i);
        else i++;
    }
}

model_ix *model_ix_get(model *m, const char *iid, unsigned *ch)
{
    model_ix *ix = model_find(m, iid);
    if (ix || !iid) return ix;
    ix = mem_zalloc(1, sizeof *ix);
    ix->iid = mem_strdup(iid);
    /* block pointers only: the lines' blocks come as lines arrive */
    ix->n_blocks = (m->scrollback + MODEL_LINE_BLOCK - 1) / MODEL_LINE_BLOCK + 1;
    ix->blocks = mem_zalloc(ix->n_blocks, sizeof *ix->blocks);
    ix->uid_index = strmap_new();
    ix->state = IX_LIVE;
    if (m->n_ix == m->cap_ix) {
        m->cap_ix = m->cap_ix ? m->cap_ix * 2 : 8;
        m->ix = mem_realloc(m->ix, m->cap_ix * sizeof *m->ix);
    }
    m->ix[m->n_ix++] = ix;
    /* A new interaction takes the screen only when the agent has nothing else open. */
    model_ix *act = model_active(m);
    if (!act || act->state == IX_WRAPPED) {
        model_set_active(m, m->n_ix - 1);
        model_prune(m);
    }
    m->list_version++;
    *ch |= MODEL_CH_LIST | MODEL_CH_HEADER;
    return ix;
}

/* ---- transcript: lines in blocks of MODEL_LINE_BLOCK, a ring of block pointers ---- */

static model_line **block_of(const model_ix *ix, uint64_t no)
{
    return &ix->blocks[(no / MODEL_LINE_BLOCK) % ix->n_blocks];
}

model_line *model_line_mut(model_ix *ix, uint64_t no)
{
    return (model_line *)model_line_at(ix, no);
}

const model_line *model_line_at(const model_ix *ix, uint64_t no)
{
    if (no < ix->first_no || no >= ix->first_no + ix->count) return NULL;
    return &(*block_of(ix, no))[no % MODEL_LINE_BLOCK];
}

uint64_t model_line_end(const model_ix *ix)
{
    return ix->first_no + ix->count;
}

static bool cut_ix(model_ix *ix)
{
    bool changed = false;
    uint64_t end = model_line_end(ix);
    uint64_t from = end - ix->first_no > MODEL_CUT_REACH ? end - MODEL_CUT_REACH : ix->first_no;
    for (uint64_t no = from; no < end; no++) {
        model_line *l = model_line_mut(ix, no);
        if (l->final || l->cut) continue;
        l->cut = true;
        l->version++;
        changed = true;
    }
    if (changed) { ix->transcript_version++; ix->version++; }
    return changed;
}

bool model_cut_partials(model *m, model_ix *ix)
{
    bool changed = false;
    if (ix) changed = cut_ix(ix);
    else for (size_t i = 0; i < m->n_ix; i++) changed |= cut_ix(m->ix[i]);
    if (changed) m->version++;
    return changed;
}

static bool uid_lookup(const model_ix *ix, const char *uid, uint64_t *no)
{
    void *v = uid ? strmap_get(ix->uid_index, uid) : NULL;
    if (!v) return false;
    *no = (uint64_t)(uintptr_t)v - 1;
    return true;
}

const model_line *model_line_by_uid(const model_ix *ix, const char *uid, uint64_t *no)
{
    uint64_t n;
    if (!uid_lookup(ix, uid, &n)) return NULL;
    if (no) *no = n;
    return model_line_at(ix, n);
}

model_line *model_line_by_uid_mut(model_ix *ix, const char *uid, uint64_t *no)
{
    return (model_line *)model_line_by_uid(ix, uid, no);
}

/* Drops the oldest line (and its block once empty). */
static void drop_oldest(model_ix *ix)
{
    uint64_t no = ix->first_no;
    model_line *old = model_line_mut(ix, no);
    uint64_t at;
    if (old->uid && uid_lookup(ix, old->uid, &at) && at == no) strmap_remove(ix->uid_index, old->uid);
    free(old->text);
    ix->first_no++;
    ix->count--;
    if (ix->first_no % MODEL_LINE_BLOCK == 0 || ix->count == 0) {
        model_line **b = block_of(ix, no);
        free(*b);
        *b = NULL;
    }
}

/* One allocation for a line's strings: text, then uid, then who. Any may be NULL (text as ""). */
void model_line_set_strings(model_ix *ix, model_line *l, uint64_t no, const char *text,
                            const char *uid, const char *who)
{
    size_t tl = strlen(text ? text : ""), ul = uid ? strlen(uid) + 1 : 0, wl = who ? strlen(who) + 1 : 0;
    char *buf = mem_alloc(tl + 1 + ul + wl);
    memcpy(buf, text ? text : "", tl + 1);
    char *u = uid ? buf + tl + 1 : NULL, *w = who ? buf + tl + 1 + ul : NULL;
    if (u) memcpy(u, uid, ul);
    if (w) memcpy(w, who, wl);
    bool indexed = false;
    uint64_t at;
    if (l->uid && uid_lookup(ix, l->uid, &at) && at == no) {
        /* the map keeps a pointer to its key: take the old key out before it is freed */
        strmap_remove(ix->uid_index, l->uid);
        indexed = true;
    }
    free(l->text);
    l->text = buf;
    l->uid = u;
    l->who = w;
    if (u && (indexed || !uid_lookup(ix, u, &at) || at != no))
        strmap_put(ix->uid_index, u, (void *)(uintptr_t)(no + 1));
}

model_line *model_line_append(model *m, model_ix *ix, uint64_t *no)
{
    if (ix->count == m->scrollback) drop_oldest(ix);
    uint64_t n = ix->first_no + ix->count;
    model_line **b = block_of(ix, n);
    if (!*b) *b = mem_zalloc(MODEL_LINE_BLOCK, sizeof **b);
    model_line *l = &(*b)[n % MODEL_LINE_BLOCK];
    memset(l, 0, sizeof *l);
    l->offset_ms = -1;
    ix->count++;
    if (m->active >= m->n_ix || m->ix[m->active] != ix) ix->unread++;
    *no = n;
    return l;
}

const char *model_label_name(model_sentiment_label l)
{
    static const char *names[] = {"?", "negative", "neutral", "positive"};
    return (unsigned)l < sizeof names / sizeof *names ? names[l] : "?";
}

const char *model_speaker_name(model_speaker s)
{
    static const char *names[] = {"customer", "agent", "bot", "supervisor", "system"};
    return (unsigned)s < sizeof names / sizeof *names ? names[s] : "system";
}

const char *model_line_speaker_label(const model_line *l, bool narrow)
{
    static const char *simulated[][2] = {
        {"customer (simulated)", "sim cust"}, {"agent (simulated)", "sim agent"},
        {"bot (simulated)", "sim bot"}, {"supervisor (simulated)", "sim sup"},
        {"system (simulated)", "sim sys"}};
    if (l->simulated && l->speaker < sizeof simulated / sizeof *simulated)
        return simulated[l->speaker][narrow];
    return model_speaker_name(l->speaker);
}

int64_t model_resume_point(const model *m)
{
    return m->snap_seq ? 0 : m->last_seq;
}

model_agent_state model_agent_state_of(const model *m)
{
    const model_agent_status *own = m->user ? model_agent_status_of(m, m->user) : NULL;
    if (own && !strcmp(own->state, "break")) return AGENT_BREAK;
    bool wrap = false;
    for (size_t i = 0; i < m->n_ix; i++) {
        if (m->ix[i]->state == IX_LIVE) return AGENT_ON_INTERACTION;
        if (m->ix[i]->state == IX_ENDED) wrap = true;
    }
    return wrap ? AGENT_WRAP_UP : AGENT_AVAILABLE;
}

const char *model_agent_state_name(model_agent_state s)
{
    static const char *names[] = {"AVAILABLE", "ON INTERACTION", "WRAP-UP", "ON BREAK"};
    return names[s];
}

model_suggestion *model_suggestion_nth(model_ix *ix, size_t n)
{
    for (size_t i = 0; i < ix->n_sugg; i++) {
        if (ix->sugg[i].dismissed) continue;
        if (n-- == 0) return &ix->sugg[i];
    }
    return NULL;
}

void model_suggestion_feedback(model *m, model_ix *ix, model_suggestion *sg, bool used)
{
    if (used) sg->used = true;
    else sg->dismissed = true;
    ix->version++;
    m->version++;
}

size_t model_suggestion_count(const model_ix *ix)
{
    size_t n = 0;
    for (size_t i = 0; i < ix->n_sugg; i++) n += !ix->sugg[i].dismissed;
    return n;
}

size_t model_checks_done(const model_ix *ix)
{
    size_t n = 0;
    for (size_t i = 0; i < ix->n_checks; i++) n += ix->checks[i].done;
    return n;
}

size_t model_trend_count(const model_ix *ix)
{
    return ix->n_trend < MODEL_TREND_POINTS ? ix->n_trend : MODEL_TREND_POINTS;
}

double model_trend_at(const model_ix *ix, size_t i)
{
    size_t n = model_trend_count(ix);
    if (i >= n) return 0;
    size_t start = ix->n_trend - n;
    return ix->trend[(start + i) % MODEL_TREND_POINTS];
}
