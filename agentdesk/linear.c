/* linear.c — plain lines out, command lines in. */
#include "agentdesk/linear.h"
#include "agentdesk/stdin_lines.h"
#include "agentdesk/agent.h"
#include "base/mem.h"
#include "base/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINEAR_LINE_MAX (PROTO_MAX_TEXT + 256)

typedef struct {
    session *s;
    char in[LINEAR_LINE_MAX];
    stdin_lines lines;  /* over in */
    bool quit_asked;
    bool eof;
    bool bell;          /* --alert bell|flash given: the terminal bell on stderr */
} linear_state;

static linear_state the_state;


static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    /* nobody reads any more (`agentdesk --linear | head`): the session is over */
    if (fflush(stdout) != 0 && the_state.s) app_quit(the_state.s->app, 0);
}

/* Appends to buf with the newlines of multi-line text turned into spaces. */
static void flat(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void flat(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    for (char *p = buf; *p; p++) if (*p == '\n') *p = ' ';
}

static const char *str_or(const char *s, const char *def) { return s && *s ? s : def; }

/* The line of an event from what it changed in the model (never from the event itself). */
bool linear_format(const model *m, const model_delta *d, char *buf, size_t n)
{
    if (d->what & (MODEL_CH_DUPLICATE | MODEL_CH_IGNORED)) return false;
    const model_ix *ix = d->ix;
    const char *iid = ix ? ix->iid : "-";
    const model_line *l = ix && (d->line_added || d->line_changed) ? model_line_at(ix, d->line) : NULL;
    char off[16];
    agent_fmt_clock(l ? l->offset_ms : -1, off, sizeof off);
    switch (d->type) {
    case EV_WELCOME:
        flat(buf, n, "signed in as %s (%s), role %s", str_or(m->user, "?"), str_or(m->display_name, "?"),
             str_or(m->role, "?"));
        return true;
    case EV_INTERACTION_STARTED:
        if (!ix) return false;
        flat(buf, n, "[%s] started %s %s: %s (%s)", iid, str_or(ix->channel, "?"), str_or(ix->queue, "?"),
             str_or(ix->customer_name, "customer"), str_or(ix->customer_id, "?"));
        return true;
    case EV_UTTERANCE:
        if (!l || !l->final) return false;
        flat(buf, n, "[%s] %s %s: %s", iid, off, model_line_speaker_label(l, false), l->text);
        return true;
    case EV_SENTIMENT: {
        if (!ix) return false;
        if (d->second_opinion) {
            flat(buf, n, "[%s] sentiment by Contact Lens: %s", iid, model_label_name(ix->cl_label));
            return true;
        }
        const model_sentiment *st = &ix->sentiment;
        flat(buf, n, "[%s] sentiment %s %+.2f%s%s%s%s%s, trend %s %+.2f%s%s", iid, model_label_name(st->label),
             st->score, *st->emotion ? ", " : "", st->emotion, *st->cues ? " (" : "", st->cues,
             *st->cues ? ")" : "", agent_trend_level(st->has_trend ? st->trend : 0),
             st->has_trend ? st->trend : 0, st->direction ? " " : "", agent_trend_arrow(st->direction));
        return true;
    }
    case EV_FLAG: {
        if (!ix || !d->flag_added) return false;
        const model_flag *f = &ix->flags[d->flag];
        flat(buf, n, "[%s] flag %s %s: %s \"%s\"", iid, agent_severity_mark(f->severity), f->kind,
             f->text, f->evidence);
        return true;
    }
    case EV_SUGGESTION: {
        if (!ix || !d->sugg_touched) return false;
        const model_suggestion *sg = &ix->sugg[d->sugg];
        flat(buf, n, "[%s] suggestion (/use 1): %s: %s", iid, sg->title, sg->text);
        return true;
    }
    case EV_CUSTOMER:
        if (!ix) return false;
        flat(buf, n, "[%s] customer %s, %s, since %s, %zu past contacts, %zu orders", iid,
             str_or(ix->has_customer ? ix->customer.name : NULL, "?"),
             str_or(ix->has_customer ? ix->customer.tier : NULL, "standard"),
             str_or(ix->has_customer ? ix->customer.since : NULL, "?"), ix->n_history, ix->n_orders);
        return true;
    case EV_CHECKLIST: {
        if (!ix) return false;
        size_t used = (size_t)snprintf(buf, n, "[%s] checklist %zu/%zu:", iid,
                                       model_checks_done(ix), ix->n_checks);
        for (size_t i = 0; i < ix->n_checks && used < n; i++)
            used += (size_t)snprintf(buf + used, n - used, "%s [%s] %s", i ? "," : "",
                                     ix->checks[i].done ? "x" : " ", ix->checks[i].label);
        return true;
    }
    case EV_SUMMARY:
        if (!ix) return false;
        if (d->second_opinion) {
            flat(buf, n, "[%s] Contact Lens summary: %s", iid, str_or(ix->cl_summary, ""));
            return true;
        }
        flat(buf, n, "[%s] summary (%s, %s): %s", iid, ix->summary_final ? "final" : "draft",
             str_or(ix->disposition, "no disposition"), str_or(ix->summary, ""));
        return true;
    case EV_HANDOVER:
        if (!l) return false;
        flat(buf, n, "[%s] handover %s", iid, l->text);
        return true;
    case EV_WHISPERED:
        if (!l) return false;
        flat(buf, n, "[%s] whisper from %s: %s", iid, str_or(l->who, "supervisor"), l->text);
        return true;
    case EV_BARGED:          /* "Sam Ortiz joined (left) the interaction" */
    case EV_ALERT_ACKED:     /* "help is coming: Sam Ortiz saw your raised hand" */
    case EV_CONTACT_EVENT:   /* "Customer attached receipt.pdf" */
    case EV_ASSIGNED:        /* "Sam Ortiz moved the interaction from Ana Ruiz to Ben Okafor" */
        if (!l) return false;
        flat(buf, n, "[%s] %s", iid, l->text);
        return true;
    case EV_HAND_RAISED:
        if (!l) return false;
        flat(buf, n, "[%s] hand raised by %s%s%s", iid, str_or(l->who, "agent"),
             ix->hand_text ? ": " : "", str_or(ix->hand_text, ""));
        return true;
    case EV_NOTED:
        if (!l) return false;
        flat(buf, n, "[%s] note by %s: %s", iid, str_or(l->who, "?"), l->text);
        return true;
    case EV_WRAPPED_UP:
        if (!ix) return false;
        flat(buf, n, "[%s] wrapped up: %s%s", iid, str_or(ix->wrap_code, "?"),
             ix->follow_up ? " (follow-up)" : "");
        return true;
    case EV_INTERACTION_ENDED:
        if (!ix) return false;
        flat(buf, n, "[%s] ended: %s", iid, str_or(ix->end_reason, "?"));
        return true;
    case EV_AGENT_STATUS:
        /* our own state only (a supervisor's floor prints the agents in its own lines) */
        if (!(d->what & MODEL_CH_HEADER)) return false;
        flat(buf, n, "status: %s", model_agent_state_name(model_agent_state_of(m)));
        return true;
    case EV_SNAPSHOT: {
        /* the interactions the snapshot listed, in the model's order */
        size_t count = 0;
        for (size_t i = 0; i < m->n_ix; i++) count += m->ix[i]->snapshot_gen == m->snapshot_gen;
        size_t used = (size_t)snprintf(buf, n, "open interactions: %zu", count);
        for (size_t i = 0, k = 0; i < m->n_ix && used < n; i++) {
            const model_ix *it = m->ix[i];
            if (it->snapshot_gen != m->snapshot_gen) continue;
            used += (size_t)snprintf(buf + used, n - used, "%s [%s] %s %s", k++ ? "," : ":", it->iid,
                                     str_or(it->channel, "?"), str_or(it->customer_name, "customer"));
        }
        for (char *p = buf; *p; p++) if (*p == '\n') *p = ' ';
        return true;
    }
    default:
        return false;
    }
}

static void on_change(void *ud, const model_delta *d)
{
    linear_state *st = ud;
    char *buf = mem_alloc(LINEAR_LINE_MAX * 2);
    if (linear_format(&st->s->model, d, buf, LINEAR_LINE_MAX * 2)) out("%s", buf);
    free(buf);
    if (st->bell && agent_alert_due(&st->s->model, d)) fputs("\a", stderr);
    /* a wrapped-up interaction leaves the list once another one is open */
    if (d->type == EV_INTERACTION_STARTED) model_prune(&st->s->model);
    session_shown(st->s);
}

static void on_ack(void *ud, const char *id)
{
    linear_state *st = ud;
    (void)id;
    session_shown(st->s);
}

static const char *level_word(session_notice_level l)
{
    static const char *w[] = {"info", "ok", "warning", "error"};
    return w[l];
}

static void on_notice(void *ud, session_notice_level level, const char *text)
{
    (void)ud;
    out("%s: %s", level_word(level), text);
}

static void on_net(void *ud)
{
    linear_state *st = ud;
    static net_state last = NET_OFFLINE;
    net_state now = net_get_state(st->s->net);
    if (now == last || st->s->app->quit) return;
    last = now;
    static char last_error[160];
    static bool was_ready;
    if (now == NET_WAITING) {
        /* one line per new situation, not one per retry */
        if (!was_ready && strcmp(last_error, net_last_error(st->s->net)) == 0) return;
        snprintf(last_error, sizeof last_error, "%s", net_last_error(st->s->net));
        out("connection: %s (%s), retrying with growing delays (now %.1f s)",
            was_ready ? "lost" : "cannot connect", last_error, net_retry_in_ms(st->s->net) / 1000.0);
        was_ready = false;
    } else if (now == NET_READY) {
        was_ready = true;
        last_error[0] = 0;
        out("connection: connected to %s", net_url(st->s->net));
    } else if (now == NET_REFUSED) {
        out("connection: refused: %s", net_last_error(st->s->net));
    }
}


/* ---- commands ---- */

typedef void (*cmd_fn)(linear_state *st, const char *arg);

static void report(bool ok, const char *err)
{
    if (!ok) out("error: %s", err);
}

static void cmd_reply(linear_state *st, const char *arg)
{
    char err[256];
    model_ix *ix = model_active(&st->s->model);
    if (!ix) { out("error: no interaction is open"); return; }
    report(session_reply(st->s, ix->iid, arg, err, sizeof err), err);
}

static void cmd_note(linear_state *st, const char *arg)
{
    char err[256];
    report(agent_send_line(st->s, arg, true, err, sizeof err), err);
}

static void cmd_use(linear_state *st, const char *arg)
{
    char err[256];
    const char *text = agent_use_suggestion(st->s, atoi(arg), err, sizeof err);
    if (!text) { out("error: %s", err); return; }
    model_ix *ix = model_active(&st->s->model);
    bool ok = ix && !agent_line_is_note(ix) ? session_reply(st->s, ix->iid, text, err, sizeof err)
                                            : agent_send_line(st->s, text, true, err, sizeof err);
    report(ok, err);
}

static void cmd_dismiss(linear_state *st, const char *arg)
{
    char err[256];
    report(agent_dismiss_suggestion(st->s, atoi(arg), err, sizeof err), err);
}

static void cmd_hand(linear_state *st, const char *arg)
{
    char err[256];
    bool raised;
    report(agent_toggle_hand(st->s, arg, &raised, err, sizeof err), err);
}

static void cmd_break(linear_state *st, const char *arg)
{
    (void)arg;
    char err[256];
    bool on_break;
    report(agent_toggle_break(st->s, &on_break, err, sizeof err), err);
}

static void cmd_wrapup(linear_state *st, const char *arg)
{
    char err[256];
    model_ix *ix = model_active(&st->s->model);
    if (!ix) { out("error: no interaction is open"); return; }
    char code[PROTO_MAX_SHORT];
    size_t k = strcspn(arg, " ");
    if (k == 0 || k >= sizeof code) { out("error: usage: /wrapup CODE SUMMARY"); return; }
    memcpy(code, arg, k);
    code[k] = 0;
    const char *summary = arg[k] ? arg + k + 1 : (ix->summary ? ix->summary : "");
    report(session_wrapup(st->s, ix->iid, code, summary, false, err, sizeof err), err);
}

static void cmd_step(linear_state *st, int delta)
{
    model_step_active(&st->s->model, delta);
    model_ix *ix = model_active(&st->s->model);
    if (ix) out("active: [%s] %s %s", ix->iid, str_or(ix->channel, "?"), agent_customer_name(ix));
    else out("active: none");
}

static void cmd_next(linear_state *st, const char *arg) { (void)arg; cmd_step(st, 1); }
static void cmd_prev(linear_state *st, const char *arg) { (void)arg; cmd_step(st, -1); }

static void cmd_list(linear_state *st, const char *arg)
{
    (void)arg;
    model *m = &st->s->model;
    out("%zu interaction(s), %zu action(s) waiting for the hub", m->n_ix, session_unsent(st->s));
    for (size_t i = 0; i < m->n_ix; i++) {
        model_ix *ix = m->ix[i];
        out("%s [%s] %s %s %s, %zu lines, %zu flags", i == m->active ? ">" : " ", ix->iid,
            str_or(ix->channel, "?"), agent_customer_name(ix),
            ix->state == IX_LIVE ? "live" : ix->state == IX_ENDED ? "ended" : "wrapped up",
            ix->count, ix->n_flags);
    }
}

static void cmd_help(linear_state *st, const char *arg);

static void cmd_quit(linear_state *st, const char *arg)
{
    (void)arg;
    size_t n = session_unsent(st->s);
    if (n && !st->quit_asked) {
        st->quit_asked = true;
        if (st->s->outbox.path)
            out("%zu action(s) not yet acknowledged by the hub; they are kept and sent next time. "
                "/quit again to quit now.", n);
        else
            out("%zu action(s) not yet acknowledged by the hub are lost on quit (not saved: %s). "
                "/quit again to quit now.", n, st->s->not_saved ? st->s->not_saved : "no state directory");
        return;
    }
    app_quit(st->s->app, 0);
}

static const struct { const char *name, *args, *help; cmd_fn fn; } commands[] = {
    {"/reply", "TEXT", "send TEXT to the customer (chat)", cmd_reply},
    {"/note", "TEXT", "add a note to the interaction", cmd_note},
    {"/use", "N", "send suggestion N (1 = the best of the newest)", cmd_use},
    {"/dismiss", "N", "dismiss suggestion N", cmd_dismiss},
    {"/hand", "[TEXT]", "raise your hand to a supervisor", cmd_hand},
    {"/break", "", "take a break (no new contact is offered), or be available again", cmd_break},
    {"/wrapup", "CODE [SUMMARY]", "wrap up with a disposition code (default: the drafted summary)", cmd_wrapup},
    {"/next", "", "make the next interaction active", cmd_next},
    {"/prev", "", "make the previous interaction active", cmd_prev},
    {"/list", "", "list interactions and waiting actions", cmd_list},
    {"/help", "", "this list", cmd_help},
    {"/quit", "", "quit (asks once when actions are waiting)", cmd_quit},
};

static void cmd_help(linear_state *st, const char *arg)
{
    (void)st; (void)arg;
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        out("%s %s - %s", commands[i].name, commands[i].args, commands[i].help);
    out("a line without / is a reply in a chat and a note in a call");
}

static void run_line(linear_state *st, char *line)
{
    size_t clean_len;
    char *clean = text_clean(line, strlen(line), 0, &clean_len);
    char *p = clean;
    while (*p == ' ') p++;
    size_t n = strlen(p);
    while (n && p[n - 1] == ' ') p[--n] = 0;
    if (!*p) { free(clean); return; }
    if (*p != '/') {
        char err[256];
        report(agent_send_line(st->s, p, false, err, sizeof err), err);
        free(clean);
        return;
    }
    size_t k = strcspn(p, " ");
    const char *arg = p[k] ? p + k + 1 : "";
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (strlen(commands[i].name) == k && strncmp(commands[i].name, p, k) == 0) {
            if (commands[i].fn != cmd_quit) st->quit_asked = false;
            commands[i].fn(st, arg);
            free(clean);
            return;
        }
    }
    out("error: unknown command %.*s (try /help)", (int)(k > 40 ? 40 : k), p);
    free(clean);
}

static void line_in(void *ud, char *line)
{
    if (line) run_line(ud, line);
    else out("error: line longer than %d bytes ignored", LINEAR_LINE_MAX - 1);
}

static void on_input(app *a)
{
    linear_state *st = a->front_data;
    if (stdin_lines_read(a, &st->lines, line_in, st) == STDIN_LINES_END) a->front->on_input_closed(a);
}

/* End of input is not the end of the session: the events keep printing (an event
 * printer reads from /dev/null) until /quit or a signal. */
static void on_input_closed(app *a)
{
    linear_state *st = a->front_data;
    a->stdin_eof = true;
    if (st->eof) return;
    stdin_lines_flush(&st->lines, line_in, st);
    st->eof = true;
}

const app_front linear_front = {
    .name = "linear",
    .on_input = on_input,
    .on_input_closed = on_input_closed,
};

void linear_set_bell(app *a, bool on)
{
    linear_state *st = a->front_data;
    if (st) st->bell = on;
}

void linear_attach(app *a, session *s)
{
    memset(&the_state, 0, sizeof the_state);
    the_state.s = s;
    the_state.lines = (stdin_lines){.buf = the_state.in, .cap = sizeof the_state.in};
    a->front = &linear_front;
    a->front_data = &the_state;
    static const session_listener l = {
        .on_change = on_change, .on_ack = on_ack, .on_notice = on_notice, .on_net = on_net,
    };
    session_set_listener(s, &l, &the_state);
}
