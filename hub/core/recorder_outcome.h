/* recorder_outcome.h — how the customer fared in a recording, read from its lines as they are
 * written (or from the file after a restart), and the query of the trainer's list sorted by
 * it, with the exemplars it proposes (see recorder.h). */
#ifndef AGENTDESK_HUB_RECORDER_OUTCOME_H
#define AGENTDESK_HUB_RECORDER_OUTCOME_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The customer's smoothed sentiment (a sentiment event's `trend`) when it was first
 * scored, at its lowest and at the end, and the flags raised. */
typedef struct {
    bool scored;          /* a customer utterance was scored */
    double first, low, last;
    int64_t flags;
    int64_t severe_flags; /* severity 3 */
} recorder_outcome;

/* The trainer's list by outcome: see recorder_query_list in recorder.h. */
#define RECORDER_PROPOSE_LOW (-0.25)
#define RECORDER_PROPOSE_RISE 0.4
typedef enum { RECORDER_SORT_RECENT, RECORDER_SORT_RECOVERY, RECORDER_SORT_HANDLE, RECORDER_SORT_FLAGS } recorder_sort;
typedef struct {
    recorder_sort sort;
    const char *queue, *agent;  /* NULL: any */
    bool exemplars_only;        /* confirmed and proposed */
    int64_t offset;
    size_t limit;
} recorder_query;

/* Bytes of a line's start enough to say whether it moves the outcome. */
enum { RECORDER_OUTCOME_PREFIX = 24 };

/* True when a line starting with `start` (len bytes of it, at most the whole line) may
 * move the outcome; only those lines are parsed. */
bool recorder_outcome_wants(const char *start, size_t len);
/* Take one whole recording line into the outcome. */
void recorder_outcome_note(recorder_outcome *o, const char *line, size_t len);
/* The same for a line already parsed (or the event it was written from). */
void recorder_outcome_note_event(recorder_outcome *o, const json_t *event);

#endif
