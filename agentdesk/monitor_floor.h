/* monitor_floor.h — the supervisor's floor as rows, built from the typed model: one row per
 * interaction with its stage, duration, worst flag and attention (attention.h), the rows
 * filtered by text and sorted by a key, the summary line's counts, and one row per agent.
 * No curses: the grid (monitor_view.c) and --linear (monitor_linear.c) both read it.
 *
 * Invariants:
 *  - rows are rebuilt by monitor_floor_refresh; row pointers are valid until the next one;
 *  - `order` holds the indexes of the rows that pass the filter, sorted by `sort`, ties
 *    broken by iid so the order is stable between refreshes; by attention, live rows come
 *    before after-call work, whose severe flags count as warnings (nobody can help now);
 *  - a row is "worsened" for MONITOR_WORSE_MS after its attention score rose by
 *    MONITOR_WORSE_STEP or more (or its quadrant moved up), remembered by iid. */
#ifndef AGENTDESK_MONITOR_FLOOR_H
#define AGENTDESK_MONITOR_FLOOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "agentdesk/attention.h"
#include "agentdesk/model.h"

#define MONITOR_WORSE_MS 5000
#define MONITOR_WORSE_STEP 8.0
#define MONITOR_FILTER_MAX 64
#define MONITOR_FIGURES_MIN_LINES 16   /* a row for the last hour's figures from this height */

typedef enum { STAGE_BOT, STAGE_WAITING, STAGE_AGENT, STAGE_ACW, STAGE_DONE } monitor_stage;
typedef enum { SORT_ATTENTION, SORT_TIME, SORT_SENTIMENT, SORT_AGENT, SORT_QUEUE, SORT__COUNT } monitor_sort;

typedef struct {
    model_ix *ix;                   /* borrowed from the model */
    attention_out att;
    monitor_stage stage;
    int64_t duration_ms;
    const model_flag *worst;        /* the most severe flag, or NULL */
    bool needs_person;              /* a bot holds it and its charge is high */
    bool worsened;                  /* marked briefly (MONITOR_WORSE_MS) */
} monitor_row;

/* One agent: the hub's agent.status when it sent one, else what their interactions say. */
typedef struct {
    const char *agent, *name;       /* borrowed from the model */
    const char *state;              /* available, busy, acw, break, offline */
    int64_t since_ms;               /* in that state since (wall clock), 0 unknown */
    unsigned live, acw;             /* interactions with a person now, awaiting wrap-up */
    unsigned handled_today;
    bool has_status;                /* the hub said its state (agent.status) */
    bool hand;
    int64_t longest_ms;             /* the longest live interaction's time */
} monitor_agent;

typedef struct {
    monitor_row *rows; size_t n, cap;
    size_t *order; size_t n_order;
    monitor_agent *agents; size_t n_agents, cap_agents;
    monitor_sort sort;
    char filter[MONITOR_FILTER_MAX];
    size_t live, waiting, negative, hands;
    const model_ix *crossed;        /* a bot-held one that came to need a person in this
                                     * refresh (the last such), or NULL */
    struct strmap *seen;            /* iid -> remembered score and worsened deadline */
    unsigned gen;                   /* refreshes so far: what `seen` did not meet this time goes */
} monitor_floor;

void monitor_floor_init(monitor_floor *f);
void monitor_floor_free(monitor_floor *f);
/* Rebuild every row from the model at wall time now_ms (durations, worsened marks). */
void monitor_floor_refresh(monitor_floor *f, const model *m, int64_t now_ms);
/* The row for `iid` in the sorted, filtered order, or (size_t)-1. */
size_t monitor_floor_find(const monitor_floor *f, const char *iid);
/* The n-th row of the order. */
const monitor_row *monitor_floor_at(const monitor_floor *f, size_t n);

const char *monitor_sort_name(monitor_sort s);
const char *monitor_stage_name(monitor_stage s);
/* Does the row match the filter text (agent, customer, queue, channel, iid; any case)? */
bool monitor_floor_matches(const monitor_row *r, const char *filter);

#endif
