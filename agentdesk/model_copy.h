/* model_copy.h — a deep copy of the model, so a replay can keep states of a recording
 * (keyframes) and start any seek from the nearest one (replay_timeline.c). */
#ifndef AGENTDESK_MODEL_COPY_H
#define AGENTDESK_MODEL_COPY_H

#include "agentdesk/model.h"

/* *dst becomes an independent copy of *src (dst is not freed first: pass a model that is
 * uninitialised or already freed). Every later model_apply on either gives the same result
 * as on the other. */
void model_copy(model *dst, const model *src);

#endif
