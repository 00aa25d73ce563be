/* model_metrics.c — floor.metrics into the typed model (model.h, model_metrics): the border
 * where its JSON rows become structs. The codec has checked the event's fields and cleaned
 * every nested string; the rows' members are checked here, one by one: a member of the wrong
 * type or out of range is taken as absent, a row without a key is dropped. */
#include "agentdesk/model_internal.h"
#include "base/mem.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static long count(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= 1000000000
               ? (long)json_integer_value(v) : 0;
}

/* A number in [lo, hi], else NAN. */
static double figure(json_t *o, const char *key, double lo, double hi)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_number(v)) return NAN;
    double d = json_number_value(v);
    return d >= lo && d <= hi ? d : NAN;
}

static bool parse_row(json_t *o, model_metrics_row *r)
{
    const char *key = json_string_value(json_object_get(o, "key"));
    if (!json_is_object(o) || !key) return false;
    r->key = mem_strdup(key);
    r->interactions = count(o, "interactions");
    r->ended = count(o, "ended");
    r->waited = count(o, "waited");
    r->scored = count(o, "scored");
    r->with_customer = count(o, "with_customer");
    r->handle_ms = figure(o, "handle_ms", 0, 1e12);
    r->wait_ms = figure(o, "wait_ms", 0, 1e12);
    r->uplift = figure(o, "uplift", -2, 2);   /* scores are in [-1, 1] */
    r->negative_share = figure(o, "negative_share", 0, 1);
    r->repeat_share = figure(o, "repeat_share", 0, 1);
    return true;
}

static void parse_rows(json_t *arr, model_metrics_row **rows, size_t *n)
{
    *rows = json_array_size(arr) ? mem_zalloc(json_array_size(arr), sizeof **rows) : NULL;
    *n = 0;
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
        if (parse_row(o, &(*rows)[*n])) (*n)++;
}

static void free_rows(model_metrics_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) free(rows[i].key);
    free(rows);
}

void model_metrics_clear(model_metrics *mm)
{
    free_rows(mm->queues, mm->n_queues);
    free_rows(mm->agents, mm->n_agents);
    free(mm->total.key);
    memset(mm, 0, sizeof *mm);
}

unsigned model_metrics_apply(model *m, const proto_event *ev)
{
    model_metrics *mm = &m->metrics;
    model_metrics_clear(mm);
    mm->since_ms = proto_int(ev, "since_ms", 0);
    mm->until_ms = proto_int(ev, "until_ms", 0);
    if (!parse_row(proto_json(ev, "total"), &mm->total)) mm->total = (model_metrics_row){.key = mem_strdup("")};
    parse_rows(proto_json(ev, "queues"), &mm->queues, &mm->n_queues);
    parse_rows(proto_json(ev, "agents"), &mm->agents, &mm->n_agents);
    mm->has = true;
    return MODEL_CH_METRICS;
}

const model_metrics_row *model_metrics_find(const model_metrics_row *rows, size_t n, const char *key)
{
    for (size_t i = 0; key && i < n; i++)
        if (!strcmp(rows[i].key, key)) return &rows[i];
    return NULL;
}
