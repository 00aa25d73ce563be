/* recorder_outcome.h — inside the recorder: how the customer fared in a recording, read
 * from its lines as they are written (or from the file after a restart), for the trainer's
 * list sorted by outcome and the exemplars it proposes (see recorder.h). */
#ifndef AGENTDESK_HUB_RECORDER_OUTCOME_H
#define AGENTDESK_HUB_RECORDER_OUTCOME_H

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

/* Bytes of a line's start enough to say whether it moves the outcome. */
enum { RECORDER_OUTCOME_PREFIX = 24 };

/* True when a line starting with `start` (len bytes of it, at most the whole line) may
 * move the outcome; only those lines are parsed. */
bool recorder_outcome_wants(const char *start, size_t len);
/* Take one whole recording line into the outcome. */
void recorder_outcome_note(recorder_outcome *o, const char *line, size_t len);

#endif
