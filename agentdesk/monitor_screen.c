/* monitor_screen.c — the supervisor floor on curses: keys, prompts, toasts, open read-only. */
#include "agentdesk/monitor_screen.h"
#include "agentdesk/agent_sync.h"
#include "agentdesk/monitor_keys.h"
#include "agentdesk/monitor_view.h"
#include "agentdesk/screen.h"
#include "agentdesk/agent.h"
#include "base/clock.h"
#include "base/mem.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define TOAST_MS 4000

typedef enum { PROMPT_NONE, PROMPT_WHISPER, PROMPT_FILTER, PROMPT_TAKEOVER, PROMPT_REPLY } prompt_kind;

typedef struct {
    app *a;
    session *s;
    const keys_table *keys;
    monitor_view v;
    prompt_kind prompt;
    char prompt_iid[PROTO_MAX_ID + 1];   /* the interaction a whisper is for */
    /* The interaction a barge was just sent for: its join comes back a moment later, and a
     * supervisor who types `b` then `r` at once should get the reply line (the hub refuses the
     * reply itself if the barge was refused). */
    char barging_iid[PROTO_MAX_ID + 1];
    char filter_before[MONITOR_FILTER_MAX];
} monitor_screen;

static monitor_screen the_screen;

static void hide_toast(app *a)
{
    monitor_screen *ms = a->front_data;
    toast_hide(ms->v.toast);
    app_mark_dirty(a);
}

static void notify(monitor_screen *ms, const char *text, theme_item item)
{
    toast_show(ms->v.toast, text, item);
    app_timer_arm(ms->a, APP_TIMER_TOAST, TOAST_MS, hide_toast);
    app_mark_dirty(ms->a);
}

static void relayout(monitor_screen *ms)
{
    monitor_view_hints(&ms->v, ms->keys);
    monitor_view_layout(&ms->v);
    app_mark_dirty(ms->a);
}

/* The interaction the keys act on: the opened one, else the grid's selection. */
static model_ix *target(monitor_screen *ms)
{
    if (ms->v.open) return model_active(&ms->s->model);
    return ms->v.tab == MV_INTERACTIONS ? monitor_view_selected(&ms->v) : NULL;
}

static void open_selected(monitor_screen *ms)
{
    model_ix *ix = monitor_view_selected(&ms->v);
    if (!ix) return;
    model *m = &ms->s->model;
    for (size_t i = 0; i < m->n_ix; i++)
        if (m->ix[i] == ix) model_set_active(m, i);
    ms->v.open = true;
    /* the hub's audit records who opened what; it follows live interactions only */
    if (ix->state == IX_LIVE) session_follow(ms->s, ix->iid, true);
    ms->v.av.keys = ms->keys;
    ms->v.av.outbox = &ms->s->outbox;
    relayout(ms);
    agent_sync_resized(&ms->v.av, ms->s);
    agent_sync_all(&ms->v.av, ms->s);
    monitor_view_sync_open(&ms->v);
}

static void close_open(monitor_screen *ms)
{
    ms->v.open = false;
    /* back where it was: the row of the interaction that was open */
    model_ix *ix = model_active(&ms->s->model);
    if (ix) session_follow(ms->s, ix->iid, false);
    if (ix) monitor_view_select_iid(&ms->v, ix->iid);
    relayout(ms);
}

/* An action on an interaction needs one selected, and live. */
static bool live_target(monitor_screen *ms, const model_ix *ix)
{
    if (!ix) notify(ms, "select an interaction first", THEME_STATUS_WARN);
    else if (ix->state != IX_LIVE) notify(ms, "that interaction has ended", THEME_STATUS_WARN);
    return ix && ix->state == IX_LIVE;
}

/* The agent a supervisor typed for a take-over: a user name, or a display name (any
 * case, or the first word of it) of an agent on the floor. */
static const char *agent_named(monitor_screen *ms, const char *typed)
{
    const monitor_floor *f = &ms->v.floor;
    for (size_t i = 0; i < f->n_agents; i++)
        if (!strcasecmp(f->agents[i].agent, typed) || !strcasecmp(f->agents[i].name, typed)) return f->agents[i].agent;
    size_t n = strlen(typed);
    for (size_t i = 0; i < f->n_agents; i++)
        if (!strncasecmp(f->agents[i].name, typed, n) && (f->agents[i].name[n] == ' ' || !f->agents[i].name[n]))
            return f->agents[i].agent;
    return typed;   /* the hub knows every agent; it says when there is none */
}

static void start_prompt(monitor_screen *ms, prompt_kind kind)
{
    model_ix *ix = target(ms);
    if (kind == PROMPT_REPLY) {
        if (!live_target(ms, ix)) return;
        const char *me = ms->s->model.user;
        bool barging = !strcmp(ms->barging_iid, ix->iid);
        if (!ix->joined && !barging && !(me && ix->agent && !strcmp(ix->agent, me))) {
            notify(ms, "barge in (b) or take it over (t) first", THEME_STATUS_WARN);
            return;
        }
        if (!ix->channel || strcmp(ix->channel, "chat") != 0) {   /* the hub takes replies in chats */
            notify(ms, "a call: replies are for chats; whisper (w) to the agent", THEME_STATUS_WARN);
            return;
        }
        snprintf(ms->prompt_iid, sizeof ms->prompt_iid, "%s", ix->iid);
        inputline_set_prompt(ms->v.prompt, "reply> ");
        inputline_clear(ms->v.prompt);
    } else if (kind == PROMPT_TAKEOVER) {
        if (!live_target(ms, ix)) return;
        snprintf(ms->prompt_iid, sizeof ms->prompt_iid, "%s", ix->iid);
        inputline_set_prompt(ms->v.prompt, "take over to> ");
        inputline_clear(ms->v.prompt);
        notify(ms, "Enter: take it yourself; or type the agent who takes it", THEME_TOAST);
    } else if (kind == PROMPT_WHISPER) {
        if (!live_target(ms, ix)) return;
        snprintf(ms->prompt_iid, sizeof ms->prompt_iid, "%s", ix->iid);
        /* the prompt has few columns: the agent's first name says who reads it */
        const char *who = ix->agent_name && *ix->agent_name ? ix->agent_name : ix->agent ? ix->agent : "";
        char p[64];
        snprintf(p, sizeof p, "whisper %.*s> ", (int)(strcspn(who, " ") > 12 ? 12 : strcspn(who, " ")), who);
        inputline_set_prompt(ms->v.prompt, p);
        inputline_clear(ms->v.prompt);
    } else {
        snprintf(ms->filter_before, sizeof ms->filter_before, "%s", ms->v.floor.filter);
        inputline_set_prompt(ms->v.prompt, "filter> ");
        inputline_set_text(ms->v.prompt, ms->v.floor.filter);
    }
    ms->prompt = kind;
    ms->v.prompting = true;
    relayout(ms);
}

static void end_prompt(monitor_screen *ms)
{
    ms->prompt = PROMPT_NONE;
    ms->v.prompting = false;
    relayout(ms);
}

static void set_filter(monitor_screen *ms, const char *text)
{
    snprintf(ms->v.floor.filter, sizeof ms->v.floor.filter, "%s", text);
    monitor_view_refresh(&ms->v, true);
}

static void prompt_key(monitor_screen *ms, widget_key k)
{
    if (k == WK_ESC) {
        if (ms->prompt == PROMPT_FILTER) set_filter(ms, ms->filter_before);
        end_prompt(ms);
        return;
    }
    widget_result r = widget_handle_key(inputline_widget(ms->v.prompt), k);
    if (ms->prompt == PROMPT_FILTER) {
        set_filter(ms, inputline_text(ms->v.prompt));   /* the grid narrows as one types */
        if (r == WIDGET_SUBMIT) end_prompt(ms);
        return;
    }
    if (r != WIDGET_SUBMIT) return;
    const char *text = inputline_text(ms->v.prompt);
    char err[200];
    if (ms->prompt == PROMPT_TAKEOVER) {
        if (!session_takeover(ms->s, ms->prompt_iid, *text ? agent_named(ms, text) : NULL, err, sizeof err))
            notify(ms, err, THEME_STATUS_BAD);
    } else if (ms->prompt == PROMPT_REPLY) {
        if (*text && !session_reply(ms->s, ms->prompt_iid, text, err, sizeof err)) notify(ms, err, THEME_STATUS_BAD);
    } else if (*text && !session_whisper(ms->s, ms->prompt_iid, text, err, sizeof err)) {
        notify(ms, err, THEME_STATUS_BAD);
    }
    end_prompt(ms);
}

static void barge(monitor_screen *ms, bool leave)
{
    model_ix *ix = target(ms);
    char err[200];
    if (!live_target(ms, ix)) return;
    if (leave && !ix->joined) { notify(ms, "you have not barged into this one (b joins)", THEME_STATUS_WARN); return; }
    if (!leave && ix->joined) { notify(ms, "you are in this interaction already (l leaves)", THEME_STATUS_WARN); return; }
    if (!(leave ? session_leave : session_barge)(ms->s, ix->iid, err, sizeof err)) {
        notify(ms, err, THEME_STATUS_BAD);
        return;
    }
    snprintf(ms->barging_iid, sizeof ms->barging_iid, "%s", leave ? "" : ix->iid);
}

/* Acknowledge: on Alerts the selected alert; elsewhere the interaction's raised hand, else
 * its first severe flag nobody acknowledged. */
static void ack(monitor_screen *ms)
{
    const model_ix *ix = NULL;
    int64_t seq = 0;
    if (!ms->v.open && ms->v.tab == MV_ALERTS) {
        const monitor_alert *al = monitor_view_selected_alert(&ms->v);
        if (al) { ix = al->ix; seq = al->flag ? al->flag->seq : al->ix->hand_seq; }
    } else if ((ix = target(ms)) != NULL) {
        if (ix->hand_raised && !ix->hand_acked_by[0]) seq = ix->hand_seq;
        for (size_t i = 0; !seq && i < ix->n_flags; i++)
            if (ix->flags[i].severity >= 3 && !ix->flags[i].acked_by[0]) seq = ix->flags[i].seq;
    }
    char err[200];
    if (!ix || seq <= 0) notify(ms, "nothing to acknowledge here", THEME_STATUS_WARN);
    else if (!session_alert_ack(ms->s, ix->iid, seq, err, sizeof err)) notify(ms, err, THEME_STATUS_BAD);
}

static void open_help(monitor_screen *ms)
{
    static const helpview_row marks[] = {
        {NULL, "Marks"}, {"H", "a raised hand"}, {"!! / !", "a severe / a warning flag"},
        {"→", "a bot holds it and the customer needs a person"},
        {"Q", "quadrant, complexity then emotional charge: HH people first, LH a person helped by "
              "automation, HL automation helped by a person, LL automation can carry it"},
        {"highlight", "the row worsened in the last few seconds"},
    };
    const keys_table *t = ms->keys;
    size_t nm = sizeof marks / sizeof *marks;
    helpview_row *rows = mem_zalloc(t->n + 1 + nm, sizeof *rows);
    char (*keys)[64] = mem_zalloc(t->n, sizeof *keys);
    size_t n = 0;
    rows[n++] = (helpview_row){NULL, "Keys"};
    for (size_t i = 0; i < t->n; i++) {
        keys_describe(t, i, " ", keys[i], sizeof keys[i]);
        rows[n++] = (helpview_row){keys[i], t->actions[i].help};
    }
    for (size_t i = 0; i < nm; i++) rows[n++] = marks[i];
    ms->v.help = helpview_new("Help: the floor");
    helpview_set_rows(ms->v.help, rows, n);
    free(rows);
    free(keys);
    relayout(ms);
}

static void close_help(monitor_screen *ms)
{
    widget_set_visible(helpview_widget(ms->v.help), false);
    widget_destroy(helpview_widget(ms->v.help));
    ms->v.help = NULL;
    relayout(ms);
}

static void switch_tab(monitor_screen *ms, int delta)
{
    if (ms->v.open) { agent_view_cycle(&ms->v.av, delta); relayout(ms); return; }
    ms->v.tab = (monitor_tab)(((int)ms->v.tab + delta + MV__COUNT) % MV__COUNT);
    monitor_view_refresh(&ms->v, false);
    relayout(ms);
}

static void handle_key(monitor_screen *ms, widget_key k)
{
    if (ms->v.help) {
        if (widget_handle_key(helpview_widget(ms->v.help), k) == WIDGET_CANCEL) close_help(ms);
        return;
    }
    if (ms->prompt != PROMPT_NONE) { prompt_key(ms, k); return; }
    int act = keys_lookup(ms->keys, k, KEYS_COMMAND);
    table *tb = monitor_view_table(&ms->v);
    switch (act) {
    case MK_OPEN:
        if (!ms->v.open && ms->v.tab == MV_INTERACTIONS) open_selected(ms);
        break;
    case MK_BACK: if (ms->v.open) close_open(ms); break;
    case MK_WHISPER: start_prompt(ms, PROMPT_WHISPER); break;
    case MK_BARGE: barge(ms, false); break;
    case MK_LEAVE: barge(ms, true); break;
    case MK_TAKEOVER: start_prompt(ms, PROMPT_TAKEOVER); break;
    case MK_REPLY: start_prompt(ms, PROMPT_REPLY); break;
    case MK_ACK: ack(ms); break;
    case MK_SORT:
        ms->v.floor.sort = (monitor_sort)((ms->v.floor.sort + 1) % SORT__COUNT);
        monitor_view_refresh(&ms->v, true);
        break;
    case MK_FILTER: if (!ms->v.open) start_prompt(ms, PROMPT_FILTER); break;
    case MK_TAB: switch_tab(ms, 1); break;
    case MK_TAB_BACK: switch_tab(ms, -1); break;
    case MK_METRICS:
        if (!ms->v.open) switch_tab(ms, (ms->v.tab == MV_METRICS ? MV_INTERACTIONS : MV_METRICS) - (int)ms->v.tab);
        break;
    case MK_UP: case MK_DOWN: case MK_PAGE_UP: case MK_PAGE_DOWN:
        if (ms->v.open) {
            widget_handle_key(textview_widget(ms->v.av.tv), k);
        } else {
            widget_handle_key(table_widget(tb), k);
            if (tb == ms->v.grid) {
                model_ix *ix = monitor_view_selected(&ms->v);
                monitor_view_select_iid(&ms->v, ix ? ix->iid : "");
            }
        }
        break;
    case MK_HELP: open_help(ms); break;
    case MK_REDRAW: relayout(ms); break;
    case MK_QUIT: app_quit(ms->a, 0); break;
    default:
        /* Home/End and the like go to what is shown */
        if (!ms->v.open && widget_handle_key(table_widget(tb), k) == WIDGET_HANDLED && tb == ms->v.grid) {
            model_ix *ix = monitor_view_selected(&ms->v);
            monitor_view_select_iid(&ms->v, ix ? ix->iid : "");
        }
        break;
    }
}

static void on_input(app *a)
{
    monitor_screen *ms = a->front_data;
    widget_key k;
    int budget = 4096;
    while (budget-- > 0 && screen_read_key(&k)) {
        handle_key(ms, k);
        if (a->quit) return;
    }
    app_mark_dirty(a);
}

static void render(app *a)
{
    monitor_screen *ms = a->front_data;
    int64_t t0 = clock_mono_us();
    if (!ms->v.open) monitor_view_refresh(&ms->v, false);
    if (ms->v.floor.crossed) {   /* the bot is losing this customer: a person should take it */
        char text[TOAST_TEXT_MAX];
        snprintf(text, sizeof text, "→ %s needs a person (a bot holds it, %s): t takes it over",
                 agent_customer_name(ms->v.floor.crossed), ms->v.floor.crossed->queue ? ms->v.floor.crossed->queue : "");
        ms->v.floor.crossed = NULL;
        notify(ms, text, THEME_STATUS_WARN);
    }
    screen_render(ms->v.render, ms->v.n_render);
    if (ms->prompt != PROMPT_NONE && !ms->v.help) {
        curs_set(1);
        inputline_place_cursor(ms->v.prompt);
    } else {
        curs_set(0);
    }
    doupdate();
    session_drawn(ms->s, clock_mono_us() - t0);
    session_shown(ms->s);
}

static void on_resize(app *a)
{
    screen_resize();
    monitor_screen *ms = a->front_data;
    relayout(ms);
    if (ms->v.open) {
        agent_sync_resized(&ms->v.av, ms->s);
        monitor_view_sync_open(&ms->v);
    }
}

static void on_suspend(app *a) { (void)a; screen_suspend(); }
static void on_continue(app *a) { screen_resume(); relayout(a->front_data); }

static void on_tick(app *a)
{
    monitor_screen *ms = a->front_data;
    if (ms->v.open) {
        agent_sync_list(&ms->v.av, ms->s);   /* durations */
        monitor_view_sync_open(&ms->v);
    }
    app_mark_dirty(a);
}

static void restore(app *a) { (void)a; screen_stop(); }

static const app_front monitor_front = {
    .name = "monitor", .on_input = on_input, .on_resize = on_resize, .on_suspend = on_suspend,
    .on_continue = on_continue, .render = render, .on_tick = on_tick, .restore = restore,
};

/* ---- session listener ---- */

static void on_change(void *ud, const model_delta *d)
{
    monitor_screen *ms = ud;
    model_ix *ix = d->ix;
    if (ms->v.open && ix && ix == model_active(&ms->s->model)) {
        agent_sync_change(&ms->v.av, ms->s, d);
        monitor_view_sync_open(&ms->v);
    }
    if (ms->v.open && (d->what & MODEL_CH_RESET)) close_open(ms);
    /* what a supervisor must not miss: a hand, a severe flag, as it happens. The history a
     * snapshot replays (its seqs are at most the snapshot's) is on the Alerts tab when still
     * open, not news: no toast for it. */
    char text[TOAST_TEXT_MAX];
    bool live = ix && !ms->s->model.snap_seq && !(d->what & (MODEL_CH_DUPLICATE | MODEL_CH_IGNORED));
    if (live && d->type == EV_HAND_RAISED && ix->hand_raised) {
        snprintf(text, sizeof text, "H %s raised a hand · %s", ix->agent_name ? ix->agent_name : "",
                 agent_customer_name(ix));
        notify(ms, text, THEME_STATUS_BAD);
    } else if (live && d->flag_added && ix->flags[d->flag].severity >= 3) {
        snprintf(text, sizeof text, "!! %s · %s · %s", ix->flags[d->flag].kind, agent_customer_name(ix),
                 ix->agent_name ? ix->agent_name : "");
        notify(ms, text, THEME_FLAG_3);
    }
    if (d->what & ~(MODEL_CH_DUPLICATE | MODEL_CH_IGNORED)) app_mark_dirty(ms->a);
}

static void on_notice(void *ud, session_notice_level level, const char *text)
{
    static const theme_item items[] = {THEME_TOAST, THEME_STATUS_OK, THEME_STATUS_WARN, THEME_STATUS_BAD};
    notify(ud, text, items[level]);
}

static void on_net(void *ud)
{
    monitor_screen *ms = ud;
    if (ms->s->net && net_get_state(ms->s->net) == NET_READY) session_subscribe_all(ms->s);
    monitor_view_refresh(&ms->v, false);
    app_mark_dirty(ms->a);
}

static void on_outbox(void *ud) { app_mark_dirty(((monitor_screen *)ud)->a); }

bool monitor_screen_attach(app *a, session *s, const keys_table *keys, const theme *t,
                           bool curses_up, char *err, size_t errlen)
{
    monitor_screen *ms = &the_screen;
    memset(ms, 0, sizeof *ms);
    ms->a = a;
    ms->s = s;
    ms->keys = keys;
    monitor_view_init(&ms->v, s);
    a->front = &monitor_front;
    a->front_data = ms;
    if (curses_up)   /* the agent screen's timers would call it with our state */
        for (int i = 0; i < APP_TIMER_COUNT; i++) app_timer_cancel(a, (app_timer)i);
    else if (!screen_start(t, err, errlen))
        return false;
    static const session_listener l = {
        .on_change = on_change, .on_notice = on_notice, .on_net = on_net, .on_outbox = on_outbox,
    };
    session_set_listener(s, &l, ms);
    if (s->net && net_get_state(s->net) == NET_READY) session_subscribe_all(s);
    monitor_view_refresh(&ms->v, true);
    relayout(ms);
    app_set_tick(a, APP_TICK_SECOND);
    return true;
}

struct monitor_view *monitor_screen_view(app *a)
{
    return a->front == &monitor_front ? &((monitor_screen *)a->front_data)->v : NULL;
}

void monitor_screen_free(app *a)
{
    if (a->front != &monitor_front) return;
    monitor_screen *ms = a->front_data;
    monitor_view_free(&ms->v);
}
