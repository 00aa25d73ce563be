/* monitor_view.h — the supervisor floor's widgets and layout, filled from monitor_floor:
 *   row 0            header: who, the summary (live, waiting, negative, hands), link, clock
 *   row 1            the views (Interactions, Agents N, Alerts N, Metrics), sort key and filter
 *   row 2            at 16 lines and more: the last hour's figures (monitor_metrics.h)
 *   rows 2/3..LINES-2 the table of the current view (columns by priority at 80 and 40 wide)
 *   row LINES-1      key hints, or the whisper / filter prompt while one is open.
 * An opened interaction is shown by the agent console's own view (agent_view) with no
 * reply line: its row holds the read-only hints. Nothing here draws: widgets mark
 * themselves dirty and the render step draws them. */
#ifndef AGENTDESK_MONITOR_VIEW_H
#define AGENTDESK_MONITOR_VIEW_H

#include "agentdesk/agent_view.h"
#include "agentdesk/monitor_floor.h"
#include "agentdesk/monitor_metrics.h"
#include "agentdesk/session.h"
#include "widgets/table.h"

typedef enum { MV_INTERACTIONS, MV_AGENTS, MV_ALERTS, MV_METRICS, MV__COUNT } monitor_tab;

typedef struct {
    const model_ix *ix;
    const model_flag *flag;        /* NULL: a raised hand */
    int64_t at_ms;                 /* wall clock: when it was raised, 0 unknown */
} monitor_alert;

typedef struct monitor_view {
    monitor_floor floor;
    session *s;
    statusbar *header, *tabs, *hints, *figures;
    table *grid, *agents, *alerts, *metrics;
    inputline *prompt;
    toast *toast;
    helpview *help;                /* NULL when closed */
    monitor_tab tab;
    bool prompting;
    /* the selected interaction keeps its identity while rows re-sort around it */
    char sel_iid[PROTO_MAX_ID + 1];
    bool chosen;                   /* the supervisor moved the selection (else: the top row) */
    monitor_alert *alert_rows; size_t n_alerts, cap_alerts;
    char cell[MONITOR_FILTER_MAX * 4];   /* scratch for one formatted cell */
    unsigned seen_version;         /* model.version at the last refresh */
    int64_t refreshed_s;           /* the wall second of the last refresh (durations) */
    bool open;                     /* an interaction is shown read-only in `av` */
    agent_view av;
    statusbar *ro_hints;           /* the read-only view's hint row, where the reply line was */
    widget *render[48];
    size_t n_render;
} monitor_view;

void monitor_view_init(monitor_view *v, session *s);
void monitor_view_free(monitor_view *v);
/* Sizes every widget for the current screen and rebuilds the render list. */
void monitor_view_layout(monitor_view *v);
/* Rebuild the floor from the model when it changed (or `force`, e.g. a second passed),
 * keep the selection on its interaction, and update header, tabs and tables. */
void monitor_view_refresh(monitor_view *v, bool force);
/* The opened interaction's header, list title and read-only line: the supervisor's, over
 * what agent_sync wrote for an agent (call after every agent_sync_*). */
void monitor_view_sync_open(monitor_view *v);
/* The alert selected in the Alerts tab, or NULL. */
const monitor_alert *monitor_view_selected_alert(monitor_view *v);
/* The interaction selected in the grid, or NULL. */
model_ix *monitor_view_selected(monitor_view *v);
/* The supervisor chose the row of `iid`: from now on the selection follows that interaction
 * through re-sorts and filters (until a first choice it stays on the top row, the worst). */
void monitor_view_select_iid(monitor_view *v, const char *iid);
/* The table of the current view. */
table *monitor_view_table(monitor_view *v);
/* Key hints for the current state. */
void monitor_view_hints(monitor_view *v, const keys_table *keys);

#endif
