/* line_history.h — each interaction's own history of sent lines: Up in one customer's chat
 * brings back what was sent to that customer, never another's. The input line holds the
 * active interaction's history; switching stashes it here under its iid and loads the next
 * one's. Bounded: at most LINE_HISTORY_IIDS interactions (the least recently used go). */
#ifndef AGENTDESK_LINE_HISTORY_H
#define AGENTDESK_LINE_HISTORY_H

#include <stddef.h>
#include "widgets/inputline.h"

enum { LINE_HISTORY_IIDS = 64 };

typedef struct line_history {
    struct line_history_slot {
        char *iid;
        char *lines[INPUTLINE_HISTORY_MAX];
        size_t n;
        unsigned long used;     /* when last stashed, for the bound */
    } slot[LINE_HISTORY_IIDS];
    unsigned long clock;
} line_history;

/* The line's history goes under iid (NULL: it is dropped). */
void line_history_stash(line_history *h, const char *iid, inputline *il);
/* The line gets iid's history (none when it has none). */
void line_history_load(line_history *h, const char *iid, inputline *il);
void line_history_free(line_history *h);

#endif
