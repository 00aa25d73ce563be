/* replay_keys.h — the replay mode's actions and default keys (one table: help, man page
 * and `key.NAME` config lines read it, as for the agent mode). */
#ifndef AGENTDESK_REPLAY_KEYS_H
#define AGENTDESK_REPLAY_KEYS_H

#include "agentdesk/keys.h"

typedef enum {
    RK_PLAY, RK_SLOWER, RK_FASTER, RK_BACK, RK_FORWARD, RK_GOTO, RK_START, RK_END,
    RK_PREV_MARK, RK_NEXT_MARK, RK_ANNOTATE, RK_NOTES, RK_SCORECARD, RK_EDIT, RK_DELETE, RK_SCROLL_UP,
    RK_SCROLL_DOWN, RK_PANE, RK_PANE_BACK, RK_HELP, RK_REDRAW, RK_QUIT, RK__COUNT
} replay_key_action;

extern const keys_action replay_keys_actions[RK__COUNT];

#endif
