/* agent_keys.h — the agent mode's key table: every action the screen knows, its config
 * name, its help line and its default keys. `?` lists it; docs/agentdesk.1 documents it;
 * `key.NAME = KEYS` in the config file overrides it. */
#ifndef AGENTDESK_AGENT_KEYS_H
#define AGENTDESK_AGENT_KEYS_H

#include <stddef.h>
#include "agentdesk/keys.h"

typedef enum {
    AK_SEND, AK_TYPE, AK_LEAVE, AK_NOTE, AK_USE1, AK_USE2, AK_USE3, AK_UNDO, AK_DISMISS, AK_HAND,
    AK_REVEAL, AK_BREAK,
    AK_SEARCH, AK_SEARCH_NEXT, AK_SEARCH_PREV, AK_NEXT_IX, AK_PREV_IX, AK_SCROLL_UP, AK_SCROLL_DOWN,
    AK_FOLLOW, AK_PANE, AK_PANE_BACK, AK_TICK, AK_WRAPUP, AK_HELP, AK_REDRAW, AK_QUIT,
    AK__COUNT
} agent_key_action;

extern const keys_action agent_keys_actions[AK__COUNT];

#endif
