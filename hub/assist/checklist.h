/* checklist.h — the compliance checklist of one interaction: items per queue from
 * data/checklists.json ({"queue":[{"id","label","phrases":[…]}], …, "default":[…]}), ticked
 * when the agent says one of an item's phrases (case and punctuation do not matter) or by
 * hand. A queue without its own list gets "default".
 *
 * Phrases are normalised once at load: ASCII lowercased, apostrophes dropped ("we're" ->
 * "were"), every other ASCII non-alphanumeric byte a single space. An utterance is
 * normalised the same way and a phrase matches on word boundaries. */
#ifndef AGENTDESK_HUB_ASSIST_CHECKLIST_H
#define AGENTDESK_HUB_ASSIST_CHECKLIST_H

#include "hub/assist/snap.h"
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

typedef struct checklist_set checklist_set;   /* all queues, read-only once loaded */
typedef struct checklist checklist;           /* one interaction's items and ticks */

checklist_set *checklist_set_load(const char *path, char *err, size_t errlen);
checklist_set *checklist_set_from_json(const json_t *root, char *err, size_t errlen);
void checklist_set_free(checklist_set *set);

checklist *checklist_new(const checklist_set *set, const char *queue);
/* A checkpoint of what is ticked and by what (snap.h), and it read back into a checklist
 * made for the same queue: false when that queue's list has changed since. */
void checklist_save(const checklist *c, snap_w *w);
bool checklist_load(checklist *c, snap_r *r);
void checklist_free(checklist *c);

/* An agent final: ticks every item whose phrase it contains. true when anything changed. */
bool checklist_on_agent(checklist *c, const char *text);
/* By hand: done or not. true when it changed (false also for an unknown item). */
bool checklist_tick(checklist *c, const char *item, bool done);

size_t checklist_count(const checklist *c);
/* The id of item i (0 <= i < checklist_count), or NULL. */
const char *checklist_item_id(const checklist *c, size_t i);
/* 1 done, 0 not done, -1 no such item; *by (may be NULL) gets "phrase" | "hand" | "". */
int checklist_state(const checklist *c, const char *item, const char **by);
/* The `items` array of a checklist event: [{id, label, done, by}]. */
json_t *checklist_items_json(const checklist *c);

/* Normalise text as described above into out (at most outlen-1 bytes, padded with a space
 * at each end). */
void checklist_normalise(const char *text, char *out, size_t outlen);

#endif
