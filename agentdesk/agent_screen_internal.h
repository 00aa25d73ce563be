/* agent_screen_internal.h — the agent console's screen state, shared by agent_screen.c (keys,
 * line, rendering, session events) and agent_dialogs.c (wrap-up, quit, help). Not for use
 * outside those two. */
#ifndef AGENTDESK_AGENT_SCREEN_INTERNAL_H
#define AGENTDESK_AGENT_SCREEN_INTERNAL_H

#include "agentdesk/agent.h"
#include "agentdesk/agent_drafts.h"
#include "agentdesk/agent_reveal.h"
#include "agentdesk/agent_view.h"
#include "agentdesk/app.h"
#include "agentdesk/keys.h"
#include "agentdesk/line_history.h"
#include "agentdesk/session.h"

#define WRAPUP_CLOSE_MS 1500

typedef enum { EDIT_DEFAULT, EDIT_NOTE, EDIT_SEARCH } line_mode;
typedef enum { DLG_NONE, DLG_WRAPUP, DLG_QUIT } dialog_kind;

typedef struct {
    app *a;
    session *s;
    const keys_table *keys;
    agent_view v;
    bool typing;
    line_mode mode;
    dialog_kind dlg;
    int f_sum, f_code, f_follow, f_quit;
    char wrap_code_default[DIALOG_OPTION_MAX];   /* the code preselected for the agent */
    char *wrap_iid, *wrap_draft, *wrap_ack_id;
    bool wrap_saved;
    /* the reply line belongs to one interaction: what was typed for another waits here, so
     * switching never sends a half-written reply to the wrong customer */
    char *line_iid;
    char *search_stash;            /* the line as it was before `/`, put back after the search */
    line_mode stash_mode;
    agent_drafts drafts;
    line_history history;          /* each interaction's sent lines (Up brings them back) */
    char *undo_text;               /* the line before a suggestion went into it, or NULL */
    /* each interaction's checklist cursor: Space ticks the row the agent chose on that call */
    struct { char *iid; size_t row; } check_rows[LINE_HISTORY_IIDS];
    size_t next_check_row;         /* the slot the next new interaction takes (a ring) */
    agent_alert alert;             /* how a new contact or a severe flag is noticed */
    int64_t last_alert_ms;         /* at most one alert in ALERT_GAP_MS */
    size_t undo_cursor;
    char save_err[300];
    agent_reveal reveal;           /* where the reveal key (^R) stands */
} agent_screen;

void agent_screen_notify(agent_screen *as, const char *text, theme_item item);
void agent_screen_relayout(agent_screen *as);

/* agent_dialogs.c */
void agent_dialog_open_wrapup(agent_screen *as);
/* The hub's codes and proposed disposition arrived after the dialog opened. */
void agent_dialog_refresh_wrapup_codes(agent_screen *as, const model_ix *ix);
void agent_dialog_set_summary(agent_screen *as, const char *text);
/* The wrap-up was acknowledged: the dialog closes a moment later. */
void agent_dialog_close_after_ack(app *a);
/* Asks before quitting when work is left; false when none is (quit at once). */
bool agent_dialog_open_quit(agent_screen *as);
void agent_dialog_open_help(agent_screen *as);
void agent_dialog_key(agent_screen *as, widget_key k);

#endif
