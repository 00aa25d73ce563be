/* replay_screen.c — the trainer's player: keys, the timeline bar, notes, help. The model is
 * moved only by the player (replay_player.c); the agent's widgets are filled by agent_sync
 * exactly as in the agent console, so the replay shows what the agent's screen showed. */
#include "agentdesk/replay_screen.h"
#include "agentdesk/agent.h"
#include "agentdesk/agent_sync.h"
#include "agentdesk/agent_view.h"
#include "agentdesk/replay_card.h"
#include "agentdesk/replay_keys.h"
#include "agentdesk/screen.h"
#include "base/clock.h"
#include "base/mem.h"
#include "base/text.h"
#include "widgets/timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOAST_MS 2500

typedef enum { PROMPT_NONE, PROMPT_GOTO, PROMPT_NOTE, PROMPT_EDIT, PROMPT_COMMENT } prompt_kind;

typedef struct {
    app *a;
    session *s;
    const keys_table *keys;
    replay_screen_setup set;
    replay_player pl;
    agent_view v;
    timeline *bar;
    pane *p_notes;
    list *l_notes;
    view_rows r_notes;
    bool notes_open;
    replay_card *card;       /* the score card's pane, NULL without a card */
    bool card_open;
    prompt_kind prompt;
    size_t edit_i;
    char problems[600];
    widget *render[32];
    size_t n_render;
} replay_screen;

static replay_screen the_screen;

static int64_t now_us(void) { return clock_mono_us(); }

static void hide_toast(app *a)
{
    replay_screen *rs = a->front_data;
    toast_hide(rs->v.toast);
    agent_sync_flash_done(&rs->v, rs->s);
    app_mark_dirty(a);
}

static void notify(replay_screen *rs, const char *text, theme_item item)
{
    toast_show(rs->v.toast, text, item);
    agent_view_place_toast(&rs->v);
    app_timer_arm(rs->a, APP_TIMER_TOAST, TOAST_MS, hide_toast);
}

/* ---- the bar: ├──●──!──▼──*──┤ 04:12 / 11:40  2x  PLAYING ---- */

static double frac(int64_t t, int64_t dur) { return dur > 0 ? (double)t / (double)dur : 0; }

static void sync_bar(replay_screen *rs)
{
    const recording *r = rs->set.rec;
    int64_t dur = recording_duration(r);
    char cur[16], total[16], right[64], speed[16];
    replay_fmt_time(rs->pl.cur_ms, cur, sizeof cur);
    replay_fmt_time(dur, total, sizeof total);
    snprintf(speed, sizeof speed, "%gx", rs->pl.speed);
    bool end = rs->pl.pos >= r->n_events && r->n_events;
    const char *state = rs->pl.playing ? "PLAYING" : end ? "END" : "PAUSED";
    if (COLS >= 60) snprintf(right, sizeof right, "%s / %s  %s  %s", cur, total, speed, state);
    else snprintf(right, sizeof right, "%s/%s %s %s", cur, total, speed, rs->pl.playing ? "▶" : end ? "■" : "‖");
    static timeline_mark marks[TIMELINE_MARKS_MAX];
    size_t n = 0;
    /* notes first: a flag or a drop in the same cell says more */
    for (size_t i = 0; i < rs->set.notes->count && n < TIMELINE_MARKS_MAX; i++)
        marks[n++] = (timeline_mark){frac(rs->set.notes->n[i].t_ms, dur), "*", THEME_HINT_KEY};
    for (size_t i = 0; i < rs->set.tl->n_marks && n < TIMELINE_MARKS_MAX; i++) {
        const replay_mark *m = &rs->set.tl->marks[i];
        bool flag = m->kind == MARK_FLAG;
        theme_item item = !flag ? THEME_SENTIMENT_NEGATIVE : m->severity >= 3 ? THEME_FLAG_3
                        : m->severity == 2 ? THEME_FLAG_2 : THEME_FLAG_1;
        marks[n] = (timeline_mark){frac(r->events[m->event].t_ms, dur), "", item};
        snprintf(marks[n].glyph, sizeof marks[n].glyph, "%s", flag ? "!" : "▼");
        n++;
    }
    timeline_set(rs->bar, frac(rs->pl.cur_ms, dur), marks, n, right,
                 rs->pl.playing ? THEME_STATUS_OK : THEME_HEADER_STATE);
}

/* The agent's views time a live call by the wall clock; in a replay the call's running
 * time is the recording's clock, so the title and the Mine row say that instead. */
static void sync_clock(replay_screen *rs)
{
    model_ix *ix = model_active(&rs->s->model);
    if (!ix) return;
    char t[16], title[PANE_TITLE_MAX];
    int64_t ms = ix->ended_ms && ix->ended_ms >= ix->started_ms ? ix->ended_ms - ix->started_ms : rs->pl.cur_ms;
    replay_fmt_time(ms, t, sizeof t);
    snprintf(title, sizeof title, "%s · %s · %s · %s", agent_customer_name(ix), ix->channel ? ix->channel : "?",
             ix->queue ? ix->queue : "?", t);
    pane_set_title(rs->v.p_tr, title);
    /* the agent's "ended: ^W wrap up" names a key the replay does not have */
    if (ix->state == IX_ENDED) pane_set_right(rs->v.p_tr, "ended");
    if (ix->state != IX_LIVE) return;
    for (size_t i = 0; i < rs->v.r_ix.n; i++) {
        free(rs->v.r_ix.r[i].right);
        rs->v.r_ix.r[i].right = mem_strdup(t);
    }
    list_changed(rs->v.l_ix);
}

/* ---- header and hints ---- */

static void sync_header(replay_screen *rs)
{
    sync_clock(rs);
    const recording *r = rs->set.rec;
    model_ix *ix = model_active(&rs->s->model);
    char who[300], warn[80] = "";
    const char *agent = ix && ix->agent_name && *ix->agent_name ? ix->agent_name : r->agent;
    const char *queue = ix && ix->queue && *ix->queue ? ix->queue : r->queue;
    if (ix) snprintf(who, sizeof who, "%s · agent %s · %s", agent_customer_name(ix), agent, queue);
    else snprintf(who, sizeof who, "%s · agent %s · %s", *r->iid ? r->iid : "recording", agent, queue);
    if (r->version > RECORDING_VERSION) snprintf(warn, sizeof warn, "newer format v%d", r->version);
    else if (r->n_bad) snprintf(warn, sizeof warn, "%zu damaged line%s", r->n_bad, r->n_bad == 1 ? "" : "s");
    else if (r->torn) snprintf(warn, sizeof warn, "cut off at the end");
    statusbar_seg seg[4];
    int n = 0;
    if (rs->v.lay.mode != LAYOUT_SINGLE) seg[n++] = (statusbar_seg){"replay", THEME_HEADER_STATE, STATUSBAR_LEFT};
    seg[n++] = (statusbar_seg){who, 0, STATUSBAR_LEFT};
    if (*warn) seg[n++] = (statusbar_seg){warn, THEME_STATUS_WARN, STATUSBAR_RIGHT};
    if (rs->v.lay.mode != LAYOUT_SINGLE) seg[n++] = (statusbar_seg){"? help", 0, STATUSBAR_RIGHT};
    statusbar_set(rs->v.header, seg, n);
    agent_view_place_toast(&rs->v);
}

static void first_key(const replay_screen *rs, int action, char *buf, size_t n)
{
    int i = keys_index_of(rs->keys, action);
    buf[0] = 0;
    if (i >= 0 && rs->keys->bind[i].n) keys_name(rs->keys->bind[i].key[0], buf, n);
}

static void sync_hints(replay_screen *rs)
{
    static const struct { int a1, a2; const char *label; } play_hints[] = {
        /* what does not fit is left out from the end: help comes before the rest */
        {RK_PLAY, -1, "play"}, {RK_HELP, -1, "help"}, {RK_SLOWER, RK_FASTER, "speed"},
        {RK_BACK, RK_FORWARD, "step"}, {RK_GOTO, -1, "go to"}, {RK_PREV_MARK, RK_NEXT_MARK, "flags"},
        {RK_ANNOTATE, -1, "note"}, {RK_NOTES, -1, "notes"}, {RK_SCORECARD, -1, "score"}, {RK_QUIT, -1, "quit"},
    }, notes_hints[] = {
        {-1, -1, "go to"}, {RK_EDIT, -1, "edit"}, {RK_DELETE, -1, "delete"}, {RK_ANNOTATE, -1, "add"},
        {RK_NOTES, -1, "close"},
    };
    /* the card's own keys are fixed (replay_card.h), so its hints are too */
    static const statusbar_hint card_hints[] = {
        {"↑/↓", "move"}, {"y/n/x", "yes/no/N-A"}, {"1-5", "score"}, {"Enter", "confirm"},
        {"c", "comment"}, {"s", "close"},
    };
    if (rs->card_open) {
        statusbar_set_hints(rs->v.hints, card_hints, (int)(sizeof card_hints / sizeof *card_hints));
        return;
    }
    char keys[16][40];
    statusbar_hint h[16];
    int n = 0;
    bool notes = rs->notes_open;
    size_t count = notes ? sizeof notes_hints / sizeof *notes_hints : sizeof play_hints / sizeof *play_hints;
    for (size_t i = 0; i < count && n < 16; i++) {
        int a1 = notes ? notes_hints[i].a1 : play_hints[i].a1, a2 = notes ? notes_hints[i].a2 : play_hints[i].a2;
        char k1[16] = "Enter", k2[16] = "";
        if (a1 >= 0) first_key(rs, a1, k1, sizeof k1);
        if (a2 >= 0) first_key(rs, a2, k2, sizeof k2);
        /* the arrows read better as arrows on one row of hints */
        if (a1 == RK_BACK && strcmp(k1, "Left") == 0 && strcmp(k2, "Right") == 0) snprintf(k1, sizeof k1, "←"), snprintf(k2, sizeof k2, "→");
        snprintf(keys[n], sizeof keys[n], "%s%s%s", k1, *k2 ? "/" : "", k2);
        h[n] = (statusbar_hint){keys[n], notes ? notes_hints[i].label : play_hints[i].label};
        n++;
    }
    statusbar_set_hints(rs->v.hints, h, n);
}

/* ---- notes list ---- */

static void sync_notes(replay_screen *rs)
{
    agent_view_rows_clear(&rs->r_notes);
    for (size_t i = 0; i < rs->set.notes->count; i++) {
        struct view_row *row = agent_view_rows_add(&rs->r_notes);
        char t[16];
        replay_fmt_time(rs->set.notes->n[i].t_ms, t, sizeof t);
        row->mark = mem_strdup(t);
        row->mark_item = THEME_HINT_KEY;
        row->text = mem_strdup(rs->set.notes->n[i].text);
    }
    list_changed(rs->l_notes);
    char title[64];
    snprintf(title, sizeof title, "Notes (%zu)", rs->set.notes->count);
    pane_set_title(rs->p_notes, title);
}

static void save_notes(replay_screen *rs)
{
    char err[400];
    if (!replay_notes_save(rs->set.notes, err, sizeof err)) notify(rs, err, THEME_STATUS_BAD);
    sync_notes(rs);
    sync_bar(rs);
}

static void save_card(replay_screen *rs)
{
    replay_notes_set_scorecard(rs->set.notes, scorecard_answers_to_json(rs->set.card));
    save_notes(rs);
    replay_card_sync(rs->card);
}

/* ---- layout ---- */

static void relayout(replay_screen *rs)
{
    agent_view_layout(&rs->v);
    layout *lay = &rs->v.lay;
    bool prompting = rs->prompt != PROMPT_NONE;
    /* the reply line's row is the timeline; a prompt takes the hints' row */
    widget_set_rect(inputline_widget(rs->v.input), prompting ? lay->hints : (widget_rect){0, 0, 0, 0});
    widget_set_visible(inputline_widget(rs->v.input), prompting);
    widget_set_focus(inputline_widget(rs->v.input), prompting);
    widget_set_visible(statusbar_widget(rs->v.hints), !prompting);
    widget_set_rect(timeline_widget(rs->bar), lay->input);
    rs->n_render = 0;
    for (size_t i = 0; i < rs->v.n_render; i++) {
        widget *w = rs->v.render[i];
        /* overlays (toast, help) stay on top of the bar and the notes */
        if (w == toast_widget(rs->v.toast) || (rs->v.help && w == helpview_widget(rs->v.help))) continue;
        rs->render[rs->n_render++] = w;
    }
    rs->render[rs->n_render++] = timeline_widget(rs->bar);
    widget_rect notes = {lay->header.y + 1, 0, lay->input.y - lay->header.y - 1, COLS};
    if (rs->card) {
        pane *cp = replay_card_pane(rs->card);
        list *cl = replay_card_list(rs->card);
        if (rs->card_open && notes.h >= 3) {
            pane_set_rect(cp, notes);
            pane_set_child(cp, list_widget(cl));
            widget_set_focus(list_widget(cl), true);
            rs->render[rs->n_render++] = pane_widget(cp);
            rs->render[rs->n_render++] = list_widget(cl);
        } else {
            pane_set_child(cp, NULL);
            pane_set_rect(cp, (widget_rect){0, 0, 0, 0});
            widget_set_rect(list_widget(cl), (widget_rect){0, 0, 0, 0});
        }
    }
    if (rs->notes_open && notes.h >= 3) {
        pane_set_rect(rs->p_notes, notes);
        pane_set_child(rs->p_notes, list_widget(rs->l_notes));
        widget_set_focus(list_widget(rs->l_notes), true);
        rs->render[rs->n_render++] = pane_widget(rs->p_notes);
        rs->render[rs->n_render++] = list_widget(rs->l_notes);
    } else {
        pane_set_child(rs->p_notes, NULL);
        pane_set_rect(rs->p_notes, (widget_rect){0, 0, 0, 0});
        widget_set_rect(list_widget(rs->l_notes), (widget_rect){0, 0, 0, 0});
    }
    rs->render[rs->n_render++] = toast_widget(rs->v.toast);
    if (rs->v.help) rs->render[rs->n_render++] = helpview_widget(rs->v.help);
    agent_sync_resized(&rs->v, rs->s);
    agent_sync_titles(&rs->v, rs->s);
    sync_header(rs);
    sync_hints(rs);
    sync_bar(rs);
    widget_mark_all(rs->render, rs->n_render);
}

/* ---- moving ---- */

static void on_delta(void *ctx, const model_delta *d)
{
    replay_screen *rs = ctx;
    if (agent_sync_change(&rs->v, rs->s, d)) app_timer_arm(rs->a, APP_TIMER_TOAST, TOAST_MS, hide_toast);
}

static void tick(app *a);

static void arm(replay_screen *rs)
{
    int64_t ms = replay_player_wake_ms(&rs->pl, now_us());
    if (ms >= 0) app_timer_arm(rs->a, APP_TIMER_USER1, (uint32_t)(ms > 60000 ? 60000 : ms), tick);
}

static void shown(replay_screen *rs, bool everything)
{
    if (everything) agent_sync_all(&rs->v, rs->s);
    sync_header(rs);
    sync_bar(rs);
    app_mark_dirty(rs->a);
}

static void tick(app *a)
{
    replay_screen *rs = a->front_data;
    replay_player_advance(&rs->pl, now_us(), on_delta, rs);
    shown(rs, false);
    arm(rs);
}

void replay_screen_seek(app *a, size_t pos)
{
    replay_screen *rs = a->front_data;
    replay_player_seek(&rs->pl, pos, now_us());
    shown(rs, true);
    arm(rs);
}

static void seek_time(replay_screen *rs, int64_t t)
{
    replay_player_seek_time(&rs->pl, t, now_us());
    shown(rs, true);
    arm(rs);
}

static void start_prompt(replay_screen *rs, prompt_kind k, const char *text)
{
    char p[64], t[16];
    rs->prompt = k;
    replay_fmt_time(rs->pl.cur_ms, t, sizeof t);
    if (k == PROMPT_GOTO) snprintf(p, sizeof p, "go to (mm:ss or 40%%)> ");
    else if (k == PROMPT_NOTE) snprintf(p, sizeof p, "note at %s> ", t);
    else if (k == PROMPT_COMMENT) snprintf(p, sizeof p, "comment> ");
    else snprintf(p, sizeof p, "edit note> ");
    inputline_set_prompt(rs->v.input, p);
    inputline_set_text(rs->v.input, text ? text : "");
    relayout(rs);
}

static void end_prompt(replay_screen *rs, bool submit)
{
    prompt_kind k = rs->prompt;
    const char *text = inputline_text(rs->v.input);
    rs->prompt = PROMPT_NONE;
    if (submit && k == PROMPT_GOTO) {
        int64_t t;
        if (replay_parse_goto(text, recording_duration(rs->set.rec), &t)) seek_time(rs, t);
        else notify(rs, "go to: type mm:ss (04:12), h:mm:ss, seconds, or a percent (40%)", THEME_STATUS_WARN);
    } else if (submit && k == PROMPT_NOTE && *text) {
        size_t i = replay_notes_add(rs->set.notes, rs->pl.cur_ms, text);
        save_notes(rs);
        list_select(rs->l_notes, i);
        notify(rs, "note added (n lists the notes)", THEME_STATUS_OK);
    } else if (submit && k == PROMPT_COMMENT) {
        scorecard_set_comment(rs->set.card, replay_card_selected(rs->card), text);
        save_card(rs);
    } else if (submit && k == PROMPT_EDIT) {
        if (*text) replay_notes_set_text(rs->set.notes, rs->edit_i, text);
        else replay_notes_delete(rs->set.notes, rs->edit_i);
        save_notes(rs);
    }
    inputline_clear(rs->v.input);
    relayout(rs);
}

static void open_help(replay_screen *rs)
{
    static const helpview_row marks[] = {
        {NULL, "On the timeline"},
        {"●", "where the replay stands"},
        {"!", "a flag was raised"},
        {"▼", "the customer's sentiment dropped"},
        {"*", "a note (yours, kept in FILE.notes.json)"},
        {NULL, "The screen above the timeline is what the agent saw at that moment"},
    };
    const keys_table *t = rs->keys;
    size_t nm = sizeof marks / sizeof *marks;
    helpview_row *rows = mem_zalloc(t->n + 2 + nm, sizeof *rows);
    char (*keys)[64] = mem_zalloc(t->n, sizeof *keys);
    size_t n = 0;
    rows[n++] = (helpview_row){NULL, "Keys"};
    for (size_t i = 0; i < t->n; i++) {
        keys_describe(t, i, " ", keys[i], sizeof keys[i]);
        rows[n++] = (helpview_row){keys[i], t->actions[i].help};
    }
    for (size_t i = 0; i < nm; i++) rows[n++] = marks[i];
    char title[128];
    snprintf(title, sizeof title, "Replay help · %.100s", rs->set.title);
    rs->v.help = helpview_new(title);
    helpview_set_rows(rs->v.help, rows, n);
    free(rows);
    free(keys);
    relayout(rs);
}

static void close_help(replay_screen *rs)
{
    widget_set_visible(helpview_widget(rs->v.help), false);
    widget_render(rs->render, rs->n_render);   /* what it covered is shown again */
    widget_destroy(helpview_widget(rs->v.help));
    rs->v.help = NULL;
    clearok(curscr, TRUE);
    relayout(rs);
}

static widget *scroll_target(replay_screen *rs)
{
    if (rs->v.lay.mode != LAYOUT_WIDE) return agent_view_tab_widget(&rs->v, rs->v.tab);
    return textview_widget(rs->v.tv);
}

static void do_action(replay_screen *rs, int act)
{
    int64_t t = now_us();
    size_t sel = list_selected(rs->l_notes);
    switch (act) {
    case RK_PLAY:
        replay_player_play(&rs->pl, !rs->pl.playing, t);
        if (rs->pl.pos == 0) agent_sync_all(&rs->v, rs->s);
        shown(rs, false);
        arm(rs);
        break;
    case RK_SLOWER: case RK_FASTER: {
        replay_player_speed_step(&rs->pl, act == RK_FASTER ? 1 : -1, t);
        char msg[48];
        snprintf(msg, sizeof msg, "speed %gx", rs->pl.speed);
        notify(rs, msg, THEME_STATUS_OK);
        shown(rs, false);
        arm(rs);
        break;
    }
    case RK_BACK: case RK_FORWARD:
        rs->pl.playing = false;
        if (act == RK_BACK && rs->pl.pos == 0) notify(rs, "at the start", THEME_STATUS_WARN);
        else if (act == RK_FORWARD && rs->pl.pos >= rs->set.rec->n_events) notify(rs, "at the end", THEME_STATUS_WARN);
        else replay_screen_seek(rs->a, act == RK_BACK ? rs->pl.pos - 1 : rs->pl.pos + 1);
        shown(rs, false);
        break;
    case RK_GOTO: start_prompt(rs, PROMPT_GOTO, NULL); break;
    case RK_START: rs->pl.playing = false; replay_screen_seek(rs->a, 0); break;
    case RK_END: rs->pl.playing = false; replay_screen_seek(rs->a, rs->set.rec->n_events); break;
    case RK_PREV_MARK: case RK_NEXT_MARK: {
        size_t to = replay_timeline_mark_step(rs->set.tl, rs->pl.pos, act == RK_NEXT_MARK ? 1 : -1);
        if (to == rs->pl.pos) notify(rs, act == RK_NEXT_MARK ? "no flag or drop after this" : "no flag or drop before this", THEME_STATUS_WARN);
        else { bool play = rs->pl.playing; replay_screen_seek(rs->a, to); replay_player_play(&rs->pl, play, now_us()); arm(rs); }
        break;
    }
    case RK_ANNOTATE: start_prompt(rs, PROMPT_NOTE, NULL); break;
    case RK_SCORECARD:
        if (!rs->card) { notify(rs, rs->set.card_problem ? rs->set.card_problem : "no score card", THEME_STATUS_WARN); break; }
        rs->card_open = !rs->card_open;
        rs->notes_open = false;   /* one overlay at a time */
        if (!rs->card_open) clearok(curscr, TRUE);
        replay_card_sync(rs->card);
        relayout(rs);
        break;
    case RK_NOTES:
        rs->card_open = false;
        rs->notes_open = !rs->notes_open;
        if (!rs->notes_open) clearok(curscr, TRUE);
        sync_notes(rs);
        relayout(rs);
        break;
    case RK_EDIT:
        if (rs->notes_open && sel < rs->set.notes->count) {
            rs->edit_i = sel;
            start_prompt(rs, PROMPT_EDIT, rs->set.notes->n[sel].text);
        } else notify(rs, rs->notes_open ? "no note to edit" : "n lists the notes, e there edits one", THEME_STATUS_WARN);
        break;
    case RK_DELETE:
        if (rs->notes_open && sel < rs->set.notes->count) {
            replay_notes_delete(rs->set.notes, sel);
            save_notes(rs);
            notify(rs, "note deleted", THEME_STATUS_OK);
        } else notify(rs, rs->notes_open ? "no note to delete" : "n lists the notes, d there deletes one", THEME_STATUS_WARN);
        break;
    case RK_SCROLL_UP: textview_page(rs->v.tv, -1); break;
    case RK_SCROLL_DOWN: textview_page(rs->v.tv, 1); break;
    case RK_PANE: agent_view_cycle(&rs->v, 1); relayout(rs); break;
    case RK_PANE_BACK: agent_view_cycle(&rs->v, -1); relayout(rs); break;
    case RK_HELP: open_help(rs); break;
    case RK_REDRAW: clearok(curscr, TRUE); relayout(rs); break;
    case RK_QUIT: app_quit(rs->a, 0); break;
    default: break;
    }
}

static void handle_key(replay_screen *rs, widget_key k)
{
    if (rs->v.help) {
        int act = keys_lookup(rs->keys, k, KEYS_COMMAND);
        if (widget_handle_key(helpview_widget(rs->v.help), k) == WIDGET_CANCEL || act == RK_HELP || act == RK_QUIT)
            close_help(rs);
        return;
    }
    if (rs->prompt != PROMPT_NONE) {
        widget_result r = widget_handle_key(inputline_widget(rs->v.input), k);
        if (k == WK_ESC) end_prompt(rs, false);
        else if (r == WIDGET_SUBMIT || k == WK_ENTER || k == 10) end_prompt(rs, true);
        return;
    }
    if (rs->card_open) {
        switch (replay_card_key(rs->card, k)) {
        case CARD_IGNORED: break;   /* the player's keys still work under the card */
        case CARD_MOVED: replay_card_sync(rs->card); return;
        case CARD_CHANGED: save_card(rs); return;
        case CARD_REFUSED: notify(rs, replay_card_refusal(rs->card), THEME_STATUS_WARN); return;
        case CARD_CLOSE: do_action(rs, RK_SCORECARD); return;
        case CARD_COMMENT: {
            const scorecard_answer *a = &rs->set.card->a[replay_card_selected(rs->card)];
            start_prompt(rs, PROMPT_COMMENT, a->comment);
            return;
        }
        }
    }
    if (rs->notes_open) {
        if (k == WK_ESC) { do_action(rs, RK_NOTES); return; }
        if (k == WK_ENTER || k == 10 || k == WK_FN(KEY_ENTER)) {
            size_t sel = list_selected(rs->l_notes);
            if (sel < rs->set.notes->count) {
                int64_t t = rs->set.notes->n[sel].t_ms;
                rs->notes_open = false;
                clearok(curscr, TRUE);
                relayout(rs);
                seek_time(rs, t);
            }
            return;
        }
        if (widget_handle_key(list_widget(rs->l_notes), k) != WIDGET_IGNORED) return;
    }
    int act = keys_lookup(rs->keys, k, KEYS_COMMAND);
    if (act >= 0) { do_action(rs, act); return; }
    widget_handle_key(scroll_target(rs), k);   /* Up, Down: the pane in view scrolls */
}

/* ---- front callbacks ---- */

static void on_input(app *a)
{
    replay_screen *rs = a->front_data;
    widget_key k;
    int budget = 4096;
    while (budget-- > 0 && screen_read_key(&k)) {
        handle_key(rs, k);
        if (a->quit) return;
    }
    app_mark_dirty(a);
}

static void render(app *a)
{
    replay_screen *rs = a->front_data;
    screen_render(rs->render, rs->n_render);
    if (rs->prompt != PROMPT_NONE && !rs->v.help) {
        curs_set(1);
        inputline_place_cursor(rs->v.input);
    } else {
        curs_set(0);
    }
    doupdate();
}

static void on_resize(app *a)
{
    screen_resize();
    relayout(a->front_data);
}

static void on_suspend(app *a) { (void)a; screen_suspend(); }

static void on_continue(app *a)
{
    screen_resume();
    relayout(a->front_data);
}

static void restore(app *a) { (void)a; screen_stop(); }

static const app_front replay_front = {
    .name = "replay",
    .on_input = on_input,
    .on_resize = on_resize,
    .on_suspend = on_suspend,
    .on_continue = on_continue,
    .render = render,
    .restore = restore,
};

bool replay_screen_attach(app *a, session *s, const keys_table *keys, const theme *t,
                          const replay_screen_setup *setup, bool play, char *err, size_t errlen)
{
    replay_screen *rs = &the_screen;
    memset(rs, 0, sizeof *rs);
    rs->a = a;
    rs->s = s;
    rs->keys = keys;
    rs->set = *setup;
    agent_view_init(&rs->v, s->model.scrollback);
    rs->bar = timeline_new();
    rs->p_notes = pane_new(PANE_BOX, "Notes");
    rs->l_notes = list_new(agent_view_rows_source(&rs->r_notes));
    list_set_mark_cols(rs->l_notes, 9);
    list_set_show_selection(rs->l_notes, true, true);
    list_set_empty_text(rs->l_notes, "no notes yet: a writes one at the current time");
    if (setup->card) rs->card = replay_card_new(setup->card);
    replay_player_init(&rs->pl, setup->tl, &s->model);
    if (!replay_player_set_speed(&rs->pl, setup->speed, now_us())) {
        snprintf(err, errlen, "--speed: expected 0.25 to 16, got %g", setup->speed);
        return false;
    }
    a->front = &replay_front;
    a->front_data = rs;
    if (!screen_start(t, err, errlen)) return false;
    textview_set_empty_text(rs->v.tv, setup->rec->n_events ? "Space plays the recording from its start."
                                                            : "This recording holds no event to play.");
    sync_notes(rs);
    relayout(rs);
    agent_sync_all(&rs->v, s);
    sync_header(rs);
    recording_problems(setup->rec, rs->problems, sizeof rs->problems);
    if (setup->notice) notify(rs, setup->notice, THEME_STATUS_BAD);
    else if (*rs->problems) notify(rs, rs->problems, THEME_STATUS_WARN);
    if (play) replay_player_play(&rs->pl, true, now_us());
    shown(rs, false);
    arm(rs);
    return true;
}

replay_player *replay_screen_player(app *a)
{
    replay_screen *rs = a->front_data;
    return rs ? &rs->pl : NULL;
}

struct agent_view *replay_screen_view(app *a)
{
    replay_screen *rs = a->front_data;
    return rs ? &rs->v : NULL;
}

size_t replay_screen_widgets(app *a, widget **out, size_t max)
{
    replay_screen *rs = a->front_data;
    size_t n = 0;
    for (; n < rs->n_render && n < max; n++) out[n] = rs->render[n];
    return n;
}

void replay_screen_free(app *a)
{
    replay_screen *rs = a->front_data;
    if (!rs) return;
    widget_destroy(timeline_widget(rs->bar));
    replay_card_free(rs->card);
    widget_destroy(list_widget(rs->l_notes));
    pane_set_child(rs->p_notes, NULL);
    widget_destroy(pane_widget(rs->p_notes));
    agent_view_rows_clear(&rs->r_notes);
    free(rs->r_notes.r);
    agent_view_free(&rs->v);
    a->front_data = NULL;
}
