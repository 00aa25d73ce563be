/* agent_sync.h — model -> agent screen widgets. Each function reads the model and feeds
 * the widgets (rows, the transcript source, sparkline values, titles); none draws: the widgets
 * mark themselves dirty and the render timer draws them. */
#ifndef AGENTDESK_AGENT_SYNC_H
#define AGENTDESK_AGENT_SYNC_H

#include <stdbool.h>
#include "agentdesk/agent_view.h"
#include "agentdesk/session.h"

/* Everything, after a layout, an active-interaction switch or a reset. */
void agent_sync_all(agent_view *v, session *s);
/* What an event changed, as model_apply's change record says. Returns true when a new flag
 * was put in the toast (the caller arms the hide timer). */
bool agent_sync_change(agent_view *v, session *s, const model_delta *d);
/* Header: name, state, connection and RTT, unsent count, clock. */
void agent_sync_header(agent_view *v, session *s);
/* Interaction list rows and durations (also every second). */
void agent_sync_list(agent_view *v, session *s);
/* Transcript of the active interaction: the textview reads the model's lines; `full` (or
 * another interaction) starts it over. */
void agent_sync_transcript(agent_view *v, session *s, bool full);
/* The new-flag toast went away: its row stops being marked. */
void agent_sync_flash_done(agent_view *v, session *s);
/* The layout changed: rows that are wrapped to the list's width are built again. */
void agent_sync_resized(agent_view *v, session *s);
/* Pane titles and tab labels. */
void agent_sync_titles(agent_view *v, session *s);

#endif
