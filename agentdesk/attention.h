/* attention.h — who needs a person most: per interaction, its emotional charge and its
 * complexity (each a score 0..1, low or high), the quadrant they make, and an attention
 * score the supervisor's grid sorts by. Pure: no model, no curses; monitor_floor.c fills
 * attention_in from the model and the unit test from a table.
 *
 * Emotional charge E (high when E >= ATTENTION_HIGH_E):
 *   0.55 * max(0, -sentiment)         how negative the customer is now (score -1..1)
 * + 0.15 * (trend worsening)          the hub found the slope significant and downward
 * + 0.15 * (negative emotion)         anger, frustration, anxiety, sadness
 * + 0.15 * (a severe flag)            severity 3 (churn, fraud, legal, ...)
 * Complexity C (high when C >= ATTENTION_HIGH_C):
 *   0.30 * min(1, (issues - 1) / 3)   distinct articles suggested beyond the first issue
 * + 0.30 * min(1, max(0, r - 1))      r = duration / the queue's norm (from 1x to 2x the norm)
 * + 0.20 * min(1, transfers / 2)      transfers and take-overs
 * + 0.20 * (a bot that failed)        the bot handed over
 * Quadrant, complexity then charge: HH people first, LH a person helped by automation,
 * HL automation helped by a person, LL automation can carry it; in that order of priority.
 * Attention = 40 E + 25 C + quadrant bonus (HH 15, LH 8, HL 4, LL 0), so 0..80; a severe
 * flag adds 100 and a raised hand 200, so they always come first (a hand above a flag). */
#ifndef AGENTDESK_ATTENTION_H
#define AGENTDESK_ATTENTION_H

#include <stdbool.h>
#include <stdint.h>

#define ATTENTION_HIGH_E 0.40
#define ATTENTION_HIGH_C 0.30

typedef enum { QUAD_HH, QUAD_LH, QUAD_HL, QUAD_LL } attention_quadrant;

typedef struct {
    bool has_sentiment;
    double sentiment;          /* the customer's latest score, -1..1 */
    int direction;             /* -1 worsening, 0 steady, 1 improving */
    const char *emotion;       /* the customer's latest emotion ("" or NULL none) */
    int worst_flag;            /* highest flag severity 0..3 */
    unsigned issues;           /* distinct articles suggested */
    int64_t duration_ms;
    int64_t queue_norm_ms;     /* the queue's typical duration now; 0 unknown */
    unsigned transfers;
    bool bot_failed;           /* a bot handed the interaction over */
    bool hand_raised;
} attention_in;

typedef struct {
    double charge, complexity;     /* 0..1 */
    bool charge_high, complexity_high;
    attention_quadrant quadrant;
    double score;                  /* see above */
} attention_out;

attention_out attention_of(const attention_in *in);
/* "HH", "LH", "HL", "LL". */
const char *attention_quadrant_name(attention_quadrant q);
/* An emotion that raises the charge (anger, frustration, anxiety, sadness). */
bool attention_negative_emotion(const char *emotion);

#endif
