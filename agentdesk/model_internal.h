/* model_internal.h — what model.c (the store) and model_apply.c (the event handlers) share.
 * Not for views: they read model.h only. */
#ifndef AGENTDESK_MODEL_INTERNAL_H
#define AGENTDESK_MODEL_INTERNAL_H

#include "agentdesk/model.h"

/* The interaction `iid`, created (and *ch told so) when new; NULL without an iid. */
model_ix *model_ix_get(model *m, const char *iid, unsigned *ch);
model_line *model_line_mut(model_ix *ix, uint64_t no);
model_line *model_line_by_uid_mut(model_ix *ix, const char *uid, uint64_t *no);
/* A new line at the end (the oldest dropped when the transcript is full); its number in *no. */
model_line *model_line_append(model *m, model_ix *ix, uint64_t *no);
/* Replace line `no`'s strings (one allocation; the uid index follows). */
void model_line_set_strings(model_ix *ix, model_line *l, uint64_t no, const char *text,
                            const char *uid, const char *who);
void model_customer_clear(model_ix *ix);
void model_codes_clear(model_ix *ix);
void model_sugg_clear(model_suggestion *s);
/* floor.metrics into m->metrics, replacing the last (model_metrics.c). */
unsigned model_metrics_apply(model *m, const proto_event *ev);
void model_metrics_clear(model_metrics *mm);

#endif
