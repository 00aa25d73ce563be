/* agent_view.h — the agent screen's widgets and how they are laid out at each size:
 *   wide (>=110x28): header, Mine | transcript over sentiment | customer, flags,
 *                    suggestions, checklist, then the reply/notes line and the key hints;
 *   tabs (>=60x16):  header with the active interaction, one pane with a tab bar, a
 *                    sentiment strip, the line and the hints;
 *   single:          header, the active tab's content, the line, one row of hints.
 * agent_sync.c fills these widgets from the model; agent_screen.c routes keys. */
#ifndef AGENTDESK_AGENT_VIEW_H
#define AGENTDESK_AGENT_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "agentdesk/keys.h"
#include "agentdesk/session.h"
#include "widgets/dialog.h"
#include "widgets/helpview.h"
#include "widgets/inputline.h"
#include "widgets/layout.h"
#include "widgets/list.h"
#include "widgets/pane.h"
#include "widgets/preview.h"
#include "widgets/sparkline.h"
#include "widgets/statusbar.h"
#include "widgets/textview.h"
#include "widgets/toast.h"

/* Rows a display list shows; strings owned here, rebuilt when the model changes. */
typedef struct {
    struct view_row {
        char *mark, *text, *badge, *right, *detail;
        char *full;          /* the whole text a preview shows (suggestions), or NULL */
        theme_item mark_item, text_item, badge_item, right_item;
    } *r;
    size_t n, cap;
} view_rows;

/* Below the wide layout one pane shows at a time; Mine is a tab too, so every interaction
 * stays reachable at 80x24 and 40x12, not only the active one. */
typedef enum { TAB_TRANSCRIPT, TAB_MINE, TAB_CUSTOMER, TAB_FLAGS, TAB_SUGGEST, TAB_CHECKLIST, TAB_COUNT } view_tab;
/* Focusable panes of the wide layout, in Tab order (customer and flags too: focused, their
 * arrows scroll what does not fit). */
typedef enum {
    FOCUS_TRANSCRIPT, FOCUS_LIST, FOCUS_CUSTOMER, FOCUS_FLAGS, FOCUS_SUGGEST, FOCUS_CHECK, FOCUS_COUNT
} view_focus;

enum { AGENT_INPUT_ROWS = 5 };   /* the reply line wraps over at most this many rows */

typedef struct agent_view {
    const keys_table *keys;          /* to name keys in titles ("ended: ^W wrap up") */
    const outbox *outbox;            /* the agent's replies and notes not yet in the log */
    layout lay;
    statusbar *header, *hints;
    pane *p_list, *p_tr, *p_sent, *p_cust, *p_flags, *p_sugg, *p_check, *p_main;
    list *l_ix, *l_cust, *l_flags, *l_sugg, *l_check;
    view_rows r_ix, r_cust, r_flags, r_sugg, r_check;
    char **sugg_sids;          /* the sid of each row of l_sugg: the selection follows its suggestion */
    size_t n_sugg_sids;
    preview *sugg_preview;     /* the selected suggestion's whole text, under the list */
    char sugg_label[64];       /* its rule's label, rebuilt at each draw */
    textview *tv;
    sparkline *spark;
    inputline *input;
    toast *toast;
    dialog *dlg;               /* wrap-up or quit question; hidden when NULL or invisible */
    helpview *help;            /* NULL when closed */
    view_tab tab;
    view_focus focus;
    char flash_fid[PROTO_MAX_ID + 1];   /* the flag whose row is marked "new" while its toast shows */
    /* the transcript's source: the active interaction's lines in the model (the textview
     * keeps no copy); which interaction it shows, and scratch for the line handed out */
    const model *model;
    char *fed_iid;
    char src_off[16];
    char *src_text;
    size_t src_text_cap;
    size_t scrollback;
    widget *render[24];
    size_t n_render;
} agent_view;

void agent_view_init(agent_view *v, size_t scrollback);
void agent_view_free(agent_view *v);
/* Compute the layout for the current screen size, give every widget its rectangle, and
 * rebuild the render list. Call after screen start, resize, tab or focus change. */
void agent_view_layout(agent_view *v);
/* Put the toast at the top right, left of the header's clock (it never hides the time).
 * Call after the header's segments change. */
void agent_view_place_toast(agent_view *v);
/* The widget shown in the main pane for the current tab (tabs/single layouts). */
widget *agent_view_tab_widget(agent_view *v, view_tab t);
/* The tab's plain name ("Transcript"). */
const char *agent_view_tab_name(view_tab t);
/* Move focus (wide) or tab (others) by delta. */
void agent_view_cycle(agent_view *v, int delta);
void agent_view_rows_clear(view_rows *rows);
struct view_row *agent_view_rows_add(view_rows *rows);
/* The textview_source reading the model's lines of the interaction the view shows
 * (agent_sync.c; v->model and v->fed_iid say which). */
textview_source agent_view_transcript_source(agent_view *v);
/* The list_source reading `rows`. */
list_source agent_view_rows_source(view_rows *rows);

#endif
