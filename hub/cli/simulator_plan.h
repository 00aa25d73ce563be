/* simulator_plan.h — the pure half of the simulator: turns a scenario's lines into the
 * timed steps it will send (no clock, no lws, no pipeline), so it can be tested exactly.
 *
 * Voice: a line of N words is spoken at SIMULATOR_WORD_MS per word (150 words a minute).
 * A partial follows every 2 or 3 words (the PRNG picks), carrying the words so far, all
 * with the line's uid; the final, carrying the whole line, comes when the last word has
 * been spoken. offset_ms is the line's at_ms (when the speaker began), as ASR reports it.
 * Chat: one final per line, after a typing delay (SIMULATOR_TYPE_MS per byte, clamped to
 * SIMULATOR_TYPE_MIN_MS..SIMULATOR_TYPE_MAX_MS; a bot answers after SIMULATOR_BOT_MS);
 * offset_ms is when it is sent.
 *
 * Invariants of a plan: steps are sorted by at_ms (ties keep line order); within a line
 * every partial's text is a strict prefix of the next step's, ending at a word boundary,
 * and the line's last step is its only final. */
#ifndef AGENTDESK_HUB_SIMULATOR_PLAN_H
#define AGENTDESK_HUB_SIMULATOR_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hub/cli/simulator_rng.h"
#include "hub/cli/simulator_scenario.h"

#define SIMULATOR_WORD_MS     400
#define SIMULATOR_TYPE_MS     45
#define SIMULATOR_TYPE_MIN_MS 800
#define SIMULATOR_TYPE_MAX_MS 7000
#define SIMULATOR_BOT_MS      600

typedef struct {
    int64_t at_ms;      /* when to send, from the start of the interaction */
    int64_t offset_ms;  /* the utterance's offset_ms */
    uint32_t line;      /* index into the scenario's lines: the uid */
    uint32_t text_len;  /* bytes of the line's text this step carries (a prefix) */
    bool final;
} simulator_step;

/* The steps of one line, appended to out[0..cap); returns how many it needs (if that is
 * more than cap, only cap were written). */
size_t simulator_plan_line(const simulator_line *line, uint32_t index, bool voice,
                           simulator_rng *rng, simulator_step *out, size_t cap);

/* The steps of every line, merged by time. A malloc'd array (count in *n), never NULL. */
simulator_step *simulator_plan_lines(const simulator_scenario *sc, simulator_rng *rng,
                                     size_t *n);

/* When the last step of a plan is sent (0 for an empty plan). */
int64_t simulator_plan_duration(const simulator_step *steps, size_t n);

#endif
