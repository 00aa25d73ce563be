/* monitor_linear.c — the floor as lines (monitor_linear.h). */
#include "agentdesk/monitor_linear.h"
#include "agentdesk/agent.h"
#include "agentdesk/monitor_metrics.h"
#include "agentdesk/stdin_lines.h"
#include "base/clock.h"
#include "base/mem.h"
#include "base/strmap.h"
#include "base/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_BYTES 8192

typedef struct {
    session *s;
    monitor_floor floor;
    strmap *printed;            /* iid -> the row's last printed line */
    char figures[320];          /* the last hour's figures as last printed */
    char in[LINE_MAX_BYTES];
    stdin_lines lines;          /* over in */
} monitor_linear;

static monitor_linear the_state;

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    if (fflush(stdout) != 0 && the_state.s) app_quit(the_state.s->app, 0);
}

void monitor_linear_row(const monitor_row *r, char *buf, size_t n)
{
    const model_ix *ix = r->ix;
    const char *mark = r->att.score >= 200 ? "H" : r->worst && r->worst->severity >= 3 ? "!!"
                     : r->needs_person ? "->" : "-";
    char sent[32] = "-";
    if (ix->has_sentiment) snprintf(sent, sizeof sent, "%+.2f %s", ix->last_score, agent_trend_arrow(ix->last_direction));
    snprintf(buf, n, "%s %s agent=%s customer=\"%s\" %s queue=%s stage=%s sentiment=%s emotion=%s "
             "q=%s attention=%.0f flags=%zu%s%s", ix->iid, mark,
             r->stage == STAGE_BOT ? "bot" : ix->agent && *ix->agent ? ix->agent : "unassigned", agent_customer_name(ix),
             ix->channel ? ix->channel : "", ix->queue ? ix->queue : "", monitor_stage_name(r->stage), sent,
             ix->last_emotion[0] ? ix->last_emotion : "-", attention_quadrant_name(r->att.quadrant),
             r->att.score, ix->n_flags, r->worst ? " worst=" : "", r->worst ? r->worst->kind : "");
    /* what /ack names: the hand's and each unacknowledged severe flag's event number */
    size_t len = strlen(buf);
    if (ix->hand_raised && len < n)
        len += (size_t)snprintf(buf + len, n - len, " hand=%lld%s", (long long)ix->hand_seq,
                                ix->hand_acked_by[0] ? "(acked)" : "");
    for (size_t i = 0; i < ix->n_flags && len < n; i++)
        if (ix->flags[i].severity >= 3)
            len += (size_t)snprintf(buf + len, n - len, " alert=%lld%s", (long long)ix->flags[i].seq,
                                    ix->flags[i].acked_by[0] ? "(acked)" : "");
}

/* Print every row whose line changed, and the rows that left. */
static void print_changes(monitor_linear *st)
{
    monitor_floor_refresh(&st->floor, &st->s->model, clock_wall_ms());
    char line[1024];
    for (size_t i = 0; i < st->floor.n; i++) {
        const monitor_row *r = &st->floor.rows[i];
        char *was = strmap_get(st->printed, r->ix->iid);
        if (r->stage == STAGE_DONE) {
            if (was) { out("gone: %s", r->ix->iid); free(strmap_remove(st->printed, r->ix->iid)); }
            continue;
        }
        monitor_linear_row(r, line, sizeof line);
        if (was && strcmp(was, line) == 0) continue;
        out("grid: %s", line);
        free(strmap_put(st->printed, r->ix->iid, mem_strdup(line)));
    }
}

static void on_change(void *ud, const model_delta *d)
{
    monitor_linear *st = ud;
    if (d->what & ~(MODEL_CH_DUPLICATE | MODEL_CH_IGNORED)) print_changes(st);
    if (d->what & MODEL_CH_METRICS) {   /* every 15 s from the hub: a line when they moved */
        char line[sizeof st->figures];
        monitor_metrics_line(&st->s->model, 120, line, sizeof line);
        if (strcmp(line, st->figures) != 0) {
            out("figures: %s", line);
            snprintf(st->figures, sizeof st->figures, "%s", line);
        }
    }
    session_shown(st->s);
}

static void on_notice(void *ud, session_notice_level level, const char *text)
{
    (void)ud;
    static const char *w[] = {"info", "ok", "warning", "error"};
    out("%s: %s", w[level], text);
}

static void on_net(void *ud)
{
    monitor_linear *st = ud;
    if (net_get_state(st->s->net) == NET_READY) {
        session_subscribe_all(st->s);
        out("connection: connected to %s", net_url(st->s->net));
    } else if (net_get_state(st->s->net) == NET_REFUSED) {
        out("connection: refused: %s", net_last_error(st->s->net));
    }
}

/* ---- commands ---- */

static model_ix *named(monitor_linear *st, const char *arg, const char **rest)
{
    char iid[PROTO_MAX_ID + 1];
    size_t k = strcspn(arg, " ");
    snprintf(iid, sizeof iid, "%.*s", (int)(k < sizeof iid ? k : sizeof iid - 1), arg);
    if (rest) *rest = arg[k] ? arg + k + 1 : "";
    model_ix *ix = model_find(&st->s->model, iid);
    if (!ix) out("error: no interaction %s (try /list)", *iid ? iid : "named");
    return ix;
}

static void cmd_open(monitor_linear *st, const char *arg)
{
    model_ix *ix = named(st, arg, NULL);
    if (!ix) return;
    /* as on the screen: the hub's audit records the open (the floor follows all anyway, so
     * following it by name ends at once) */
    if (ix->state == IX_LIVE) {
        session_follow(st->s, ix->iid, true);
        session_follow(st->s, ix->iid, false);
    }
    out("open: %s %s with %s, %zu line(s) held", ix->iid, agent_customer_name(ix),
        ix->agent_name ? ix->agent_name : "", ix->count);
    for (uint64_t no = ix->first_no; no < model_line_end(ix); no++) {
        const model_line *l = model_line_at(ix, no);
        if (!l || !l->final) continue;
        char *flat = mem_strdup(l->text);
        for (char *p = flat; *p; p++) if (*p == '\n') *p = ' ';
        out("  %s%s: %s", l->kind == LINE_WHISPER ? "whisper " : "",
            l->who ? l->who : model_speaker_name((model_speaker)l->speaker), flat);
        free(flat);
    }
    for (size_t i = 0; i < ix->n_flags; i++)
        out("  flag %s %s: %s", agent_severity_mark(ix->flags[i].severity), ix->flags[i].kind, ix->flags[i].text);
}

static void cmd_whisper(monitor_linear *st, const char *arg)
{
    const char *text;
    model_ix *ix = named(st, arg, &text);
    if (!ix) return;
    char err[200];
    if (!*text) out("error: /whisper IID TEXT");
    else if (!session_whisper(st->s, ix->iid, text, err, sizeof err)) out("error: %s", err);
}

static void cmd_barge(monitor_linear *st, const char *arg)
{
    model_ix *ix = named(st, arg, NULL);
    char err[200];
    if (ix && !session_barge(st->s, ix->iid, err, sizeof err)) out("error: %s", err);
}

static void cmd_leave(monitor_linear *st, const char *arg)
{
    model_ix *ix = named(st, arg, NULL);
    char err[200];
    if (ix && !session_leave(st->s, ix->iid, err, sizeof err)) out("error: %s", err);
}

static void cmd_takeover(monitor_linear *st, const char *arg)
{
    const char *to;
    model_ix *ix = named(st, arg, &to);
    char err[200];
    if (ix && !session_takeover(st->s, ix->iid, to, err, sizeof err)) out("error: %s", err);
}

/* /ack IID ALERT: ALERT is the seq of the hand or flag event, as the grid lines say. */
static void cmd_ack(monitor_linear *st, const char *arg)
{
    const char *rest;
    model_ix *ix = named(st, arg, &rest);
    if (!ix) return;
    char *end;
    long long seq = strtoll(rest, &end, 10);
    char err[200];
    if (seq <= 0 || *end) out("error: /ack IID ALERT (the alert's number, from the grid line)");
    else if (!session_alert_ack(st->s, ix->iid, seq, err, sizeof err)) out("error: %s", err);
}

static void cmd_list(monitor_linear *st, const char *arg)
{
    (void)arg;
    monitor_floor_refresh(&st->floor, &st->s->model, clock_wall_ms());
    char line[1024];
    out("floor: live %zu, waiting %zu, negative %zu, hands %zu", st->floor.live, st->floor.waiting,
        st->floor.negative, st->floor.hands);
    for (size_t i = 0; i < st->floor.n_order; i++) {
        monitor_linear_row(monitor_floor_at(&st->floor, i), line, sizeof line);
        out("  %s", line);
    }
}

static void cmd_help(monitor_linear *st, const char *arg);
static void cmd_quit(monitor_linear *st, const char *arg) { (void)arg; app_quit(st->s->app, 0); }

static const struct { const char *name, *usage; void (*fn)(monitor_linear *, const char *); } commands[] = {
    {"/open", "/open IID          the interaction's lines and flags", cmd_open},
    {"/whisper", "/whisper IID TEXT  a line only its agent sees", cmd_whisper},
    {"/barge", "/barge IID         join the interaction", cmd_barge},
    {"/leave", "/leave IID         leave it again", cmd_leave},
    {"/takeover", "/takeover IID [AGENT]  move it to yourself, or to AGENT (a user name)", cmd_takeover},
    {"/ack", "/ack IID ALERT     acknowledge a hand or flag (ALERT: its number in the grid line)", cmd_ack},
    {"/list", "/list              the floor, worst first", cmd_list},
    {"/help", "/help              these commands", cmd_help},
    {"/quit", "/quit              quit", cmd_quit},
};

static void cmd_help(monitor_linear *st, const char *arg)
{
    (void)st; (void)arg;
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) out("%s", commands[i].usage);
}

static void run_line(monitor_linear *st, const char *line)
{
    char *clean = text_clean(line, strlen(line), 0, NULL);
    char *p = clean;
    while (*p == ' ') p++;
    size_t k = strcspn(p, " ");
    if (!*p) { free(clean); return; }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strlen(commands[i].name) == k && strncmp(commands[i].name, p, k) == 0) {
            commands[i].fn(st, p[k] ? p + k + 1 : "");
            free(clean);
            return;
        }
    out("error: unknown command %.*s (try /help)", (int)(k > 40 ? 40 : k), p);
    free(clean);
}

static void line_in(void *ud, char *line)
{
    if (line) run_line(ud, line);
    else out("error: line longer than %d bytes ignored", LINE_MAX_BYTES - 1);
}

static void on_input(app *a)
{
    monitor_linear *st = a->front_data;
    if (stdin_lines_read(a, &st->lines, line_in, st) == STDIN_LINES_END) a->stdin_eof = true;
}

static const app_front monitor_linear_front = {.name = "monitor-linear", .on_input = on_input};

void monitor_linear_attach(app *a, session *s)
{
    monitor_linear *st = &the_state;
    if (st->printed) {   /* attached again (a supervisor signing in to plain --linear) */
        monitor_floor_free(&st->floor);
    }
    memset(st, 0, sizeof *st);
    st->s = s;
    st->lines = (stdin_lines){.buf = st->in, .cap = sizeof st->in};
    monitor_floor_init(&st->floor);
    st->printed = strmap_new();
    a->front = &monitor_linear_front;
    a->front_data = st;
    static const session_listener l = {.on_change = on_change, .on_notice = on_notice, .on_net = on_net};
    session_set_listener(s, &l, st);
    if (s->net && net_get_state(s->net) == NET_READY) session_subscribe_all(s);
}
