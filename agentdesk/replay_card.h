/* replay_card.h — the score card in the trainer's player: a pane over the agent's layout
 * listing the card's sections and criteria, each with its answer (suggested ones marked
 * until confirmed), the evidence or comment of the selected one under it, and the live
 * total in the title. Keys (fixed, shown in the hint bar while it is open): Up/Down or k/j
 * move between criteria, y yes, n no, x N/A, 1-5 a score, Enter confirms a suggestion,
 * c comments (the screen opens the prompt), Esc or s closes. */
#ifndef AGENTDESK_REPLAY_CARD_H
#define AGENTDESK_REPLAY_CARD_H

#include <stdbool.h>
#include "agentdesk/scorecard.h"
#include "widgets/list.h"
#include "widgets/pane.h"

typedef enum {
    CARD_IGNORED,       /* not a key of the card */
    CARD_MOVED,         /* redraw only */
    CARD_CHANGED,       /* an answer changed: save */
    CARD_REFUSED,       /* a value the item does not take (said by replay_card_refusal) */
    CARD_COMMENT,       /* open the comment prompt for replay_card_selected */
    CARD_CLOSE
} replay_card_result;

typedef struct replay_card replay_card;

replay_card *replay_card_new(scorecard_answers *as);
void replay_card_free(replay_card *c);
pane *replay_card_pane(replay_card *c);
list *replay_card_list(replay_card *c);
/* Rebuild the rows and the title (the total) from the answers. */
void replay_card_sync(replay_card *c);
replay_card_result replay_card_key(replay_card *c, int key);
/* The selected criterion's index in the card. */
size_t replay_card_selected(const replay_card *c);
/* Why the last key was refused ("1-5 is for scored items: this one is yes/no"). */
const char *replay_card_refusal(const replay_card *c);

#endif
