/* agent_reveal.h — the reveal key (^R): which masked value of the active interaction to ask
 * the hub for next. It goes through the customer card's e-mail and phone, then the lines
 * newest first, each line's values in order (the hub says how many a line has), and round
 * again. The value comes back in a `revealed` event and is shown in a toast for a few
 * seconds: it is kept nowhere (not in the line, its history, drafts, logs or files). */
#ifndef AGENTDESK_AGENT_REVEAL_H
#define AGENTDESK_AGENT_REVEAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "agentdesk/model.h"
#include "agentdesk/session.h"

typedef struct {
    char iid[PROTO_MAX_ID + 1];
    char id[PROTO_MAX_ID + 1];   /* the reveal asked last */
    int stage;                   /* -1 none yet, 0 the card's e-mail, 1 its phone, 2 a line */
    uint64_t line;               /* stage 2: the line's number */
    unsigned index, count;       /* stage 2: which of its values; how many it has (0: not known) */
} agent_reveal;

/* Ask for the next masked value of ix. False (and why in msg) when there is none or no
 * connection. */
bool agent_reveal_next(agent_reveal *r, session *s, const model_ix *ix, char *msg, size_t cap);
/* The text to show for a `revealed` event (the count is remembered for the next step). */
void agent_reveal_text(agent_reveal *r, const proto_event *ev, char *out, size_t cap);

#endif
