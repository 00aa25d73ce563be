/* agent_dialogs.c — the agent console's dialogs: wrap-up (summary, disposition, follow-up,
 * sent and acknowledged), quit (what would be left), and help (the key table). */
#include "agentdesk/agent_screen_internal.h"
#include "agentdesk/agent.h"
#include "agentdesk/agent_hints.h"
#include "agentdesk/agent_sync.h"
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void close_dialog(agent_screen *as)
{
    if (as->v.dlg) widget_set_visible(dialog_widget(as->v.dlg), false);
    as->dlg = DLG_NONE;
    free(as->wrap_iid); as->wrap_iid = NULL;
    free(as->wrap_draft); as->wrap_draft = NULL;
    free(as->wrap_ack_id); as->wrap_ack_id = NULL;
    agent_screen_relayout(as);
}

static void new_dialog(agent_screen *as, const char *title)
{
    if (as->v.dlg) widget_destroy(dialog_widget(as->v.dlg));
    as->v.dlg = dialog_new(title);
}

/* The drafted summary, shown from its first line (with the cursor at the end, a draft
 * longer than the box would open with "Customer called about…" scrolled out of it). */
void agent_dialog_set_summary(agent_screen *as, const char *text)
{
    dialog_set_text_at_start(as->v.dlg, as->f_sum, text);
}

void agent_dialog_open_wrapup(agent_screen *as)
{
    model_ix *ix = model_active(&as->s->model);
    if (!ix) { agent_screen_notify(as, "no interaction to wrap up", THEME_STATUS_WARN); return; }
    if (ix->state == IX_WRAPPED) { agent_screen_notify(as, "already wrapped up", THEME_STATUS_OK); return; }
    if (!ix->summary) session_summary_request(as->s, ix->iid);
    char title[DIALOG_LABEL_MAX];
    snprintf(title, sizeof title, "Wrap up · %s", agent_customer_name(ix));
    new_dialog(as, title);
    int rows = LINES >= 30 ? 8 : LINES >= 20 ? 4 : 2;
    as->f_sum = dialog_add_text(as->v.dlg, "Summary", rows, PROTO_MAX_LONGTEXT);
    const char *codes[DIALOG_OPTIONS_MAX];
    size_t pre = 0;
    size_t nc = agent_wrapup_codes(ix, codes, DIALOG_OPTIONS_MAX, &pre);
    as->f_code = dialog_add_choice(as->v.dlg, "Disposition", codes, (int)nc, LINES >= 30 ? 5 : 2);
    dialog_set_choice(as->v.dlg, as->f_code, (int)pre);
    snprintf(as->wrap_code_default, sizeof as->wrap_code_default, "%s", nc ? codes[pre] : "");
    as->f_follow = dialog_add_toggle(as->v.dlg, "Follow-up", false);
    agent_dialog_set_summary(as, ix->summary ? ix->summary : "");
    /* short enough for 40 columns: the hint bar below also says Tab / ^D / Esc */
    dialog_set_footer(as->v.dlg, ix->state == IX_LIVE ? "call still live · ^D submit"
                                                      : "Tab next field · ^D submit · Esc cancel");
    as->wrap_iid = mem_strdup(ix->iid);
    as->wrap_draft = mem_strdup(ix->summary ? ix->summary : "");
    as->wrap_saved = false;
    as->dlg = DLG_WRAPUP;
    dialog_place(as->v.dlg, LINES, COLS);
    agent_screen_relayout(as);
}

/* Offer the hub's codes; keep the agent's pick when it is still offered, else preselect the
 * hub's suggested disposition. */
void agent_dialog_refresh_wrapup_codes(agent_screen *as, const model_ix *ix)
{
    char picked[DIALOG_OPTION_MAX] = "";
    const char *cur = dialog_choice_text(as->v.dlg, as->f_code);
    if (cur && strcmp(cur, as->wrap_code_default) != 0) snprintf(picked, sizeof picked, "%s", cur);
    const char *codes[DIALOG_OPTIONS_MAX];
    size_t pre = 0;
    size_t nc = agent_wrapup_codes(ix, codes, DIALOG_OPTIONS_MAX, &pre);
    for (size_t i = 0; *picked && i < nc; i++)
        if (strcmp(codes[i], picked) == 0) pre = i;
    dialog_set_options(as->v.dlg, as->f_code, codes, (int)nc);
    dialog_set_choice(as->v.dlg, as->f_code, (int)pre);
    if (!*picked) snprintf(as->wrap_code_default, sizeof as->wrap_code_default, "%s", nc ? codes[pre] : "");
}

static void submit_wrapup(agent_screen *as)
{
    if (as->wrap_ack_id) return;   /* already sent: waiting for the ack */
    const char *code = dialog_choice_text(as->v.dlg, as->f_code);
    char err[256];
    if (!session_wrapup(as->s, as->wrap_iid, code ? code : "other",
                        dialog_text(as->v.dlg, as->f_sum), dialog_toggle(as->v.dlg, as->f_follow),
                        err, sizeof err)) {
        dialog_set_footer(as->v.dlg, err);
        return;
    }
    const outbox_item *it = outbox_item_at(&as->s->outbox, outbox_count(&as->s->outbox) - 1);
    as->wrap_ack_id = mem_strdup(it ? it->id : "");
    dialog_set_footer(as->v.dlg, net_get_state(as->s->net) == NET_READY
                                     ? "sending…" : "saved locally · sent when connected");
    app_mark_dirty(as->a);
}

void agent_dialog_close_after_ack(app *a)
{
    agent_screen *as = a->front_data;
    if (as->dlg == DLG_WRAPUP && as->wrap_saved) close_dialog(as);
    app_mark_dirty(a);
}

/* Quitting with work left asks, the way mutt offers to postpone: drafts (the line and the
 * kept ones), actions not yet sent, ended calls not yet wrapped up. False when none is left. */
bool agent_dialog_open_quit(agent_screen *as)
{
    size_t unsent = session_unsent(as->s), drafts = as->drafts.n, wrap = 0;
    if (*inputline_text(as->v.input) && as->mode != EDIT_SEARCH) drafts++;
    for (size_t i = 0; i < as->s->model.n_ix; i++) wrap += as->s->model.ix[i]->state == IX_ENDED;
    if (!unsent && !drafts && !wrap) return false;
    char title[DIALOG_LABEL_MAX * 2], part[3][40], opt[DIALOG_OPTION_MAX];
    size_t np = 0;
    if (drafts) snprintf(part[np++], sizeof part[0], "%zu draft%s", drafts, drafts == 1 ? "" : "s");
    if (unsent) snprintf(part[np++], sizeof part[0], "%zu unsent", unsent);
    if (wrap) snprintf(part[np++], sizeof part[0], "%zu to wrap up", wrap);
    snprintf(title, sizeof title, "Quit? %s%s%s%s%s", part[0], np > 1 ? ", " : "", np > 1 ? part[1] : "",
             np > 2 ? ", " : "", np > 2 ? part[2] : "");
    bool kept = as->s->outbox.path && as->drafts.path;
    snprintf(opt, sizeof opt, kept ? "Quit: keep them for next time" : "Quit: lose what is not saved");
    const char *opts[] = {"Stay", opt};
    new_dialog(as, title);
    as->f_quit = dialog_add_choice(as->v.dlg, "", opts, 2, 2);
    dialog_set_footer(as->v.dlg, "Enter choose · Esc stay");
    as->dlg = DLG_QUIT;
    dialog_place(as->v.dlg, LINES, COLS);
    agent_screen_relayout(as);
    return true;
}

/* What the screen's marks mean (the man page says the same under MARKS). */
static const helpview_row marks[] = {
    {NULL, "Marks on the screen"},
    {"V  C", "in Mine: a voice call, a chat"},
    {"+3", "in Mine: 3 lines arrived while you were on another interaction"},
    {"!1", "in Mine: 1 flag raised while you were elsewhere"},
    {"wrap up", "in Mine: the interaction ended and waits for its wrap-up"},
    {"[!!!]", "a flag's severity: [!] notice, [!!] warning, [!!!] severe"},
    {"▃▅▇", "Sentiment: the customer's mood over the interaction, low to high"},
    {"- 0 +", "Sentiment: the customer's last utterances, negative, neutral, positive"},
    {"↑ ↓", "Sentiment: the customer's mood clearly rising or falling (none: steady or unclear); "
            "its level in words (hostile, negative, neutral, positive) and the emotion with the "
            "words that carry it"},
    {"[partial]", "words still being spoken or typed"},
    {"[cut off]", "words nobody will finish: the interaction ended or the link dropped"},
    {"[EMAIL]", "personal data masked by the hub, wholly or partly ([CARD ****1234], j\u2022\u2022\u2022@example.com, "
                "\u2022\u2022 \u2022\u2022 0958); ^R shows one of your interaction's in clear for a moment"},
    {"sim agent", "in the transcript: a demo's script spoke for you (agent (simulated)); you did not say it"},
    {"handover", "in the transcript: what a bot found out before it passed the customer on"},
};

void agent_dialog_open_help(agent_screen *as)
{
    const keys_table *t = as->keys;
    size_t nmarks = sizeof marks / sizeof marks[0];
    helpview_row *rows = mem_zalloc(t->n + 3 + nmarks, sizeof *rows);
    char (*keys)[64] = mem_zalloc(t->n, sizeof *keys);
    size_t n = 0;
    rows[n++] = (helpview_row){NULL, "Keys (change with key.NAME = KEYS in the config)"};
    for (size_t i = 0; i < t->n; i++) {
        keys_describe(t, i, " ", keys[i], sizeof keys[i]);
        rows[n++] = (helpview_row){keys[i], t->actions[i].help};
    }
    rows[n++] = (helpview_row){"a-z", "letters always write: they start the line, never a command"};
    for (size_t i = 0; i < nmarks; i++)
        rows[n++] = marks[i];
    as->v.help = helpview_new("Help");
    helpview_set_rows(as->v.help, rows, n);
    free(rows);
    free(keys);
    agent_screen_relayout(as);
}

void agent_dialog_key(agent_screen *as, widget_key k)
{
    widget_result r = widget_handle_key(dialog_widget(as->v.dlg), k);
    if (r == WIDGET_CANCEL) { close_dialog(as); return; }
    if (r != WIDGET_SUBMIT) return;
    if (as->dlg == DLG_QUIT) {
        if (dialog_choice(as->v.dlg, as->f_quit) == 1) app_quit(as->a, 0);
        else close_dialog(as);
    } else if (as->dlg == DLG_WRAPUP) {
        if (as->wrap_saved) close_dialog(as);
        else submit_wrapup(as);
    }
}
