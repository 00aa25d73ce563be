/* agent_screen.c — the agent console on curses: keys, the reply/note line, toasts, rendering
 * (dialogs in agent_dialogs.c). */
#include "agentdesk/agent_screen.h"
#include "agentdesk/agent.h"
#include "agentdesk/agent_drafts.h"
#include "agentdesk/line_history.h"
#include "agentdesk/agent_hints.h"
#include "agentdesk/agent_keys.h"
#include "agentdesk/agent_sync.h"
#include "agentdesk/agent_view.h"
#include "agentdesk/agent_screen_internal.h"
#include "base/logfile.h"
#include "base/mem.h"
#include "agentdesk/screen.h"
#include "base/clock.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOAST_MS 4000

static agent_screen the_screen;

/* ---- helpers ---- */


static void hide_toast(app *a)
{
    agent_screen *as = a->front_data;
    toast_hide(as->v.toast);
    agent_sync_flash_done(&as->v, as->s);
    app_mark_dirty(a);
}

void agent_screen_notify(agent_screen *as, const char *text, theme_item item)
{
    toast_show(as->v.toast, text, item);
    app_timer_arm(as->a, APP_TIMER_TOAST, TOAST_MS, hide_toast);
    app_mark_dirty(as->a);
}

/* Which side list the agent is on: the focused pane (wide) or the shown tab. */
static bool suggestions_shown(const agent_screen *as)
{
    return as->v.lay.mode == LAYOUT_WIDE ? as->v.focus == FOCUS_SUGGEST : as->v.tab == TAB_SUGGEST;
}

static bool checklist_shown(const agent_screen *as)
{
    return as->v.lay.mode == LAYOUT_WIDE ? as->v.focus == FOCUS_CHECK : as->v.tab == TAB_CHECKLIST;
}

static void sync_hints(agent_screen *as)
{
    agent_hints_state st = {
        .dialog = as->dlg == DLG_WRAPUP ? AGENT_HINTS_WRAPUP : as->dlg == DLG_QUIT ? AGENT_HINTS_QUIT
                                                                                   : AGENT_HINTS_NONE,
        .typing = as->typing,
        .searching = as->mode == EDIT_SEARCH,
        .wide = as->v.lay.mode == LAYOUT_WIDE,
        .on_suggestions = suggestions_shown(as) && list_count(as->v.l_sugg),
        .on_checklist = checklist_shown(as) && list_count(as->v.l_check),
        .signed_out = net_get_state(as->s->net) == NET_REFUSED,
        .hand_up = model_active(&as->s->model) && model_active(&as->s->model)->hand_raised,
    };
    agent_hints hl;
    agent_hints_build(&hl, &st, as->keys);
    statusbar_set_hints(as->v.hints, hl.h, hl.n);
}

static void sync_prompt(agent_screen *as)
{
    model_ix *ix = model_active(&as->s->model);
    const char *p = as->mode == EDIT_SEARCH ? "search> "
                  : as->mode == EDIT_NOTE || agent_line_is_note(ix) ? "note> " : "reply> ";
    inputline_set_prompt(as->v.input, p);
    curs_set(as->typing && as->dlg == DLG_NONE ? 1 : 0);
}

static void sync_draft(agent_screen *as);

/* Leave the search prompt: the half-written reply or note comes back as it was (to its own
 * interaction's draft, if the agent switched while searching). */
static void end_search(agent_screen *as)
{
    if (as->mode != EDIT_SEARCH) return;
    inputline_set_text(as->v.input, as->search_stash ? as->search_stash : "");
    as->mode = as->stash_mode;
    free(as->search_stash);
    as->search_stash = NULL;
    sync_draft(as);
}

static void set_typing(agent_screen *as, bool on)
{
    as->typing = on;
    if (!on) end_search(as);
    widget_set_focus(inputline_widget(as->v.input), on);
    sync_prompt(as);
    sync_hints(as);
}

static void update_tick(agent_screen *as)
{
    bool countdown = as->s->net && net_get_state(as->s->net) == NET_WAITING;
    app_set_tick(as->a, agent_tick_period(&as->s->model, countdown));
}

void agent_screen_relayout(agent_screen *as)
{
    agent_view_layout(&as->v);
    agent_sync_resized(&as->v, as->s);
    agent_sync_titles(&as->v, as->s);
    agent_sync_header(&as->v, as->s);
    sync_hints(as);
    sync_prompt(as);
    update_tick(as);
}

/* Keep the line's text with the interaction it was typed for; bring back the active one's. */
static void sync_draft(agent_screen *as)
{
    model_ix *ix = model_active(&as->s->model);
    const char *iid = ix ? ix->iid : NULL;
    if ((!iid && !as->line_iid) || (iid && as->line_iid && strcmp(iid, as->line_iid) == 0)) return;
    if (as->mode == EDIT_SEARCH) return;   /* a search is about the screen, not a customer */
    char *text;
    bool note;
    if (!as->line_iid) {   /* typed before any interaction existed: it is for this one */
        as->line_iid = iid ? mem_strdup(iid) : NULL;
        /* an empty line takes the draft an earlier run kept for it */
        if (!*inputline_text(as->v.input) && agent_drafts_take(&as->drafts, iid, &text, &note)) {
            inputline_set_text(as->v.input, text);
            as->mode = note ? EDIT_NOTE : EDIT_DEFAULT;
            free(text);
        }
        return;
    }
    agent_drafts_put(&as->drafts, as->line_iid, inputline_text(as->v.input), as->mode == EDIT_NOTE);
    if (!agent_drafts_save(&as->drafts, as->save_err, sizeof as->save_err))
        logfile_write("drafts not saved: %s", as->save_err);
    inputline_clear(as->v.input);
    line_history_stash(&as->history, as->line_iid, as->v.input);
    line_history_load(&as->history, iid, as->v.input);
    free(as->undo_text);   /* an undo belongs to the line it was made in */
    as->undo_text = NULL;
    as->mode = EDIT_DEFAULT;
    if (iid && agent_drafts_take(&as->drafts, iid, &text, &note)) {
        inputline_set_text(as->v.input, text);
        as->mode = note ? EDIT_NOTE : EDIT_DEFAULT;
        free(text);
    }
    free(as->line_iid);
    as->line_iid = iid ? mem_strdup(iid) : NULL;
}

/* Each interaction's checklist cursor: kept for the interaction left, brought back for the
 * one shown (its first row when it has none yet). */
static size_t check_row_slot(const agent_screen *as, const char *iid)
{
    for (size_t i = 0; iid && i < LINE_HISTORY_IIDS; i++)
        if (as->check_rows[i].iid && !strcmp(as->check_rows[i].iid, iid)) return i;
    return LINE_HISTORY_IIDS;
}

static void keep_check_row(agent_screen *as, const char *left)
{
    if (!left) return;
    size_t slot = check_row_slot(as, left);
    if (slot == LINE_HISTORY_IIDS) {
        slot = as->next_check_row++ % LINE_HISTORY_IIDS;
        free(as->check_rows[slot].iid);
        as->check_rows[slot].iid = mem_strdup(left);
    }
    as->check_rows[slot].row = list_selected(as->v.l_check);
}

static void restore_check_row(agent_screen *as, const char *shown)
{
    size_t slot = check_row_slot(as, shown);
    list_select(as->v.l_check, slot < LINE_HISTORY_IIDS ? as->check_rows[slot].row : 0);
}

static void switch_active(agent_screen *as)
{
    /* the checklist shown is still the one left: keep its cursor before the rows change */
    model_ix *shown = model_active(&as->s->model);
    char *left = as->v.fed_iid ? mem_strdup(as->v.fed_iid) : NULL;
    keep_check_row(as, left);
    sync_draft(as);
    as->mode = as->mode == EDIT_SEARCH ? EDIT_SEARCH : as->mode == EDIT_NOTE ? EDIT_NOTE : EDIT_DEFAULT;
    agent_sync_all(&as->v, as->s);
    restore_check_row(as, shown ? shown->iid : NULL);
    free(left);
    sync_prompt(as);
}

/* ---- actions ---- */

/* A suggestion goes into the line at the cursor, a space on each side where words would
 * touch, so nothing the agent typed is lost; the undo key puts the line back as it was. */
static void use_suggestion(agent_screen *as, int n)
{
    char err[256];
    const char *text = agent_use_suggestion(as->s, n, err, sizeof err);
    if (!text) { agent_screen_notify(as, err, THEME_STATUS_WARN); return; }
    const char *line = inputline_text(as->v.input);
    size_t cur = inputline_cursor(as->v.input);
    free(as->undo_text);
    as->undo_text = mem_strdup(line);
    as->undo_cursor = cur;
    if (!*line) {
        as->mode = EDIT_DEFAULT;
        inputline_set_text(as->v.input, text);
    } else {
        bool space_before = cur > 0 && line[cur - 1] != ' ';
        bool space_after = line[cur] && line[cur] != ' ';
        char *ins = mem_printf("%s%s%s", space_before ? " " : "", text, space_after ? " " : "");
        inputline_insert(as->v.input, ins);
        free(ins);
    }
    char undo_key[32], msg[96];
    agent_hints_first_key(as->keys, AK_UNDO, true, undo_key, sizeof undo_key);
    snprintf(msg, sizeof msg, "suggestion %d in the line · %s takes it back", n, undo_key);
    agent_screen_notify(as, msg, THEME_STATUS_OK);
    set_typing(as, true);
    agent_sync_change(&as->v, as->s, &(model_delta){.what = MODEL_CH_SUGGESTIONS, .ix = model_active(&as->s->model)});
}

/* After queueing a raised hand: say it is on its way, or, offline, that it waits. (Replies
 * and notes need no toast: they show in the transcript, or as "N unsent" in the header.) */
static void hand_notice(agent_screen *as, bool raised)
{
    bool online = as->s->net && net_get_state(as->s->net) == NET_READY;
    agent_screen_notify(as, raised ? (online ? "raising hand…" : "hand queued")
                                   : (online ? "lowering hand…" : "lowering queued"),
                        online ? THEME_STATUS_OK : THEME_STATUS_WARN);
}

static void undo_line(agent_screen *as)
{
    if (!as->undo_text) { agent_screen_notify(as, "nothing to take back", THEME_STATUS_WARN); return; }
    inputline_restore(as->v.input, as->undo_text, as->undo_cursor);
    free(as->undo_text);
    as->undo_text = NULL;
    agent_screen_notify(as, "suggestion taken back", THEME_STATUS_OK);
}

/* "match 2 of 5 · F3 older · F4 newer": where the search stands, after every step */
static void search_notice(agent_screen *as, bool moved, const char *none)
{
    size_t current, total = textview_search_count(as->v.tv, &current);
    if (!total) { agent_screen_notify(as, none, THEME_STATUS_WARN); return; }
    char older[32], newer[32], text[160];
    agent_hints_first_key(as->keys, AK_SEARCH_NEXT, false, older, sizeof older);
    agent_hints_first_key(as->keys, AK_SEARCH_PREV, false, newer, sizeof newer);
    snprintf(text, sizeof text, "%smatch %zu of %zu (1 = newest) · %s older · %s newer",
             moved ? "" : "no more: ", current, total, older, newer);
    agent_screen_notify(as, text, moved ? THEME_STATUS_OK : THEME_STATUS_WARN);
}

static void send_line(agent_screen *as)
{
    const char *text = inputline_text(as->v.input);
    if (as->mode == EDIT_SEARCH) {
        bool found = *text && textview_search(as->v.tv, text);
        if (*text) search_notice(as, found, "not found");
        set_typing(as, false);
        return;
    }
    if (!*text) return;
    char err[256];
    if (!agent_send_line(as->s, text, as->mode == EDIT_NOTE, err, sizeof err)) {
        agent_screen_notify(as, err, THEME_STATUS_BAD);
        return;
    }
    inputline_history_add(as->v.input, text);
    inputline_clear(as->v.input);
    free(as->undo_text);
    as->undo_text = NULL;
    as->mode = EDIT_DEFAULT;
    sync_prompt(as);
}

static void dismiss(agent_screen *as)
{
    int n = suggestions_shown(as) ? (int)list_selected(as->v.l_sugg) + 1 : 1;
    model_ix *ix = model_active(&as->s->model);
    model_suggestion *sg = ix && n >= 1 ? model_suggestion_nth(ix, (size_t)(n - 1)) : NULL;
    /* say which one went: unfocused, x takes the first, which the agent may not be reading */
    char err[256], done[TOAST_TEXT_MAX];
    snprintf(done, sizeof done, "dismissed: %s", sg ? sg->title : "");
    if (!agent_dismiss_suggestion(as->s, n, err, sizeof err)) agent_screen_notify(as, err, THEME_STATUS_WARN);
    else agent_screen_notify(as, done, THEME_STATUS_OK);
    agent_sync_change(&as->v, as->s, &(model_delta){.what = MODEL_CH_SUGGESTIONS, .ix = ix});
}

static void tick_item(agent_screen *as)
{
    model_ix *ix = model_active(&as->s->model);
    if (!ix || !ix->n_checks) return;
    if (!checklist_shown(as)) {
        /* the key would otherwise do nothing: say where it works */
        char pane_key[32], tick_key[32], text[96];
        agent_hints_first_key(as->keys, AK_PANE, false, pane_key, sizeof pane_key);
        agent_hints_first_key(as->keys, AK_TICK, false, tick_key, sizeof tick_key);
        snprintf(text, sizeof text, "%s to Checklist, then %s", pane_key, tick_key);
        agent_screen_notify(as, text, THEME_STATUS_WARN);
        return;
    }
    size_t i = list_selected(as->v.l_check);
    if (i >= ix->n_checks) return;
    char err[256];
    if (!session_check_tick(as->s, ix->iid, ix->checks[i].id, !ix->checks[i].done, err, sizeof err))
        agent_screen_notify(as, err, THEME_STATUS_BAD);
}

/* Searching and scrolling are about the transcript: bring it to front on small screens. */
static void show_transcript(agent_screen *as)
{
    if (as->v.lay.mode == LAYOUT_WIDE || as->v.tab == TAB_TRANSCRIPT) return;
    as->v.tab = TAB_TRANSCRIPT;
    agent_screen_relayout(as);
}

static void do_action(agent_screen *as, int act)
{
    char err[256];
    switch ((agent_key_action)act) {
    case AK_SEND: send_line(as); break;
    case AK_TYPE: set_typing(as, true); break;
    case AK_LEAVE: set_typing(as, false); break;
    case AK_NOTE: as->mode = EDIT_NOTE; set_typing(as, true); break;
    case AK_USE1: use_suggestion(as, 1); break;
    case AK_USE2: use_suggestion(as, 2); break;
    case AK_USE3: use_suggestion(as, 3); break;
    case AK_UNDO: undo_line(as); break;
    case AK_DISMISS: dismiss(as); break;
    case AK_HAND: {
        bool raised;
        if (agent_toggle_hand(as->s, NULL, &raised, err, sizeof err)) hand_notice(as, raised);
        else agent_screen_notify(as, err, THEME_STATUS_WARN);
        break;
    }
    case AK_BREAK: {
        bool on_break;
        if (agent_toggle_break(as->s, &on_break, err, sizeof err))
            agent_screen_notify(as, on_break ? "break asked for: no new contact will be offered" : "available asked for",
                                THEME_STATUS_OK);
        else agent_screen_notify(as, err, THEME_STATUS_WARN);
        break;
    }
    case AK_REVEAL:
        if (!agent_reveal_next(&as->reveal, as->s, model_active(&as->s->model), err, sizeof err))
            agent_screen_notify(as, err, THEME_STATUS_WARN);
        break;
    case AK_SEARCH:
        show_transcript(as);
        if (as->mode != EDIT_SEARCH) {
            free(as->search_stash);
            as->search_stash = mem_strdup(inputline_text(as->v.input));
            as->stash_mode = as->mode;
        }
        as->mode = EDIT_SEARCH;
        inputline_clear(as->v.input);
        set_typing(as, true);
        break;
    case AK_SEARCH_NEXT: case AK_SEARCH_PREV:
        show_transcript(as);
        search_notice(as, textview_search_next(as->v.tv, act == AK_SEARCH_NEXT ? -1 : 1),
                      "no search: / to search");
        break;
    case AK_NEXT_IX: case AK_PREV_IX:
        model_step_active(&as->s->model, act == AK_NEXT_IX ? 1 : -1);
        switch_active(as);
        break;
    case AK_SCROLL_UP: textview_page(as->v.tv, -1); break;
    case AK_SCROLL_DOWN: textview_page(as->v.tv, 1); break;
    case AK_FOLLOW: textview_follow(as->v.tv); break;
    case AK_PANE: agent_view_cycle(&as->v, 1); agent_screen_relayout(as); break;
    case AK_PANE_BACK: agent_view_cycle(&as->v, -1); agent_screen_relayout(as); break;
    case AK_TICK: tick_item(as); break;
    case AK_WRAPUP: agent_dialog_open_wrapup(as); break;
    case AK_HELP: agent_dialog_open_help(as); break;
    case AK_REDRAW: clearok(curscr, TRUE); agent_screen_relayout(as); break;
    case AK_QUIT:
        if (!agent_dialog_open_quit(as)) app_quit(as->a, 0);
        break;
    default: break;
    }
}

static widget *focused_widget(agent_screen *as)
{
    if (as->v.lay.mode != LAYOUT_WIDE) return agent_view_tab_widget(&as->v, as->v.tab);
    switch (as->v.focus) {
    case FOCUS_LIST: return list_widget(as->v.l_ix);
    case FOCUS_CUSTOMER: return list_widget(as->v.l_cust);
    case FOCUS_FLAGS: return list_widget(as->v.l_flags);
    case FOCUS_SUGGEST: return list_widget(as->v.l_sugg);
    case FOCUS_CHECK: return list_widget(as->v.l_check);
    default: return textview_widget(as->v.tv);
    }
}

static bool printable(widget_key k)
{
    return !(k & (WIDGET_KEY_FN | KEYS_META)) && k >= 0x20 && k != 0x7f;
}

static void handle_key(agent_screen *as, widget_key k)
{
    if (as->v.help) {
        if (widget_handle_key(helpview_widget(as->v.help), k) == WIDGET_CANCEL) {
            widget_destroy(helpview_widget(as->v.help));
            as->v.help = NULL;
            agent_screen_relayout(as);
        }
        return;
    }
    if (as->dlg != DLG_NONE && as->v.dlg) { agent_dialog_key(as, k); return; }
    if (as->typing) {
        int act = printable(k) ? -1 : keys_lookup(as->keys, k, KEYS_TYPING);
        if (act >= 0) { do_action(as, act); return; }
        /* Esc and a key typed quickly arrive as one Alt-chord: an unbound one is Esc, then
         * that key among the commands, so no Alt-chord can send or post the line */
        if ((k & KEYS_META) && !(k & WIDGET_KEY_FN)) {
            do_action(as, AK_LEAVE);
            handle_key(as, k & ~(widget_key)KEYS_META);
            return;
        }
        widget_result r = widget_handle_key(inputline_widget(as->v.input), k);
        if (r == WIDGET_SUBMIT) send_line(as);
        return;
    }
    widget *fw = focused_widget(as);
    /* Enter on a side list acts on its selected row: suggestions past 3 have no number key */
    if (k == WK_ENTER || k == 10 || k == WK_FN(KEY_ENTER)) {
        if (fw == list_widget(as->v.l_sugg) && list_count(as->v.l_sugg)) {
            use_suggestion(as, (int)list_selected(as->v.l_sugg) + 1);
            return;
        }
        if (fw == list_widget(as->v.l_check) && list_count(as->v.l_check)) { tick_item(as); return; }
    }
    /* a focused list moves with its own arrows and pages before the table's transcript keys */
    if (fw != textview_widget(as->v.tv) && (k & WIDGET_KEY_FN) && widget_handle_key(fw, k) != WIDGET_IGNORED) {
        if (fw == list_widget(as->v.l_sugg)) preview_changed(as->v.sugg_preview);   /* another reply selected */
        if (fw == list_widget(as->v.l_ix) && list_selected(as->v.l_ix) != as->s->model.active) {
            model_set_active(&as->s->model, list_selected(as->v.l_ix));
            switch_active(as);
        }
        return;
    }
    /* letters always write (agent_keys.c): a word typed here goes to the line */
    if (k < 0x80 && isalpha((int)k)) {
        set_typing(as, true);
        widget_handle_key(inputline_widget(as->v.input), k);
        return;
    }
    int act = keys_lookup(as->keys, k, KEYS_COMMAND);
    if (act >= 0) { do_action(as, act); return; }
    size_t before = list_selected(as->v.l_ix);
    widget_result r = widget_handle_key(fw, k);
    if (fw == list_widget(as->v.l_ix) && list_selected(as->v.l_ix) != before) {
        model_set_active(&as->s->model, list_selected(as->v.l_ix));
        switch_active(as);
        return;
    }
    if (r != WIDGET_IGNORED) return;
    if (printable(k)) {
        /* an unbound character starts the line with itself */
        set_typing(as, true);
        widget_handle_key(inputline_widget(as->v.input), k);
    }
}

/* ---- front callbacks ---- */

static void on_input(app *a)
{
    agent_screen *as = a->front_data;
    widget_key k;
    int budget = 4096;   /* a paste is handled in one turn, a flood does not starve the net */
    while (budget-- > 0 && screen_read_key(&k)) {
        logfile_write("key %#x", (unsigned)k);
        handle_key(as, k);
        if (a->quit) return;
    }
    /* the line grew past a row (or shrank): the composer takes the rows its text needs */
    if (inputline_rows_wanted(as->v.input, COLS, AGENT_INPUT_ROWS) != as->v.lay.input.h &&
        as->v.lay.input.h > 0)
        agent_screen_relayout(as);
    app_mark_dirty(a);
}

static void render(app *a)
{
    agent_screen *as = a->front_data;
    int64_t t0 = clock_mono_us();
    screen_render(as->v.render, as->v.n_render);
    if (as->v.help) curs_set(0);
    else if (as->dlg != DLG_NONE && as->v.dlg && dialog_widget(as->v.dlg)->visible) {
        dialog_place_cursor(as->v.dlg);
        curs_set(as->dlg == DLG_WRAPUP && dialog_focused(as->v.dlg) == as->f_sum ? 1 : 0);
    } else if (as->typing) {
        curs_set(1);
        inputline_place_cursor(as->v.input);
    } else {
        curs_set(0);
    }
    doupdate();
    session_drawn(as->s, clock_mono_us() - t0);
    session_shown(as->s);
}

static void on_resize(app *a)
{
    agent_screen *as = a->front_data;
    screen_resize();
    if (as->dlg != DLG_NONE && as->v.dlg) dialog_place(as->v.dlg, LINES, COLS);
    agent_screen_relayout(as);
}

static void on_suspend(app *a) { (void)a; screen_suspend(); }

static void on_continue(app *a)
{
    screen_resume();
    agent_screen_relayout(a->front_data);
}

static void on_tick(app *a)
{
    agent_screen *as = a->front_data;
    agent_sync_header(&as->v, as->s);
    if (as->s->model.n_ix) {
        agent_sync_list(&as->v, as->s);
        agent_sync_titles(&as->v, as->s);
    }
    update_tick(as);
    app_mark_dirty(a);
}

static void restore(app *a) { (void)a; screen_stop(); }

/* At exit, however it comes (q, a signal, the terminal gone): the line being typed joins
 * the drafts, and the drafts go to their file. */
static void save(app *a)
{
    agent_screen *as = a->front_data;
    bool searching = as->mode == EDIT_SEARCH;
    const char *line = searching ? (as->search_stash ? as->search_stash : "") : inputline_text(as->v.input);
    line_mode mode = searching ? as->stash_mode : as->mode;
    if (as->line_iid && *line) agent_drafts_put(&as->drafts, as->line_iid, line, mode == EDIT_NOTE);
    as->save_err[0] = 0;
    if (!agent_drafts_save(&as->drafts, as->save_err, sizeof as->save_err))
        logfile_write("drafts not saved: %s", as->save_err);
}

const char *agent_screen_save_error(app *a)
{
    agent_screen *as = a->front_data;
    return as ? as->save_err : "";
}

static const app_front agent_front = {
    .name = "agent",
    .on_input = on_input,
    .on_resize = on_resize,
    .on_suspend = on_suspend,
    .on_continue = on_continue,
    .render = render,
    .on_tick = on_tick,
    .restore = restore,
    .save = save,
};

/* ---- session listener ---- */

#define ALERT_GAP_MS 2000   /* a burst of contacts or flags rings once */

/* A new contact or a severe flag: the bell (or a flash) and, for a contact, a toast naming
 * it; the flag already has its toast. */
static void alert(agent_screen *as, const model_delta *d)
{
    if (d->type == EV_INTERACTION_STARTED) {
        char text[TOAST_TEXT_MAX];
        snprintf(text, sizeof text, "new %s · %s", d->ix->channel && !strcmp(d->ix->channel, "chat")
                 ? "chat" : "call", agent_customer_name(d->ix));
        agent_screen_notify(as, text, THEME_STATUS_OK);
    }
    int64_t now = clock_mono_ms();
    if (as->alert == AGENT_ALERT_OFF || (as->last_alert_ms && now - as->last_alert_ms < ALERT_GAP_MS))
        return;
    as->last_alert_ms = now;
    if (as->alert == AGENT_ALERT_FLASH) flash();
    else beep();
}

void agent_screen_set_alert(app *a, agent_alert how)
{
    agent_screen *as = a->front_data;
    if (as) as->alert = how;
}
static void on_ack(void *ud, const char *id)
{
    agent_screen *as = ud;
    if (as->dlg == DLG_WRAPUP && as->wrap_ack_id && id && strcmp(id, as->wrap_ack_id) == 0) {
        as->wrap_saved = true;
        dialog_set_footer(as->v.dlg, "saved: acknowledged by the hub");
        app_timer_arm(as->a, APP_TIMER_USER1, WRAPUP_CLOSE_MS, agent_dialog_close_after_ack);
    }
    agent_sync_header(&as->v, as->s);
    app_mark_dirty(as->a);
}

static void on_change(void *ud, const model_delta *d)
{
    agent_screen *as = ud;
    unsigned ch = d->what;
    model_ix *ix = d->ix;
    if (agent_sync_change(&as->v, as->s, d)) app_timer_arm(as->a, APP_TIMER_TOAST, TOAST_MS, hide_toast);
    if (agent_alert_due(&as->s->model, d)) alert(as, d);
    /* reply or note: the active interaction may have changed, or ended */
    if (ch & (MODEL_CH_LIST | MODEL_CH_HEADER)) { sync_draft(as); sync_prompt(as); }
    /* "Enter use selected" shows only while the focused list has rows */
    if (ch & (MODEL_CH_LIST | MODEL_CH_SUGGESTIONS | MODEL_CH_CHECKLIST | MODEL_CH_HEADER)) sync_hints(as);
    /* a new draft while the wrap-up dialog still shows the old, unedited one */
    if (d->type == EV_SUMMARY && as->dlg == DLG_WRAPUP && ix && as->wrap_iid &&
        strcmp(ix->iid, as->wrap_iid) == 0 && !as->wrap_ack_id && ix->summary &&
        strcmp(dialog_text(as->v.dlg, as->f_sum), as->wrap_draft) == 0) {
        agent_dialog_set_summary(as, ix->summary);
        free(as->wrap_draft);
        as->wrap_draft = mem_strdup(ix->summary);
    }
    /* the hub's code list and suggested disposition may arrive after the dialog opened */
    if (d->type == EV_SUMMARY && as->dlg == DLG_WRAPUP && ix && as->wrap_iid &&
        strcmp(ix->iid, as->wrap_iid) == 0 && !as->wrap_ack_id)
        agent_dialog_refresh_wrapup_codes(as, ix);
    if (ch & (MODEL_CH_LIST | MODEL_CH_HEADER)) update_tick(as);
    if (ch) app_mark_dirty(as->a);
}

/* A value in clear: a toast for a few seconds, then gone (TOAST_MS). */
static void on_revealed(void *ud, const proto_event *ev)
{
    agent_screen *as = ud;
    char text[TOAST_TEXT_MAX];
    agent_reveal_text(&as->reveal, ev, text, sizeof text);
    agent_screen_notify(as, text, THEME_TOAST);
    memset(text, 0, sizeof text);
}

static void on_notice(void *ud, session_notice_level level, const char *text)
{
    static const theme_item items[] = {THEME_TOAST, THEME_STATUS_OK, THEME_STATUS_WARN, THEME_STATUS_BAD};
    agent_screen *as = ud;
    agent_screen_notify(as, text, items[level]);
    /* the hub refused the wrap-up for good: say so in the dialog and let the agent retry */
    if (level == NOTICE_ERROR && as->dlg == DLG_WRAPUP && as->wrap_ack_id && !as->wrap_saved &&
        !outbox_find(&as->s->outbox, as->wrap_ack_id)) {
        dialog_set_footer(as->v.dlg, text);
        free(as->wrap_ack_id);
        as->wrap_ack_id = NULL;
    }
}

static void on_net(void *ud)
{
    agent_screen *as = ud;
    agent_sync_header(&as->v, as->s);
    sync_hints(as);   /* signed out: only help and quit are offered */
    /* a dropped link cuts open partials off (session.c): their lines changed in place */
    textview_widget(as->v.tv)->dirty = true;
    update_tick(as);
    app_mark_dirty(as->a);
}

static void on_outbox(void *ud)
{
    agent_screen *as = ud;
    agent_sync_header(&as->v, as->s);
    /* the agent's pending replies and notes end the transcript, tagged queued or sending */
    agent_sync_transcript(&as->v, as->s, false);
    textview_widget(as->v.tv)->dirty = true;
    app_mark_dirty(as->a);
}

bool agent_screen_attach(app *a, session *s, const keys_table *keys, const theme *t,
                         const char *drafts_path, char *err, size_t errlen)
{
    agent_screen *as = &the_screen;
    memset(as, 0, sizeof *as);
    as->a = a;
    as->s = s;
    as->keys = keys;
    agent_view_init(&as->v, s->model.scrollback);
    as->v.keys = keys;
    if (!agent_drafts_open(&as->drafts, drafts_path, err, errlen)) return false;
    a->front = &agent_front;
    a->front_data = as;
    if (!screen_start(t, err, errlen)) return false;
    static const session_listener l = {
        .on_change = on_change, .on_ack = on_ack, .on_notice = on_notice, .on_net = on_net, .on_outbox = on_outbox,
        .on_revealed = on_revealed,
    };
    session_set_listener(s, &l, as);
    agent_screen_relayout(as);
    agent_sync_all(&as->v, s);
    sync_draft(as);
    update_tick(as);
    app_mark_dirty(a);
    return true;
}

struct agent_view *agent_screen_view(app *a)
{
    agent_screen *as = a->front_data;
    return as ? &as->v : NULL;
}

void agent_screen_free(app *a)
{
    agent_screen *as = a->front_data;
    if (!as) return;
    agent_view_free(&as->v);
    free(as->wrap_iid); free(as->wrap_draft); free(as->wrap_ack_id);
    agent_drafts_free(&as->drafts);
    free(as->line_iid);
    free(as->search_stash);
    free(as->undo_text);
    line_history_free(&as->history);
    for (size_t i = 0; i < LINE_HISTORY_IIDS; i++) free(as->check_rows[i].iid);
}
