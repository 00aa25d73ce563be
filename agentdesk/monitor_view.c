/* monitor_view.c — the floor's widgets: building, layout, and filling them from the floor. */
#include "agentdesk/monitor_view.h"
#include "agentdesk/agent.h"
#include "agentdesk/agent_sync.h"
#include "agentdesk/monitor_keys.h"
#include "base/clock.h"
#include "base/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The grid's columns; priority: what goes first when the screen narrows (0 stays). */
enum { GC_MARK, GC_AGENT, GC_CUSTOMER, GC_CH, GC_QUEUE, GC_STAGE, GC_TIME, GC_SENT, GC_SPARK,
       GC_EMOTION, GC_Q, GC_FLAGS, GC__COUNT };
static const table_col grid_cols[GC__COUNT] = {
    [GC_MARK] = {"!", 2, 0, false},        [GC_AGENT] = {"AGENT", 12, 1, false},
    [GC_CUSTOMER] = {"CUSTOMER", 13, 0, false}, [GC_CH] = {"CH", 2, 3, false},
    [GC_QUEUE] = {"QUEUE", 8, 2, false},   [GC_STAGE] = {"STAGE", 7, 1, false},
    [GC_TIME] = {"TIME", 5, 0, true},      [GC_SENT] = {"SENT", 7, 0, false},
    [GC_SPARK] = {"TREND", 8, 2, false},   [GC_EMOTION] = {"EMOTION", 12, 3, false},
    [GC_Q] = {"Q", 2, 1, false},           [GC_FLAGS] = {"FLAGS", 8, 0, false},
};
enum { AC_HAND, AC_AGENT, AC_STATE, AC_LIVE, AC_ACW, AC_HANDLED, AC_LONGEST, AC__COUNT };
static const table_col agent_cols[AC__COUNT] = {
    [AC_HAND] = {"!", 1, 0, false},       [AC_AGENT] = {"AGENT", 16, 0, false},
    [AC_STATE] = {"STATE", 21, 0, false}, [AC_LIVE] = {"LIVE", 4, 0, true},
    [AC_ACW] = {"ACW", 3, 1, true},       [AC_HANDLED] = {"TODAY", 5, 1, true},
    [AC_LONGEST] = {"LONGEST", 8, 2, true},
};
enum { LC_TIME, LC_KIND, LC_AGENT, LC_CUSTOMER, LC_WHAT, LC__COUNT };
static const table_col alert_cols[LC__COUNT] = {
    [LC_TIME] = {"TIME", 5, 0, false},    [LC_KIND] = {"!", 2, 0, false},
    [LC_AGENT] = {"AGENT", 12, 1, false}, [LC_CUSTOMER] = {"CUSTOMER", 13, 0, false},
    [LC_WHAT] = {"WHAT", 10, 0, false},
};

static const char *const tab_names[MV__COUNT] = {"Interactions", "Agents", "Alerts", "Metrics"};

/* Five columns at most ("12:05", "1h02"): the grid's TIME column stays narrow at 40 columns,
 * where the agent console's clock (agent_fmt_clock) would take seven past an hour. */
static void fmt_duration(int64_t ms, char *buf, size_t n)
{
    long long s = ms / 1000;
    if (s >= 3600) snprintf(buf, n, "%lldh%02lld", s / 3600, s / 60 % 60);
    else snprintf(buf, n, "%02lld:%02lld", s / 60, s % 60);
}

static theme_item sentiment_item(double score)
{
    return score < -0.2 ? THEME_SENTIMENT_NEGATIVE : score > 0.2 ? THEME_SENTIMENT_POSITIVE
                                                                 : THEME_SENTIMENT_NEUTRAL;
}

static theme_item flag_item(int severity)
{
    return severity >= 3 ? THEME_FLAG_3 : severity == 2 ? THEME_FLAG_2 : THEME_FLAG_1;
}

/* ---- grid source ---- */

static size_t grid_count(void *ctx) { return ((monitor_view *)ctx)->floor.n_order; }

static void grid_cell(void *ctx, size_t i, int col, table_cell *out)
{
    monitor_view *v = ctx;
    const monitor_row *r = monitor_floor_at(&v->floor, i);
    if (!r) return;
    const model_ix *ix = r->ix;
    char *b = v->cell;
    size_t n = sizeof v->cell;
    out->text = b;
    b[0] = 0;
    switch (col) {
    case GC_MARK:
        if (r->att.score >= 200) { out->text = "H"; out->item = THEME_STATUS_BAD; }
        else if (r->worst && r->worst->severity >= 3) { out->text = "!!"; out->item = THEME_FLAG_3; }
        else if (r->worst && r->worst->severity == 2) { out->text = "!"; out->item = THEME_FLAG_2; }
        else if (r->needs_person) { out->text = "→"; out->item = THEME_STATUS_WARN; }
        break;
    case GC_AGENT:
        out->text = r->stage == STAGE_BOT ? "bot" : ix->agent_name && *ix->agent_name ? ix->agent_name : ix->agent;
        if (!out->text || !*out->text) {   /* its source has not said whose it is yet */
            out->text = "unassigned";
            out->item = THEME_STATUS_WARN;
        }
        break;
    case GC_CUSTOMER: out->text = agent_customer_name(ix); break;
    case GC_CH: out->text = agent_channel_mark(ix->channel); break;
    case GC_QUEUE: out->text = ix->queue; break;
    case GC_STAGE: out->text = monitor_stage_name(r->stage); break;
    case GC_TIME: fmt_duration(r->duration_ms, b, n); break;
    case GC_SENT:
        if (!ix->has_sentiment) { out->text = "—"; break; }
        snprintf(b, n, "%+.2f %s", ix->last_score, agent_trend_arrow(ix->last_direction));
        out->item = sentiment_item(ix->last_score);
        break;
    case GC_SPARK: {
        size_t cnt = model_trend_count(ix), from = cnt > 8 ? cnt - 8 : 0;
        float vals[8];
        size_t k = 0;
        for (size_t j = from; j < cnt; j++) vals[k++] = (float)model_trend_at(ix, j);
        size_t used = 0;
        for (size_t j = 0; j < k && used + 4 < n; j++)
            used += (size_t)snprintf(b + used, n - used, "%s", sparkline_glyph(vals[j]));
        out->item = THEME_SPARKLINE;
        break;
    }
    case GC_EMOTION: out->text = ix->last_emotion; break;
    case GC_Q:
        out->text = attention_quadrant_name(r->att.quadrant);
        out->item = r->att.quadrant == QUAD_HH ? THEME_STATUS_BAD : r->att.quadrant == QUAD_LH ? THEME_STATUS_WARN : 0;
        break;
    case GC_FLAGS:
        if (r->needs_person && !r->worst) { out->text = "needs a person"; out->item = THEME_STATUS_WARN; break; }
        if (!r->worst) break;
        snprintf(b, n, "%zu %s %s", ix->n_flags, agent_severity_mark(r->worst->severity), r->worst->kind);
        out->item = flag_item(r->worst->severity);
        break;
    default: break;
    }
}

static bool grid_mark(void *ctx, size_t i, theme_item *item)
{
    const monitor_row *r = monitor_floor_at(&((monitor_view *)ctx)->floor, i);
    if (!r || !r->worsened) return false;
    *item = THEME_TRANSCRIPT_SEARCH;
    return true;
}

/* ---- agents source ---- */

static size_t agents_count(void *ctx) { return ((monitor_view *)ctx)->floor.n_agents; }

static void agents_cell(void *ctx, size_t i, int col, table_cell *out)
{
    monitor_view *v = ctx;
    if (i >= v->floor.n_agents) return;
    const monitor_agent *a = &v->floor.agents[i];
    char *b = v->cell;
    size_t n = sizeof v->cell;
    out->text = b;
    b[0] = 0;
    switch (col) {
    case AC_AGENT: out->text = a->name; break;
    case AC_STATE: {
        static const struct { const char *state, *words; theme_item item; } states[] = {
            {"available", "available", THEME_STATUS_OK}, {"busy", "on interaction", 0},
            {"acw", "after-call work", THEME_STATUS_WARN}, {"break", "break", THEME_LIST_DETAIL},
            {"offline", "no console", THEME_LIST_DETAIL},   /* the hub's "offline": not signed in */
        };
        const char *words = a->state;
        for (size_t k = 0; k < sizeof states / sizeof *states; k++)
            if (!strcmp(states[k].state, a->state)) { words = states[k].words; out->item = states[k].item; }
        char since[16] = "";
        if (a->since_ms > 0) fmt_duration(clock_wall_ms() - a->since_ms, since, sizeof since);
        snprintf(b, n, "%s%s%s", words, *since ? " " : "", since);
        break;
    }
    case AC_LIVE: snprintf(b, n, "%u", a->live); break;
    case AC_ACW: snprintf(b, n, "%u", a->acw); break;
    case AC_HANDLED: if (a->has_status) snprintf(b, n, "%u", a->handled_today); else out->text = "—"; break;
    case AC_HAND: if (a->hand) { out->text = "H"; out->item = THEME_STATUS_BAD; } break;
    case AC_LONGEST: if (a->live) fmt_duration(a->longest_ms, b, n); break;
    default: break;
    }
}

/* ---- alerts source ---- */

static size_t alerts_count(void *ctx) { return ((monitor_view *)ctx)->n_alerts; }

static void alerts_cell(void *ctx, size_t i, int col, table_cell *out)
{
    monitor_view *v = ctx;
    if (i >= v->n_alerts) return;
    const monitor_alert *al = &v->alert_rows[i];
    char *b = v->cell;
    size_t n = sizeof v->cell;
    out->text = b;
    b[0] = 0;
    switch (col) {
    case LC_TIME:
        if (al->at_ms > 0) {
            time_t t = (time_t)(al->at_ms / 1000);
            struct tm tm;
            localtime_r(&t, &tm);
            strftime(b, n, "%H:%M", &tm);
        }
        break;
    case LC_KIND:
        out->text = al->flag ? "!!" : "H";
        out->item = al->flag ? THEME_FLAG_3 : THEME_STATUS_BAD;
        break;
    case LC_AGENT:
        out->text = al->ix->agent_name && *al->ix->agent_name ? al->ix->agent_name : al->ix->agent;
        if (!out->text || !*out->text) out->text = "unassigned";
        break;
    case LC_CUSTOMER: out->text = agent_customer_name(al->ix); break;
    case LC_WHAT:
        if (al->flag) snprintf(b, n, "%s: %s", al->flag->kind, al->flag->text ? al->flag->text : "");
        else if (al->ix->hand_text && *al->ix->hand_text) snprintf(b, n, "hand raised: %s", al->ix->hand_text);
        else out->text = "hand raised";
        break;
    default: break;
    }
}

static monitor_alert *alert_add(monitor_view *v)
{
    if (v->n_alerts == v->cap_alerts) {
        v->cap_alerts = v->cap_alerts ? 2 * v->cap_alerts : 16;
        v->alert_rows = mem_realloc(v->alert_rows, v->cap_alerts * sizeof *v->alert_rows);
    }
    return &v->alert_rows[v->n_alerts++];
}

static int cmp_alerts(const void *pa, const void *pb)
{
    const monitor_alert *a = pa, *b = pb;
    if (!a->flag != !b->flag) return a->flag ? 1 : -1;   /* hands first */
    return (a->at_ms < b->at_ms) - (a->at_ms > b->at_ms);  /* newest first */
}

/* What still waits for a supervisor: raised hands (not lowered since) and severe flags of
 * live interactions that nobody has acknowledged. The history a console replays on connecting
 * holds every hand ever raised: only those still open are alerts. */
static void build_alerts(monitor_view *v)
{
    v->n_alerts = 0;
    for (size_t i = 0; i < v->floor.n; i++) {
        const monitor_row *r = &v->floor.rows[i];
        if (r->ix->state != IX_LIVE) continue;
        if (r->ix->hand_raised && !r->ix->hand_acked_by[0])
            *alert_add(v) = (monitor_alert){r->ix, NULL, r->ix->hand_ms};
        for (size_t k = 0; k < r->ix->n_flags; k++)
            if (r->ix->flags[k].severity >= 3 && !r->ix->flags[k].acked_by[0]) {
                const model_flag *f = &r->ix->flags[k];
                int64_t at = f->offset_ms >= 0 && r->ix->started_ms ? r->ix->started_ms + f->offset_ms : 0;
                *alert_add(v) = (monitor_alert){r->ix, f, at};
            }
    }
    if (v->n_alerts) qsort(v->alert_rows, v->n_alerts, sizeof *v->alert_rows, cmp_alerts);
}

/* ---- building and layout ---- */

void monitor_view_init(monitor_view *v, session *s)
{
    memset(v, 0, sizeof *v);
    v->s = s;
    monitor_floor_init(&v->floor);
    v->header = statusbar_new(THEME_HEADER);
    v->tabs = statusbar_new(THEME_TAB);
    v->hints = statusbar_new(THEME_HINT);
    v->figures = statusbar_new(THEME_LIST_DETAIL);
    v->ro_hints = statusbar_new(THEME_HINT);
    v->grid = table_new((table_source){grid_count, grid_cell, grid_mark, v}, grid_cols, GC__COUNT);
    v->agents = table_new((table_source){agents_count, agents_cell, NULL, v}, agent_cols, AC__COUNT);
    v->alerts = table_new((table_source){alerts_count, alerts_cell, NULL, v}, alert_cols, LC__COUNT);
    v->metrics = monitor_metrics_table(&s->model);
    table_set_empty_text(v->grid, "no live interactions");
    table_set_empty_text(v->agents, "no agent on an interaction");
    table_set_empty_text(v->alerts, "no raised hand, no severe flag waiting for a supervisor");
    v->prompt = inputline_new("", PROTO_MAX_TEXT);
    v->toast = toast_new();
    widget_set_visible(toast_widget(v->toast), false);
    agent_view_init(&v->av, s->model.scrollback);
}

void monitor_view_free(monitor_view *v)
{
    widget *all[] = {statusbar_widget(v->header), statusbar_widget(v->tabs), statusbar_widget(v->hints),
                     statusbar_widget(v->ro_hints), statusbar_widget(v->figures), table_widget(v->grid),
                     table_widget(v->agents), table_widget(v->alerts), table_widget(v->metrics),
                     inputline_widget(v->prompt), toast_widget(v->toast),
                     v->help ? helpview_widget(v->help) : NULL};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) widget_destroy(all[i]);
    agent_view_free(&v->av);
    monitor_floor_free(&v->floor);
    free(v->alert_rows);
    memset(v, 0, sizeof *v);
}

table *monitor_view_table(monitor_view *v)
{
    table *by_tab[MV__COUNT] = {v->grid, v->agents, v->alerts, v->metrics};
    return by_tab[v->tab];
}

static void push(monitor_view *v, widget *w)
{
    if (v->n_render < sizeof v->render / sizeof *v->render) v->render[v->n_render++] = w;
}

static const widget_rect none = {0, 0, 0, 0};

void monitor_view_layout(monitor_view *v)
{
    v->n_render = 0;
    if (v->open) {
        /* the agent's layout, its reply line given to the read-only hints */
        agent_view_layout(&v->av);
        widget_rect line = v->av.lay.input;
        widget_set_rect(inputline_widget(v->av.input), none);
        widget_rect pr = (widget_rect){line.y, line.x, line.h ? 1 : 0, line.w};
        widget_set_rect(statusbar_widget(v->ro_hints), v->prompting ? none : pr);
        widget_set_rect(inputline_widget(v->prompt), v->prompting ? pr : none);
        widget_set_focus(inputline_widget(v->prompt), v->prompting);
        for (size_t i = 0; i < v->av.n_render; i++)
            if (v->av.render[i] != inputline_widget(v->av.input)) push(v, v->av.render[i]);
        if (v->prompting) push(v, inputline_widget(v->prompt));
        else push(v, statusbar_widget(v->ro_hints));
    } else {
        /* the last hour's figures under the views when there are rows to spare */
        int top = LINES >= MONITOR_FIGURES_MIN_LINES ? 3 : 2;
        int body = LINES - top - 1 > 0 ? LINES - top - 1 : 0;
        widget_set_rect(statusbar_widget(v->header), (widget_rect){0, 0, 1, COLS});
        widget_set_rect(statusbar_widget(v->tabs), (widget_rect){1, 0, LINES > 1, COLS});
        widget_set_rect(statusbar_widget(v->figures), top == 3 ? (widget_rect){2, 0, 1, COLS} : none);
        table *shown = monitor_view_table(v);
        table *all[] = {v->grid, v->agents, v->alerts, v->metrics};
        for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
            widget_set_rect(table_widget(all[i]), all[i] == shown ? (widget_rect){top, 0, body, COLS} : none);
            widget_set_focus(table_widget(all[i]), all[i] == shown);
        }
        widget_rect bottom = {LINES - 1, 0, LINES > 2, COLS};
        widget_set_rect(statusbar_widget(v->hints), v->prompting ? none : bottom);
        widget_set_rect(inputline_widget(v->prompt), v->prompting ? bottom : none);
        widget_set_focus(inputline_widget(v->prompt), v->prompting);
        push(v, statusbar_widget(v->header));
        push(v, statusbar_widget(v->tabs));
        if (top == 3) push(v, statusbar_widget(v->figures));
        push(v, table_widget(shown));
        push(v, v->prompting ? inputline_widget(v->prompt) : statusbar_widget(v->hints));
    }
    /* on the floor the header's summary stays readable: notices go on the views' row */
    toast_set_row(v->toast, v->open ? 0 : 1);
    toast_place(v->toast, LINES, COLS);
    push(v, toast_widget(v->toast));
    if (v->help) {
        int m = COLS >= 60 && LINES >= 16 ? 2 : 0;
        widget_set_rect(helpview_widget(v->help), (widget_rect){m / 2, m, LINES - m, COLS - 2 * m});
        push(v, helpview_widget(v->help));
    }
    widget_mark_all(v->render, v->n_render);
    touchwin(stdscr);
    wnoutrefresh(stdscr);
}

/* ---- filling ---- */

static void sync_header(monitor_view *v)
{
    const model *m = &v->s->model;
    char who[160], sum[160], right[96], clock[16];
    const char *name = m->display_name ? m->display_name : m->user ? m->user : "";
    /* the summary matters more than the title: narrow screens shorten the title first */
    if (COLS >= 110) snprintf(who, sizeof who, "agentdesk monitor  %s  SUPERVISOR", name);
    else if (COLS >= 60) snprintf(who, sizeof who, "monitor  %s", name);
    else snprintf(who, sizeof who, "monitor");
    if (COLS >= 60)
        snprintf(sum, sizeof sum, "live %zu · waiting %zu · negative %zu · hands %zu",
                 v->floor.live, v->floor.waiting, v->floor.negative, v->floor.hands);
    else
        snprintf(sum, sizeof sum, "%zu live · %zu neg · %zu H", v->floor.live, v->floor.negative, v->floor.hands);
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(clock, sizeof clock, "%H:%M", &tm);
    net_state ns = v->s->net ? net_get_state(v->s->net) : NET_READY;
    snprintf(right, sizeof right, "%s%s%s%s", ns == NET_READY ? "" : net_state_name(ns),
             ns == NET_READY ? "" : "  ", clock, COLS >= 60 ? "  ? help" : "");
    statusbar_seg segs[] = {
        {who, THEME_HEADER, STATUSBAR_LEFT},
        {sum, v->floor.hands ? THEME_STATUS_BAD : THEME_HEADER_STATE, STATUSBAR_LEFT},
        {right, ns == NET_READY ? THEME_HEADER : THEME_STATUS_WARN, STATUSBAR_RIGHT},
    };
    statusbar_set(v->header, segs, 3);
}

static void sync_tabs(monitor_view *v)
{
    char names[MV__COUNT][40], right[MONITOR_FILTER_MAX + 64];
    size_t counts[MV__COUNT] = {v->floor.n_order, v->floor.n_agents, v->n_alerts, 0};
    statusbar_seg segs[MV__COUNT + 1];
    for (int i = 0; i < MV__COUNT; i++) {
        /* at 40 columns "Interactions" would push Alerts off the row */
        const char *name = COLS < 60 && i == MV_INTERACTIONS ? "Floor" : tab_names[i];
        const char *fmt = i == (int)v->tab ? "[%s %zu]" : COLS < 60 ? "%s %zu" : " %s %zu ";
        if (i == MV_METRICS)   /* figures, not a count of rows */
            snprintf(names[i], sizeof names[i], i == (int)v->tab ? "[%s]" : COLS < 60 ? "%s" : " %s ",
                     COLS < 60 ? "1h" : name);
        else
            snprintf(names[i], sizeof names[i], fmt, name, counts[i]);
        segs[i] = (statusbar_seg){names[i], i == (int)v->tab ? THEME_TAB_ACTIVE : THEME_TAB, STATUSBAR_LEFT};
    }
    if (COLS >= 100)
        snprintf(right, sizeof right, "sort: %s ▼  filter: %s", monitor_sort_name(v->floor.sort),
                 v->floor.filter[0] ? v->floor.filter : "all");
    else if (COLS >= 70)   /* four views' names leave room for the sort and a filter set */
        snprintf(right, sizeof right, "sort: %s%s%s", monitor_sort_name(v->floor.sort),
                 v->floor.filter[0] ? "  /" : "", v->floor.filter);
    else   /* the views' names come first; the filter only when one is set */
        snprintf(right, sizeof right, "%s%s", v->floor.filter[0] ? "/" : "", v->floor.filter);
    segs[MV__COUNT] = (statusbar_seg){right, THEME_TAB, STATUSBAR_RIGHT};
    statusbar_set(v->tabs, segs, MV__COUNT + 1);
}

static void sync_figures(monitor_view *v)
{
    char line[320];
    monitor_metrics_line(&v->s->model, COLS, line, sizeof line);
    statusbar_seg segs[] = {{line, THEME_LIST_DETAIL, STATUSBAR_LEFT}};
    statusbar_set(v->figures, segs, 1);
}

void monitor_view_sync_open(monitor_view *v)
{
    const model *m = &v->s->model;
    model_ix *ix = model_active(m);
    if (!v->open || !ix) return;
    char who[200], line[200], list[64];
    const char *name = m->display_name ? m->display_name : m->user ? m->user : "";
    if (COLS >= 60) snprintf(who, sizeof who, "agentdesk monitor  %s  SUPERVISOR  read-only", name);
    else snprintf(who, sizeof who, "monitor  read-only");
    statusbar_seg segs[] = {{who, THEME_HEADER, STATUSBAR_LEFT}};
    statusbar_set(v->av.header, segs, 1);
    snprintf(line, sizeof line, " read-only: what %s sees; no reply line here",
             ix->agent_name && *ix->agent_name ? ix->agent_name : ix->agent ? ix->agent : "the agent");
    statusbar_seg ro[] = {{line, THEME_LIST_DETAIL, STATUSBAR_LEFT}};
    statusbar_set(v->ro_hints, ro, 1);
    snprintf(list, sizeof list, "Floor (%zu)", m->n_ix);
    pane_set_title(v->av.p_list, list);
}

const monitor_alert *monitor_view_selected_alert(monitor_view *v)
{
    size_t i = table_selected(v->alerts);
    return i < v->n_alerts ? &v->alert_rows[i] : NULL;
}

model_ix *monitor_view_selected(monitor_view *v)
{
    const monitor_row *r = monitor_floor_at(&v->floor, table_selected(v->grid));
    return r ? r->ix : NULL;
}

void monitor_view_select_iid(monitor_view *v, const char *iid)
{
    size_t at = monitor_floor_find(&v->floor, iid);
    if (at != (size_t)-1) table_select(v->grid, at);
    v->chosen = true;
    model_ix *ix = monitor_view_selected(v);
    snprintf(v->sel_iid, sizeof v->sel_iid, "%s", ix ? ix->iid : "");
}

void monitor_view_refresh(monitor_view *v, bool force)
{
    const model *m = &v->s->model;
    int64_t now = clock_wall_ms();
    if (force || m->version != v->seen_version || now / 1000 != v->refreshed_s) {
        v->seen_version = m->version;
        v->refreshed_s = now / 1000;
        monitor_floor_refresh(&v->floor, m, now);
        build_alerts(v);
        /* the selection stays on its interaction once the supervisor chose one (until then
         * it is the worst, at the top); one that left takes the row's place */
        size_t at = v->chosen ? monitor_floor_find(&v->floor, v->sel_iid) : 0;
        if (at != (size_t)-1) table_select(v->grid, at);
        table_changed(v->grid);
        table_changed(v->agents);
        table_changed(v->alerts);
        table_changed(v->metrics);
        model_ix *ix = monitor_view_selected(v);
        snprintf(v->sel_iid, sizeof v->sel_iid, "%s", ix ? ix->iid : "");
    }
    sync_header(v);
    sync_tabs(v);
    sync_figures(v);
}

void monitor_view_hints(monitor_view *v, const keys_table *keys)
{
    static const struct { int action; const char *label; } floor_hints[] = {
        {MK_OPEN, "open"}, {MK_WHISPER, "whisper"}, {MK_BARGE, "barge"}, {MK_TAKEOVER, "take over"},
        {MK_ACK, "ack alert"}, {MK_SORT, "sort"}, {MK_FILTER, "filter"}, {MK_TAB, "view"},
        {MK_METRICS, "figures"}, {MK_HELP, "help"}, {MK_QUIT, "quit"},
    };
    static const struct { int action; const char *label; } open_hints[] = {
        {MK_BACK, "back to the floor"}, {MK_WHISPER, "whisper"}, {MK_BARGE, "barge"},
        {MK_REPLY, "reply"}, {MK_LEAVE, "leave"}, {MK_TAKEOVER, "take over"}, {MK_ACK, "ack"},
        {MK_PAGE_UP, "scroll"},
        {MK_TAB, "pane"}, {MK_HELP, "help"},
    };
    statusbar_hint h[STATUSBAR_SEGS_MAX];
    char k[STATUSBAR_SEGS_MAX][32];
    int n = 0;
    size_t count = v->open ? sizeof open_hints / sizeof *open_hints : sizeof floor_hints / sizeof *floor_hints;
    for (size_t i = 0; i < count && n < STATUSBAR_SEGS_MAX; i++) {
        int action = v->open ? open_hints[i].action : floor_hints[i].action;
        int idx = keys_index_of(keys, action);
        if (idx < 0 || !keys->bind[idx].n) continue;
        keys_name(keys->bind[idx].key[0], k[n], sizeof k[n]);
        h[n] = (statusbar_hint){k[n], v->open ? open_hints[i].label : floor_hints[i].label};
        n++;
    }
    statusbar_set_hints(v->open ? v->av.hints : v->hints, h, n);
}
