/* monitor_floor.c — model -> the supervisor's rows, order, summary and agents. */
#include "agentdesk/monitor_floor.h"
#include "agentdesk/agent.h"
#include "base/mem.h"
#include "base/strmap.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct { double score; attention_quadrant quad; int64_t until_ms; unsigned gen; bool needs; } seen_state;

void monitor_floor_init(monitor_floor *f)
{
    memset(f, 0, sizeof *f);
    f->seen = strmap_new();
}

static void free_seen(const char *key, void *value, void *ctx)
{
    (void)key; (void)ctx;
    free(value);
}

void monitor_floor_free(monitor_floor *f)
{
    strmap_each(f->seen, free_seen, NULL);
    strmap_free(f->seen);
    free(f->rows);
    free(f->order);
    free(f->agents);
    memset(f, 0, sizeof *f);
}

const char *monitor_sort_name(monitor_sort s)
{
    static const char *const names[SORT__COUNT] = {"attention", "time", "sentiment", "agent", "queue"};
    return (unsigned)s < SORT__COUNT ? names[s] : "?";
}

const char *monitor_stage_name(monitor_stage s)
{
    static const char *const names[] = {"bot", "waiting", "agent", "acw", "done"};
    return (unsigned)s <= STAGE_DONE ? names[s] : "?";
}

static monitor_stage stage_of(const model_ix *ix)
{
    if (ix->state == IX_WRAPPED) return STAGE_DONE;
    if (ix->state == IX_ENDED) return STAGE_ACW;
    if (ix->agent_spoke) return STAGE_AGENT;
    if (ix->bot_spoke && !ix->handed_over) return STAGE_BOT;
    return STAGE_WAITING;
}

/* Distinct articles suggested: each a separate issue the customer brought. */
static unsigned distinct_issues(const model_ix *ix)
{
    unsigned n = 0;
    for (size_t i = 0; i < ix->n_sugg; i++) {
        const char *t = ix->sugg[i].title ? ix->sugg[i].title : "";
        bool dup = false;
        for (size_t j = 0; j < i && !dup; j++)
            dup = ix->sugg[j].title && strcmp(ix->sugg[j].title, t) == 0;
        n += !dup;
    }
    return n;
}

static bool contains(const char *hay, const char *needle)
{
    if (!hay) return false;
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0) return true;
    return false;
}

bool monitor_floor_matches(const monitor_row *r, const char *filter)
{
    if (!filter || !*filter) return true;
    const model_ix *ix = r->ix;
    return contains(ix->agent_name, filter) || contains(ix->agent, filter) ||
           contains(agent_customer_name(ix), filter) || contains(ix->queue, filter) ||
           contains(ix->channel, filter) || contains(ix->iid, filter);
}

static int cmp_str(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : ""); }

static const monitor_floor *sorting;   /* qsort has no context argument */

static int cmp_rows(const void *pa, const void *pb)
{
    const monitor_row *a = &sorting->rows[*(const size_t *)pa], *b = &sorting->rows[*(const size_t *)pb];
    int c = 0;
    switch (sorting->sort) {
    case SORT_ATTENTION:   /* live before after-call work, then worst first */
        c = (a->stage == STAGE_ACW) - (b->stage == STAGE_ACW);
        if (!c) c = (a->att.score < b->att.score) - (a->att.score > b->att.score);
        break;
    case SORT_TIME: c = (a->duration_ms < b->duration_ms) - (a->duration_ms > b->duration_ms); break;
    case SORT_SENTIMENT: {   /* most negative first; none yet last */
        double x = a->ix->has_sentiment ? a->ix->last_score : 2, y = b->ix->has_sentiment ? b->ix->last_score : 2;
        c = (x > y) - (x < y);
        break;
    }
    case SORT_AGENT: c = cmp_str(a->ix->agent_name, b->ix->agent_name); break;
    case SORT_QUEUE: c = cmp_str(a->ix->queue, b->ix->queue); break;
    default: break;
    }
    return c ? c : cmp_str(a->ix->iid, b->ix->iid);
}

/* The typical time of each queue now: the mean of its live interactions' durations, summed
 * once per refresh (a floor has a handful of queues, so a list is enough). */
typedef struct { const char *queue; int64_t sum, n; } queue_time;

static queue_time *queue_of(queue_time *qs, size_t *nq, const char *queue)
{
    for (size_t i = 0; i < *nq; i++)
        if (!cmp_str(qs[i].queue, queue)) return &qs[i];
    qs[*nq] = (queue_time){queue, 0, 0};
    return &qs[(*nq)++];
}

/* One interaction is no norm. */
static int64_t queue_norm(const queue_time *q) { return q->n > 1 ? q->sum / q->n : 0; }

static void mark_worsened(monitor_floor *f, monitor_row *r, int64_t now_ms, unsigned gen)
{
    seen_state *st = strmap_get(f->seen, r->ix->iid);
    if (!st) {
        st = mem_zalloc(1, sizeof *st);
        st->score = r->att.score;
        st->quad = r->att.quadrant;
        st->needs = r->needs_person;
        strmap_put(f->seen, r->ix->iid, st);
    } else if (r->att.score >= st->score + MONITOR_WORSE_STEP || r->att.quadrant < st->quad) {
        st->until_ms = now_ms + MONITOR_WORSE_MS;
    }
    if (r->att.score >= st->score + MONITOR_WORSE_STEP || r->att.score < st->score ||
        r->att.quadrant != st->quad) {
        st->score = r->att.score;
        st->quad = r->att.quadrant;
    }
    st->gen = gen;
    r->worsened = st->until_ms > now_ms;
    if (r->needs_person && !st->needs) f->crossed = r->ix;
    st->needs = r->needs_person;
}

struct sweep { monitor_floor *f; unsigned gen; char **gone; size_t n, cap; };

static void find_gone(const char *key, void *value, void *ctx)
{
    struct sweep *sw = ctx;
    if (((seen_state *)value)->gen == sw->gen) return;
    if (sw->n == sw->cap) {
        sw->cap = sw->cap ? 2 * sw->cap : 16;
        sw->gone = mem_realloc(sw->gone, sw->cap * sizeof *sw->gone);
    }
    sw->gone[sw->n++] = mem_strdup(key);
}

static monitor_agent *agent_slot(monitor_floor *f, const char *agent, const char *name)
{
    for (size_t i = 0; i < f->n_agents; i++)
        if (!cmp_str(f->agents[i].agent, agent)) return &f->agents[i];
    if (f->n_agents == f->cap_agents) {
        f->cap_agents = f->cap_agents ? 2 * f->cap_agents : 16;
        f->agents = mem_realloc(f->agents, f->cap_agents * sizeof *f->agents);
    }
    monitor_agent *a = &f->agents[f->n_agents++];
    memset(a, 0, sizeof *a);
    a->agent = agent ? agent : "";
    a->name = name && *name ? name : a->agent;
    return a;
}

/* The hub's word on each agent first; the interactions fill in hands and times, and the
 * state of an agent the hub has said nothing of. */
static void build_agents(monitor_floor *f, const model *m)
{
    for (size_t i = 0; i < m->n_agents; i++) {
        const model_agent_status *st = &m->agents[i];
        monitor_agent *a = agent_slot(f, st->agent, st->name);
        a->has_status = true;
        a->state = st->state;
        a->since_ms = st->since_ms;
        a->handled_today = st->handled_today;
    }
    for (size_t i = 0; i < f->n; i++) {
        const monitor_row *r = &f->rows[i];
        const model_ix *ix = r->ix;
        if (r->stage == STAGE_DONE || !ix->agent || !*ix->agent) continue;
        monitor_agent *a = agent_slot(f, ix->agent, ix->agent_name);
        if (r->stage == STAGE_ACW) a->acw++;
        else a->live++;
        a->hand |= ix->hand_raised && ix->state == IX_LIVE;
        if (r->stage != STAGE_ACW && r->duration_ms > a->longest_ms) a->longest_ms = r->duration_ms;
    }
    for (size_t i = 0; i < f->n_agents; i++) {
        monitor_agent *a = &f->agents[i];
        if (!a->has_status) a->state = a->live ? "busy" : a->acw ? "acw" : "available";
    }
}

static int cmp_agents(const void *pa, const void *pb)
{
    const monitor_agent *a = pa, *b = pb;
    if (a->hand != b->hand) return b->hand - a->hand;
    return cmp_str(a->name, b->name);
}

void monitor_floor_refresh(monitor_floor *f, const model *m, int64_t now_ms)
{
    unsigned gen = ++f->gen;
    if (f->cap < m->n_ix) {
        f->cap = m->n_ix;
        f->rows = mem_realloc(f->rows, f->cap * sizeof *f->rows);
        f->order = mem_realloc(f->order, f->cap * sizeof *f->order);
    }
    f->n = m->n_ix;
    f->n_agents = 0;
    f->live = f->waiting = f->negative = f->hands = 0;
    f->crossed = NULL;
    for (size_t i = 0; i < m->n_ix; i++) {
        monitor_row *r = &f->rows[i];
        memset(r, 0, sizeof *r);
        r->ix = m->ix[i];
        r->stage = stage_of(r->ix);
        int64_t end = r->ix->ended_ms ? r->ix->ended_ms : now_ms;
        r->duration_ms = r->ix->started_ms && end > r->ix->started_ms ? end - r->ix->started_ms : 0;
        for (size_t k = 0; k < r->ix->n_flags; k++)
            if (!r->worst || r->ix->flags[k].severity > r->worst->severity) r->worst = &r->ix->flags[k];
    }
    queue_time *qs = mem_alloc((f->n ? f->n : 1) * sizeof *qs);
    size_t nq = 0;
    for (size_t i = 0; i < f->n; i++) {
        queue_time *q = queue_of(qs, &nq, f->rows[i].ix->queue);
        if (f->rows[i].stage == STAGE_DONE) continue;
        q->sum += f->rows[i].duration_ms;
        q->n++;
    }
    for (size_t i = 0; i < f->n; i++) {
        monitor_row *r = &f->rows[i];
        const model_ix *ix = r->ix;
        attention_in in = {
            .has_sentiment = ix->has_sentiment, .sentiment = ix->last_score,
            .direction = ix->last_direction, .emotion = ix->last_emotion,
            .worst_flag = r->worst ? r->worst->severity : 0, .issues = distinct_issues(ix),
            .duration_ms = r->duration_ms, .queue_norm_ms = queue_norm(queue_of(qs, &nq, ix->queue)),
            .transfers = ix->transfers, .bot_failed = ix->handed_over,
            .hand_raised = ix->hand_raised && ix->state == IX_LIVE,
        };
        /* an ended call's severe flag asks for no one now: it ranks as a warning */
        if (ix->state != IX_LIVE && in.worst_flag > 2) in.worst_flag = 2;
        r->att = attention_of(&in);
        r->needs_person = r->stage == STAGE_BOT && r->att.charge_high;
        mark_worsened(f, r, now_ms, gen);
        if (r->stage == STAGE_DONE) continue;
        if (r->stage != STAGE_ACW) f->live++;
        if (r->stage == STAGE_WAITING || r->stage == STAGE_BOT) f->waiting++;
        if (ix->has_sentiment && ix->last_score < -0.2 && r->stage != STAGE_ACW) f->negative++;
        if (in.hand_raised) f->hands++;
    }
    free(qs);
    build_agents(f, m);
    if (f->n_agents) qsort(f->agents, f->n_agents, sizeof *f->agents, cmp_agents);
    /* forget what is no longer held, so the memory follows the floor */
    struct sweep sw = {.f = f, .gen = gen};
    strmap_each(f->seen, find_gone, &sw);
    for (size_t i = 0; i < sw.n; i++) {
        free(strmap_remove(f->seen, sw.gone[i]));
        free(sw.gone[i]);
    }
    free(sw.gone);
    f->n_order = 0;
    for (size_t i = 0; i < f->n; i++)
        if (f->rows[i].stage != STAGE_DONE && monitor_floor_matches(&f->rows[i], f->filter))
            f->order[f->n_order++] = i;
    sorting = f;
    if (f->n_order) qsort(f->order, f->n_order, sizeof *f->order, cmp_rows);
    sorting = NULL;
}

size_t monitor_floor_find(const monitor_floor *f, const char *iid)
{
    for (size_t i = 0; iid && i < f->n_order; i++)
        if (strcmp(f->rows[f->order[i]].ix->iid, iid) == 0) return i;
    return (size_t)-1;
}

const monitor_row *monitor_floor_at(const monitor_floor *f, size_t n)
{
    return n < f->n_order ? &f->rows[f->order[n]] : NULL;
}
