/* replay_screen.h — the trainer's player (`agentdesk replay FILE`): the agent's layout
 * (agent_view, filled by agent_sync from the model as the agent console fills it) driven by
 * the recording's clock, with a timeline bar in place of the reply line, notes, and help. */
#ifndef AGENTDESK_REPLAY_SCREEN_H
#define AGENTDESK_REPLAY_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include "agentdesk/app.h"
#include "agentdesk/keys.h"
#include "agentdesk/replay_notes.h"
#include "agentdesk/replay_player.h"
#include "agentdesk/scorecard.h"
#include "agentdesk/session.h"
#include "widgets/theme.h"

typedef struct {
    const recording *rec;
    const replay_timeline *tl;
    replay_notes *notes;          /* borrowed; saved on every change */
    const char *title;            /* the recording's file name, shown in help */
    double speed;
    const char *notice;           /* said once at start (a damaged sidecar), or NULL */
    scorecard_answers *card;      /* borrowed, suggestions made; NULL: no card (card_problem says why) */
    const char *card_problem;
} replay_screen_setup;

/* Start curses with theme `t` and show the recording paused at its start (playing when
 * `play`). The session (no network) holds the model the player moves. false with a message. */
bool replay_screen_attach(app *a, session *s, const keys_table *keys, const theme *t,
                          const replay_screen_setup *setup, bool play, char *err, size_t errlen);
/* The player and view, for the screen tests. */
replay_player *replay_screen_player(app *a);
struct agent_view *replay_screen_view(app *a);
/* Move to `pos` and redraw what it shows (tests; the keys do the same). */
void replay_screen_seek(app *a, size_t pos);
/* The widgets to render in order (the view's, the bar, the notes). */
size_t replay_screen_widgets(app *a, widget **out, size_t max);
void replay_screen_free(app *a);

#endif
