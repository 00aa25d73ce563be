/* agent_drafts.h — half-written lines kept per interaction. The reply line belongs to one
 * interaction at a time; when the agent switches, what was typed waits here under its
 * interaction id and comes back on return, so a reply never goes to the wrong customer.
 * At most one draft per interaction id. No curses here.
 *
 * The set is kept in a file (one JSON object a line: iid, text, note), one file per hub and
 * signed-in identity (state.h), so a draft survives a quit, a closed terminal or a dropped
 * SSH connection, and never comes back on another hub or for another agent. At most
 * AGENT_DRAFTS_MAX drafts are kept: the oldest goes first. */
#ifndef AGENTDESK_AGENT_DRAFTS_H
#define AGENTDESK_AGENT_DRAFTS_H

#define AGENT_DRAFTS_MAX 500

#include <stdbool.h>
#include <stddef.h>

typedef struct agent_drafts {
    struct agent_draft { char *iid, *text; bool note; } *d;
    size_t n;
    char *path;        /* NULL: memory only */
} agent_drafts;

/* Keep `text` (copied) for `iid`, replacing a draft it already had. Empty text keeps nothing
 * and drops an older draft. */
void agent_drafts_put(agent_drafts *ds, const char *iid, const char *text, bool note);
/* The draft of `iid`, removed from the set: *text is the caller's to free. false when none. */
bool agent_drafts_take(agent_drafts *ds, const char *iid, char **text, bool *note);
void agent_drafts_free(agent_drafts *ds);

/* Use the file at `path` (NULL: memory only) and load the drafts it holds. Lines that are
 * not a clean draft are skipped. false with a message when it exists but cannot be read. */
bool agent_drafts_open(agent_drafts *ds, const char *path, char *err, size_t errlen);
/* Write the set to its file (temp file, fsync, rename; removed when empty). true when
 * memory only. false with a message. */
bool agent_drafts_save(const agent_drafts *ds, char *err, size_t errlen);

#endif
