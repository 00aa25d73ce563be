/* scorecard_evidence.h — what a recording says about a score card's items: the state at its
 * end (the model after every event) suggests answers, each with the evidence behind it, for
 * the trainer to confirm or change. An item's `evidence`:
 *   checklist:ID        yes when the checklist item ID was ticked, no when it was not
 *   sentiment_recovery  1..5 from the customer's trend at the start and at the end
 *   silence:SECONDS     yes when no gap between lines is longer (and no silence flag), else no
 *   disposition:C1,C2   yes when the wrap-up's (else the summary's) disposition is one of
 *                       them (case, - and _ ignored), no when it is another
 *   flags_handled       N/A when no flag was raised; yes when the agent spoke after each
 *                       flag (or a supervisor acknowledged it), else no
 * Nothing is suggested where the recording does not say (no checklist item of that id, no
 * scored customer utterance, no disposition). Hold times are not in recordings (the protocol
 * has no hold event), so none are used. */
#ifndef AGENTDESK_SCORECARD_EVIDENCE_H
#define AGENTDESK_SCORECARD_EVIDENCE_H

#include "agentdesk/model.h"
#include "agentdesk/scorecard.h"

/* Suggest what `ix` (the interaction at the recording's end; NULL: nothing) shows, leaving
 * confirmed answers as they are. How many items got a suggestion. */
size_t scorecard_evidence_suggest(scorecard_answers *as, const model_ix *ix);

#endif
