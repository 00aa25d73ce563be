/* agent_drafts.h — half-written lines kept per interaction. The reply line belongs to one
 * interaction at a time; when the agent switches, what was typed waits here under its
 * interaction id and comes back on return, so a reply never goes to the wrong customer.
 * At most one draft per interaction id. No curses here. */
#ifndef AGENTDESK_AGENT_DRAFTS_H
#define AGENTDESK_AGENT_DRAFTS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct agent_drafts {
    struct agent_draft { char *iid, *text; bool note; } *d;
    size_t n;
} agent_drafts;

/* Keep `text` (copied) for `iid`, replacing a draft it already had. Empty text keeps nothing
 * and drops an older draft. */
void agent_drafts_put(agent_drafts *ds, const char *iid, const char *text, bool note);
/* The draft of `iid`, removed from the set: *text is the caller's to free. false when none. */
bool agent_drafts_take(agent_drafts *ds, const char *iid, char **text, bool *note);
void agent_drafts_free(agent_drafts *ds);

#endif
