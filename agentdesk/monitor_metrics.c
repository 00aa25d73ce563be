/* monitor_metrics.c — the floor's figures as text and as a table (monitor_metrics.h). */
#include "agentdesk/monitor_metrics.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { MC_KIND, MC_NAME, MC_N, MC_ENDED, MC_HANDLE, MC_WAIT, MC_UPLIFT, MC_NEG, MC_REPEAT, MC__COUNT };
static const table_col metric_cols[MC__COUNT] = {
    [MC_KIND] = {"", 5, 2, false},           [MC_NAME] = {"NAME", 14, 0, false},
    [MC_N] = {"N", 4, 1, true},              [MC_ENDED] = {"ENDED", 5, 3, true},
    [MC_HANDLE] = {"HANDLE", 6, 0, true},    [MC_WAIT] = {"WAIT", 5, 1, true},
    [MC_UPLIFT] = {"UPLIFT", 6, 0, true},    [MC_NEG] = {"NEG", 4, 0, true},
    [MC_REPEAT] = {"REPEAT", 6, 2, true},
};

/* "m:ss", "h:mm:ss"; "—" when nothing counted */
static void fmt_time(double ms, char *b, size_t n)
{
    if (isnan(ms)) { snprintf(b, n, "—"); return; }
    long long s = llround(ms / 1000);
    if (s >= 3600) snprintf(b, n, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    else snprintf(b, n, "%lld:%02lld", s / 60, s % 60);
}

static void fmt_share(double share, char *b, size_t n)
{
    if (isnan(share)) snprintf(b, n, "—");
    else snprintf(b, n, "%.0f%%", 100 * share);
}

static void fmt_uplift(double u, char *b, size_t n)
{
    if (isnan(u)) snprintf(b, n, "—");
    else snprintf(b, n, "%+.2f", u);
}

void monitor_metrics_line(const model *m, int cols, char *out, size_t n)
{
    const model_metrics *mm = &m->metrics;
    if (!mm->has) {
        snprintf(out, n, cols >= 60 ? "last hour: waiting for the hub's figures" : "last hour: …");
        return;
    }
    const model_metrics_row *t = &mm->total;
    char handle[16], wait[16], up[16], neg[8], rep[8];
    fmt_time(t->handle_ms, handle, sizeof handle);
    fmt_time(t->wait_ms, wait, sizeof wait);
    fmt_uplift(t->uplift, up, sizeof up);
    fmt_share(t->negative_share, neg, sizeof neg);
    fmt_share(t->repeat_share, rep, sizeof rep);
    if (cols >= 110)
        snprintf(out, n, "last hour (%ld): handle %s · wait %s · sentiment uplift %s · ending negative %s"
                 " · repeat in 7 days %s", t->interactions, handle, wait, up, neg, rep);
    else if (cols >= 70)
        snprintf(out, n, "last hour (%ld): handle %s · wait %s · uplift %s · neg %s · repeat %s", t->interactions,
                 handle, wait, up, neg, rep);
    else
        snprintf(out, n, "1h %s wait %s %s neg %s", handle, wait, up, neg);
}

size_t monitor_metrics_rows(const model *m)
{
    const model_metrics *mm = &m->metrics;
    return mm->has ? 1 + mm->n_queues + mm->n_agents : 0;
}

static size_t rows_count(void *ctx) { return monitor_metrics_rows(ctx); }

static void rows_cell(void *ctx, size_t i, int col, table_cell *out)
{
    const model *m = ctx;
    const model_metrics *mm = &m->metrics;
    static char b[64];   /* one cell at a time: the table copies it before asking the next */
    const model_metrics_row *r;
    const char *kind;
    if (i == 0) { r = &mm->total; kind = ""; }
    else if (i <= mm->n_queues) { r = &mm->queues[i - 1]; kind = "queue"; }
    else if (i <= mm->n_queues + mm->n_agents) { r = &mm->agents[i - 1 - mm->n_queues]; kind = "agent"; }
    else return;
    out->text = b;
    b[0] = 0;
    switch (col) {
    case MC_KIND: out->text = kind; out->item = THEME_LIST_DETAIL; break;
    case MC_NAME:
        if (i == 0) { out->text = "all"; break; }
        if (i > mm->n_queues) {   /* an agent by the name the hub gave with its status */
            const model_agent_status *a = model_agent_status_of(m, r->key);
            out->text = a && a->name && *a->name ? a->name : r->key;
        } else {
            out->text = *r->key ? r->key : "(no queue)";
        }
        break;
    case MC_N: snprintf(b, sizeof b, "%ld", r->interactions); break;
    case MC_ENDED: snprintf(b, sizeof b, "%ld", r->ended); break;
    case MC_HANDLE: fmt_time(r->handle_ms, b, sizeof b); break;
    case MC_WAIT: fmt_time(r->wait_ms, b, sizeof b); break;
    case MC_UPLIFT:
        fmt_uplift(r->uplift, b, sizeof b);
        out->item = isnan(r->uplift) ? 0 : r->uplift > 0.05 ? THEME_SENTIMENT_POSITIVE
                  : r->uplift < -0.05 ? THEME_SENTIMENT_NEGATIVE : 0;
        break;
    case MC_NEG:
        fmt_share(r->negative_share, b, sizeof b);
        if (!isnan(r->negative_share) && r->negative_share >= 0.25) out->item = THEME_SENTIMENT_NEGATIVE;
        break;
    case MC_REPEAT: fmt_share(r->repeat_share, b, sizeof b); break;
    default: break;
    }
}

table *monitor_metrics_table(const model *m)
{
    table *t = table_new((table_source){rows_count, rows_cell, NULL, (void *)m}, metric_cols, MC__COUNT);
    table_set_empty_text(t, "no figures from the hub yet (the last hour's come within seconds)");
    return t;
}
