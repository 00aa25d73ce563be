/* monitor_keys.h — the supervisor mode's key table (`agentdesk monitor`): every action,
 * its name, help line and default keys. `?` lists it; agentdesk(1) documents it. The
 * config's monitor.key.NAME lines change them (key.NAME lines are the agent console's). There
 * is no reply line on the floor, so letters are commands here. */
#ifndef AGENTDESK_MONITOR_KEYS_H
#define AGENTDESK_MONITOR_KEYS_H

#include "agentdesk/keys.h"

typedef enum {
    MK_OPEN, MK_BACK, MK_WHISPER, MK_BARGE, MK_LEAVE, MK_REPLY, MK_TAKEOVER, MK_ACK, MK_SORT, MK_FILTER, MK_TAB, MK_TAB_BACK, MK_METRICS,
    MK_UP, MK_DOWN, MK_PAGE_UP, MK_PAGE_DOWN, MK_HELP, MK_REDRAW, MK_QUIT,
    MK__COUNT
} monitor_key_action;

extern const keys_action monitor_keys_actions[MK__COUNT];

#endif
