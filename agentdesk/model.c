/* model.c — interactions and their transcripts, built from decoded hub events.
 * The per-event work is bounded: a uid lookup in a hash, an append to a ring, so the cost
 * of an event does not grow with history. */
#include "agentdesk/model.h"
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- uid -> line number index (chained hash; few hundred live uids at most) ---- */

typedef struct uid_node {
    struct uid_node *next;
    uint64_t no;
    char uid[];
} uid_node;

typedef struct {
    uid_node **bucket;
    size_t n_bucket, n;
} uid_index;

static size_t uid_hash(const char *s)
{
    size_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static uid_index *uid_index_new(void)
{
    uid_index *x = mem_zalloc(1, sizeof *x);
    x->n_bucket = 256;
    x->bucket = mem_zalloc(x->n_bucket, sizeof *x->bucket);
    return x;
}

static void uid_index_free(uid_index *x)
{
    if (!x) return;
    for (size_t i = 0; i < x->n_bucket; i++) {
        uid_node *n = x->bucket[i];
        while (n) { uid_node *next = n->next; free(n); n = next; }
    }
    free(x->bucket);
    free(x);
}

static uid_node **uid_slot(uid_index *x, const char *uid)
{
    uid_node **p = &x->bucket[uid_hash(uid) & (x->n_bucket - 1)];
    while (*p && strcmp((*p)->uid, uid) != 0) p = &(*p)->next;
    return p;
}

static void uid_index_grow(uid_index *x)
{
    size_t nb = x->n_bucket * 2;
    uid_node **b = mem_zalloc(nb, sizeof *b);
    for (size_t i = 0; i < x->n_bucket; i++) {
        uid_node *n = x->bucket[i];
        while (n) {
            uid_node *next = n->next;
            size_t h = uid_hash(n->uid) & (nb - 1);
            n->next = b[h];
            b[h] = n;
            n = next;
        }
    }
    free(x->bucket);
    x->bucket = b;
    x->n_bucket = nb;
}

static void uid_index_put(uid_index *x, const char *uid, uint64_t no)
{
    uid_node **p = uid_slot(x, uid);
    if (*p) { (*p)->no = no; return; }
    size_t len = strlen(uid);
    uid_node *n = mem_alloc(sizeof *n + len + 1);
    memcpy(n->uid, uid, len + 1);
    n->no = no;
    n->next = NULL;
    *p = n;
    if (++x->n > x->n_bucket) uid_index_grow(x);
}

static bool uid_index_get(uid_index *x, const char *uid, uint64_t *no)
{
    uid_node **p = uid_slot(x, uid);
    if (!*p) return false;
    *no = (*p)->no;
    return true;
}

static void uid_index_del(uid_index *x, const char *uid)
{
    uid_node **p = uid_slot(x, uid);
    if (!*p) return;
    uid_node *n = *p;
    *p = n->next;
    free(n);
    x->n--;
}

/* ---- interactions ---- */

static void line_clear(model_line *l)
{
    free(l->uid);
    free(l->who);
    free(l->text);
    memset(l, 0, sizeof *l);
}

static void ix_free(model_ix *ix)
{
    for (size_t i = 0; i < ix->count; i++) line_clear(&ix->lines[(ix->head + i) % ix->cap]);
    free(ix->lines);
    uid_index_free(ix->uid_index);
    for (size_t i = 0; i < ix->n_flags; i++) {
        model_flag *f = &ix->flags[i];
        free(f->fid); free(f->kind); free(f->text); free(f->rule); free(f->evidence); free(f->uid);
    }
    free(ix->flags);
    for (size_t i = 0; i < ix->n_sugg; i++) {
        model_suggestion *s = &ix->sugg[i];
        free(s->sid); free(s->title); free(s->text); free(s->source);
    }
    free(ix->sugg);
    for (size_t i = 0; i < ix->n_checks; i++) {
        free(ix->checks[i].id); free(ix->checks[i].label); free(ix->checks[i].by);
    }
    free(ix->checks);
    if (ix->customer) json_decref(ix->customer);
    if (ix->history) json_decref(ix->history);
    if (ix->orders) json_decref(ix->orders);
    if (ix->codes) json_decref(ix->codes);
    free(ix->summary); free(ix->disposition); free(ix->wrap_code); free(ix->end_reason);
    free(ix->iid); free(ix->channel); free(ix->queue); free(ix->agent); free(ix->agent_name);
    free(ix->customer_id); free(ix->customer_name);
    free(ix);
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

static void set_str(char **dst, const char *src)
{
    if (!src) return;
    if (*dst && strcmp(*dst, src) == 0) return;
    free(*dst);
    *dst = mem_strdup(src);
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

static model_ix *ix_get(model *m, const char *iid, unsigned *ch)
{
    model_ix *ix = model_find(m, iid);
    if (ix || !iid) return ix;
    ix = mem_zalloc(1, sizeof *ix);
    ix->iid = mem_strdup(iid);
    ix->cap = 64 < m->scrollback ? 64 : m->scrollback;
    ix->lines = mem_zalloc(ix->cap, sizeof *ix->lines);
    ix->uid_index = uid_index_new();
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

/* ---- transcript ---- */

const model_line *model_line_at(const model_ix *ix, uint64_t no)
{
    if (no < ix->first_no || no >= ix->first_no + ix->count) return NULL;
    return &ix->lines[(ix->head + (no - ix->first_no)) % ix->cap];
}

uint64_t model_line_end(const model_ix *ix)
{
    return ix->first_no + ix->count;
}

const model_line *model_line_by_uid(const model_ix *ix, const char *uid, uint64_t *no)
{
    uint64_t n;
    if (!uid || !uid_index_get(ix->uid_index, uid, &n)) return NULL;
    if (no) *no = n;
    return model_line_at(ix, n);
}

static model_line *line_mut(model_ix *ix, uint64_t no)
{
    return (model_line *)model_line_at(ix, no);
}

static model_line *line_append(model *m, model_ix *ix)
{
    if (ix->count == ix->cap && ix->cap < m->scrollback) {
        size_t ncap = ix->cap * 2 < m->scrollback ? ix->cap * 2 : m->scrollback;
        model_line *nl = mem_zalloc(ncap, sizeof *nl);
        for (size_t i = 0; i < ix->count; i++) nl[i] = ix->lines[(ix->head + i) % ix->cap];
        free(ix->lines);
        ix->lines = nl;
        ix->cap = ncap;
        ix->head = 0;
    }
    if (ix->count == ix->cap) {
        model_line *old = &ix->lines[ix->head];
        if (old->uid) {
            uint64_t no;
            if (uid_index_get(ix->uid_index, old->uid, &no) && no == ix->first_no)
                uid_index_del(ix->uid_index, old->uid);
        }
        line_clear(old);
        ix->head = (ix->head + 1) % ix->cap;
        ix->count--;
        ix->first_no++;
    }
    model_line *l = &ix->lines[(ix->head + ix->count) % ix->cap];
    memset(l, 0, sizeof *l);
    l->offset_ms = -1;
    ix->count++;
    if (m->active >= m->n_ix || m->ix[m->active] != ix) ix->unread++;
    return l;
}

static model_line *line_event(model *m, model_ix *ix, model_line_kind kind, model_speaker sp,
                              const char *who, const char *text, int64_t seq)
{
    model_line *l = line_append(m, ix);
    l->kind = kind;
    l->speaker = sp;
    l->who = who ? mem_strdup(who) : NULL;
    l->text = mem_strdup(text ? text : "");
    l->final = true;
    l->seq = seq;
    l->version = 1;
    /* lines without an offset of their own are placed by the event's time */
    if (m->cur_ts > 0 && ix->started_ms > 0 && m->cur_ts >= ix->started_ms)
        l->offset_ms = m->cur_ts - ix->started_ms;
    ix->transcript_version++;
    return l;
}

static model_speaker speaker_of(const char *s)
{
    static const struct { const char *name; model_speaker sp; } table[] = {
        {"customer", SPEAKER_CUSTOMER}, {"agent", SPEAKER_AGENT}, {"bot", SPEAKER_BOT},
        {"supervisor", SPEAKER_SUPERVISOR},
    };
    for (size_t i = 0; s && i < sizeof table / sizeof *table; i++)
        if (strcmp(table[i].name, s) == 0) return table[i].sp;
    return SPEAKER_SYSTEM;
}

const char *model_speaker_name(model_speaker s)
{
    static const char *names[] = {"customer", "agent", "bot", "supervisor", "system"};
    return (unsigned)s < sizeof names / sizeof *names ? names[s] : "system";
}

/* ---- event handlers, one per event type (table below) ---- */

typedef unsigned (*apply_fn)(model *m, model_ix *ix, const proto_event *ev, int64_t seq);

static void copy_ix_fields(model_ix *ix, const proto_event *ev)
{
    set_str(&ix->channel, proto_str(ev, "channel"));
    set_str(&ix->queue, proto_str(ev, "queue"));
    set_str(&ix->agent, proto_str(ev, "agent"));
    set_str(&ix->agent_name, proto_str(ev, "agent_name"));
    set_str(&ix->customer_id, proto_str(ev, "customer_id"));
    set_str(&ix->customer_name, proto_str(ev, "customer_name"));
    int64_t st = proto_int(ev, "started_ms", 0);
    if (st) ix->started_ms = st;
}

static unsigned on_started(model *m, model_ix *ix, const proto_event *ev, int64_t seq)
{
    (void)m; (void)seq;
    copy_ix_fields(ix, ev);
    return MODEL_CH_LIST | MODEL_CH_HEADER;
}

static unsigned on_utterance(model *m, model_ix *ix, const proto_event *ev, int64_t seq)
{
    const char *uid = proto_str(ev, "uid");
    const char *text = proto_str(ev, "text");
    bool final = proto_bool(ev, "final", false);
    uint64_t no;
    model_line *l = NULL;
    if (uid && uid_index_get(ix->uid_index, uid, &no)) l = line_mut(ix, no);
    if (l) {
        /* a late partial never undoes the final already shown */
        if (l->final && !final) return MODEL_CH_NONE;
        free(l->text);
        l->text = mem_strdup(text ? text : "");
        l->final = final;
        l->seq = seq;
        l->version++;
    } else {
        l = line_append(m, ix);
        l->kind = LINE_UTTERANCE;
        l->uid = uid ? mem_strdup(uid) : NULL;
        l->text = mem_strdup(text ? text : "");
        l->speaker = speaker_of(proto_str(ev, "speaker"));
        l->final = final;
        l->seq = seq;
        l->offset_ms = proto_int(ev, "offset_ms", -1);
        l->version = 1;
        if (uid) uid_index_put(ix->uid_index, uid, model_line_end(ix) - 1);
    }
    ix->transcript_version++;
    return MODEL_CH_TRANSCRIPT | MODEL_CH_LIST;
}

static model_sentiment_label label_of(const char *s)
{
    if (!s) return SENT_NONE;
    if (strcmp(s, "negative") == 0) return SENT_NEGATIVE;
    if (strcmp(s, "positive") == 0) return SENT_POSITIVE;
    return SENT_NEUTRAL;
}

static unsigned on_sentiment(model *m, model_ix *ix, const proto_event *ev, int64_t seq)
{
    (void)m; (void)seq;
    const char *uid = proto_str(ev, "uid");
    uint64_t no;
    model_line *l = NULL;
    if (uid && uid_index_get(ix->uid_index, uid, &no)) l = line_mut(ix, no);
    double score = proto_num(ev, "score", 0);
    if (l) {
        l->label = label_of(proto_str(ev, "label"));
        l->score = score;
        l->version++;
        ix->transcript_version++;
    }
    if (!l || l->speaker == SPEAKER_CUSTOMER) {
        double trend = proto_num(ev, "trend", score);
        ix->trend[ix->n_trend % MODEL_TREND_POINTS] = trend;
        ix->n_trend++;
        ix->last_score = score;
        ix->last_trend = trend;
        ix->last_slope = proto_num(ev, "slope", 0);
        ix->has_sentiment = true;
    }
    return MODEL_CH_SENTIMENT | MODEL_CH_TRANSCRIPT | MODEL_CH_LIST;
}

static unsigned on_flag(model *m, model_ix *ix, const proto_event *ev, int64_t seq)
{
    (void)seq;
    const char *fid = proto_str(ev, "fid");
    for (size_t i = 0; fid && i < ix->n_flags; i++)
        if (strcmp(ix->flags[i].fid, fid) == 0) return MODEL_CH_NONE;
    ix->flags = mem_realloc(ix->flags, (ix->n_flags + 1) * sizeof *ix->flags);
    model_flag *f = &ix->flags[ix->n_flags++];
    memset(f, 0, sizeof *f);
    f->fid = mem_strdup(fid ? fid : "");
    f->kind = mem_strdup(proto_str(ev, "kind") ? proto_str(ev, "kind") : "flag");
    f->text = mem_strdup(proto_str(ev, "text") ? proto_str(ev, "text") : "");
    f->rule = mem_strdup(proto_str(ev, "rule") ? proto_str(ev, "rule") : "");
    f->evidence = mem_strdup(proto_str(ev, "evidence") ? proto_str(ev, "evidence") : "");
    f->uid = proto_str(ev, "uid") ? mem_strdup(proto_str(ev, "uid")) : NULL;
    f->severity = (int)proto_int(ev, "severity", 1);
    f->offset_ms = proto_int(ev, "offset_ms", -1);
    f->is_new = true;
    if (model_active(m) != ix) ix->new_flags++;
    return MODEL_CH_FLAGS | MODEL_CH_LIST;
}

#define MODEL_MAX_SUGGESTIONS 32

static void sugg_clear(model_suggestion *s)
{
    free(s->sid); free(s->title); free(s->text); free(s->source);
}

static unsigned on_suggestion(model *m, model_ix *ix, const proto_event *ev, int64_t seq)
{
    (void)m; (void)seq;
    const char *sid = proto_str(ev, "sid");
    if (!sid) return MODEL_CH_NONE;
    for (size_t i = 0; i < ix->n_sugg; i++) {
        if (strcmp(ix->sugg[i].sid, sid) == 0) {
            /* the same article again: refresh its text, keep the agent's dismissal */
            set_str(&ix->sugg[i].title, proto_str(ev, "title"));
            set_str(&ix->sugg[i].text, proto_str(ev, "text"));
            ix->sugg[i].score = proto_num(ev, "score", 0);
            return MODEL_CH_SUGGESTIONS;
        }
    }
    if (ix->n_sugg == MODEL_MAX_SUGGESTIONS) sugg_clear(&ix->sugg[--ix->n_sugg]);
    ix->sugg = mem_realloc(ix->sugg, (ix->n_sugg + 1) * sizeof *ix->sugg);
    memmove(&ix->sugg[1], &ix->sugg[0], ix->n_sugg * sizeof *ix->sugg);
    model_suggestion *s = &ix->sugg[0];
    memset(s, 0, sizeof *s);
    s->sid = mem_strdup(sid);
    s->title = mem_strdup(proto_str(ev, "title") ? proto_str(ev, "title") : "");
    s->text = mem_strdup(proto_str(ev, "text") ? proto_str(ev, "text") : "");
    s->source = mem_strdup(proto_str(ev, "source") ? proto_str(ev, "source") : "");
    s->score = proto_num(ev, "score", 0);
    ix->n_sugg++;
    return MODEL_CH_SUGGESTIONS;
}

static void replace_json(json_t **dst, json_t *src)
{
    if (*dst) json_decref(*dst);
    *dst = src ? json_incref(src) : NULL;
}

static unsigned on_customer(model *m, model_ix *ix, const proto_event *ev, int64_t seq)
{
    (void)m; (void)seq;
    replace_json(&ix->customer, proto_json(ev, "customer"));
    replace_json(&ix->history, proto_json(ev, "history"));
    replace_json(&ix->orders, proto_json(ev, "orders"));
    if (!ix->customer_name && ix->customer) {
        const char *name = json_string_value(json_object_get(ix->customer, "name"));
        if (name) ix->customer_name = mem_strdup(name);
    }
    return MODEL_CH_CUSTOMER | MODEL_CH_LIST;
}

static unsigned on_checklist(model *m, model_ix *ix, const proto_event *ev, int64_t seq)
{
    (void)m; (void)seq;
    json_t *items = proto_json(ev, "items");
    for (size_t i = 0; i < ix->n_checks; i++) {
        free(ix->checks[i].id); free(ix->checks[i].label); free(ix->checks[i].by);
    }
    size_t n = json_is_array(items) ? json_array_size(items) : 0;
    ix->checks = mem_realloc(ix->checks, (n ? n : 1) * sizeof *ix->checks);
    ix->n_checks = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *it = json_array_get(items, i);
        const char *id = json_string_value(json_object_get(it, "id"));
        const char *label = json_string_value(json_object_get(it, "label"));
        const char *by = json_string_value(json_object_get(it, "by"));
        if (!id) continue;
        model_check_item *c = &ix->checks[ix->n_checks++];
        c->id = mem_strdup(id);
        c->label = mem_strdup(label ? label : id);
        c->by = mem_strdup(by ? by : "");
        c->done = json_is_true(json_object_get(it, "done"));
    }
    return MODEL_CH_CHECKLIST;
}

static unsigned on_summary(model *m, model_ix *ix, const proto_event *ev, int64_t seq)
{
    (void)m; (void)seq;
    set_str(&ix->summary, proto_str(ev, "text"));
    set_str(&ix->disposition, proto_str(ev, "disposition"));
    replace_json(&ix->codes, proto_json(ev, "codes"));
    ix->summary_final = proto_bool(ev, "final", false);
    return MODEL_CH_SUMMARY;
}

static unsigned on_whisper(model *m, model_ix *ix, const proto_event *ev, int64_t seq)
{
    const char *who = proto_str(ev, "from_name") ? proto_str(ev, "from_name") : proto_str(ev, "from");
    line_event(m, ix, LINE_WHISPER, SPEAKER_SUPERVISOR, who, proto_str(ev, "text"), seq);
    return MODEL_CH_TRANSCRIPT | MODEL_CH_LIST;
}

static unsigned on_barge(model *m, model_ix *ix, const proto_event *ev, int64_t seq)
{
    const char *who = proto_str(ev, "from_name") ? proto_str(ev, "from_name") : proto_str(ev, "from");
    char buf[PROTO_MAX_SHORT + 64];
    snprintf(buf, sizeof buf, "%s joined the interaction", who ? who : "a supervisor");
    line_event(m, ix, LINE_EVENT, SPEAKER_SYSTEM, who, buf, seq);
    return MODEL_CH_TRANSCRIPT | MODEL_CH_LIST;
}

static unsigned on_hand(model *m, model_ix *ix, const proto_event *ev, int64_t seq)
{
    const char *text = proto_str(ev, "text");
    char *buf = mem_printf("hand raised%s%s", text && *text ? ": " : "", text ? text : "");
    line_event(m, ix, LINE_EVENT, SPEAKER_SYSTEM, proto_str(ev, "agent_name"), buf, seq);
    free(buf);
    ix->hand_raised = true;
    return MODEL_CH_TRANSCRIPT | MODEL_CH_LIST;
}

static unsigned on_note(model *m, model_ix *ix, const proto_event *ev, int64_t seq)
{
    line_event(m, ix, LINE_NOTE, SPEAKER_AGENT, proto_str(ev, "user"), proto_str(ev, "text"), seq);
    return MODEL_CH_TRANSCRIPT;
}

static unsigned on_wrapup(model *m, model_ix *ix, const proto_event *ev, int64_t seq)
{
    set_str(&ix->wrap_code, proto_str(ev, "code") ? proto_str(ev, "code") : "");
    ix->state = IX_WRAPPED;
    char *buf = mem_printf("wrapped up: %s%s", ix->wrap_code,
                        proto_bool(ev, "follow_up", false) ? " (follow-up)" : "");
    line_event(m, ix, LINE_EVENT, SPEAKER_SYSTEM, proto_str(ev, "user"), buf, seq);
    free(buf);
    return MODEL_CH_TRANSCRIPT | MODEL_CH_LIST | MODEL_CH_HEADER;
}

static unsigned on_ended(model *m, model_ix *ix, const proto_event *ev, int64_t seq)
{
    if (ix->state == IX_LIVE) ix->state = IX_ENDED;
    ix->ended_ms = proto_int(ev, "ended_ms", 0);
    set_str(&ix->end_reason, proto_str(ev, "reason") ? proto_str(ev, "reason") : "");
    char *buf = mem_printf("interaction ended%s%s", *ix->end_reason ? ": " : "", ix->end_reason);
    for (char *p = buf; *p; p++) if (*p == '_') *p = ' ';   /* "hub_restart" -> "hub restart" */
    line_event(m, ix, LINE_EVENT, SPEAKER_SYSTEM, NULL, buf, seq);
    free(buf);
    return MODEL_CH_TRANSCRIPT | MODEL_CH_LIST | MODEL_CH_HEADER;
}

static const struct { proto_type type; apply_fn fn; } apply_table[] = {
    {EV_INTERACTION_STARTED, on_started}, {EV_UTTERANCE, on_utterance},
    {EV_SENTIMENT, on_sentiment},         {EV_FLAG, on_flag},
    {EV_SUGGESTION, on_suggestion},       {EV_CUSTOMER, on_customer},
    {EV_CHECKLIST, on_checklist},         {EV_SUMMARY, on_summary},
    {EV_WHISPERED, on_whisper},           {EV_BARGED, on_barge},
    {EV_HAND_RAISED, on_hand},            {EV_NOTED, on_note},
    {EV_WRAPPED_UP, on_wrapup},           {EV_INTERACTION_ENDED, on_ended},
};

static unsigned apply_welcome(model *m, const proto_event *ev)
{
    unsigned ch = MODEL_CH_HEADER;
    const char *hub = proto_str(ev, "hub_id");
    int64_t hub_seq = proto_int(ev, "seq", 0);
    /* Another hub, or one whose log is behind what we saw: what we hold is not its history. */
    if ((m->hub_id && hub && strcmp(m->hub_id, hub) != 0) || hub_seq < m->last_seq) {
        model_reset(m);
        ch |= MODEL_CH_RESET | MODEL_CH_LIST;
    }
    set_str(&m->hub_id, hub);
    set_str(&m->user, proto_str(ev, "user"));
    set_str(&m->display_name, proto_str(ev, "display_name"));
    set_str(&m->role, proto_str(ev, "role"));
    return ch;
}

static unsigned apply_snapshot(model *m, const proto_event *ev)
{
    unsigned ch = MODEL_CH_NONE;
    /* the frames that follow replay these interactions with their own (older) seqs */
    int64_t seq = proto_int(ev, "seq", 0);
    if (seq > 0) {
        m->snap_seq = seq;
        if (seq > m->last_seq) m->last_seq = seq;
    }
    json_t *arr = proto_json(ev, "interactions");
    size_t i;
    json_t *it;
    json_array_foreach(arr, i, it) {
        const char *iid = json_string_value(json_object_get(it, "iid"));
        if (!iid) continue;
        proto_event one = {EV_INTERACTION_STARTED, it};
        model_ix *ix = ix_get(m, iid, &ch);
        copy_ix_fields(ix, &one);
        ix->version++;
        ch |= MODEL_CH_LIST;
    }
    return ch;
}

unsigned model_apply(model *m, const proto_event *ev, model_ix **ix_out)
{
    if (ix_out) *ix_out = NULL;
    if (ev->type == EV_WELCOME) { m->version++; return apply_welcome(m, ev); }
    if (ev->type == EV_SNAPSHOT) { m->version++; return apply_snapshot(m, ev); }
    const proto_event_spec *spec = proto_spec(ev->type);
    if (!spec || !spec->durable) return MODEL_CH_NONE;
    int64_t seq = proto_int(ev, "seq", 0);
    const char *iid = proto_str(ev, "iid");
    model_ix *known = model_find(m, iid);
    if (known ? seq <= known->last_seq : seq <= m->last_seq) return MODEL_CH_DUPLICATE;
    if (seq > m->last_seq) m->last_seq = seq;
    if (m->snap_seq && seq > m->snap_seq) m->snap_seq = 0;   /* the replay is complete */
    /* the tail of an interaction we never saw start (or already pruned) is not shown */
    if (!known && ev->type != EV_INTERACTION_STARTED) return MODEL_CH_IGNORED;
    m->cur_ts = proto_int(ev, "ts", 0);
    for (size_t i = 0; i < sizeof apply_table / sizeof *apply_table; i++) {
        if (apply_table[i].type != ev->type) continue;
        unsigned ch = 0;
        model_ix *ix = ix_get(m, iid, &ch);
        if (!ix) return MODEL_CH_NONE;
        ix->last_seq = seq;
        ch |= apply_table[i].fn(m, ix, ev, seq);
        if (ch) { ix->version++; m->version++; }
        if (ch & MODEL_CH_LIST) m->list_version++;
        if (ix_out) *ix_out = ix;
        return ch;
    }
    return MODEL_CH_NONE;
}

int64_t model_resume_point(const model *m)
{
    return m->snap_seq ? 0 : m->last_seq;
}

model_agent_state model_agent_state_of(const model *m)
{
    bool wrap = false;
    for (size_t i = 0; i < m->n_ix; i++) {
        if (m->ix[i]->state == IX_LIVE) return AGENT_ON_INTERACTION;
        if (m->ix[i]->state == IX_ENDED) wrap = true;
    }
    return wrap ? AGENT_WRAP_UP : AGENT_AVAILABLE;
}

const char *model_agent_state_name(model_agent_state s)
{
    static const char *names[] = {"AVAILABLE", "ON INTERACTION", "WRAP-UP"};
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
