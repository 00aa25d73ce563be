/* agent_hints.h — the agent screen's bottom line of key hints, as a pure function of the
 * screen's state and the key table (so a rebinding shows in the hints). No curses. */
#ifndef AGENTDESK_AGENT_HINTS_H
#define AGENTDESK_AGENT_HINTS_H

#include <stdbool.h>
#include <stddef.h>
#include "agentdesk/agent_keys.h"
#include "agentdesk/keys.h"
#include "widgets/statusbar.h"

enum { AGENT_HINTS_MAX = 16 };

typedef enum { AGENT_HINTS_NONE, AGENT_HINTS_WRAPUP, AGENT_HINTS_QUIT } agent_hints_dialog;

typedef struct {
    agent_hints_dialog dialog;
    bool typing;            /* keys go to the reply line */
    bool searching;         /* ... and the line is a search */
    bool wide;              /* the wide layout, whose header already shows "? help" */
    bool on_suggestions;    /* a non-empty suggestion list is the one shown/focused */
    bool on_checklist;      /* the same for the checklist */
    bool signed_out;        /* the hub refused the token: nothing but help and quit works */
    bool hand_up;           /* the hand key lowers it */
} agent_hints_state;

typedef struct {
    char keys[AGENT_HINTS_MAX][32];     /* the key names the hints point into */
    statusbar_hint h[AGENT_HINTS_MAX];
    int n;
} agent_hints;

/* Fill `out` (which owns the key names) for state `st`. */
void agent_hints_build(agent_hints *out, const agent_hints_state *st, const keys_table *keys);
/* The first key of `act` that works in the current state, named into buf ("" when none). */
const char *agent_hints_first_key(const keys_table *keys, agent_key_action act, bool typing,
                                  char *buf, size_t n);

#endif
