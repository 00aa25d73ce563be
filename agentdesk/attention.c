/* attention.c — emotional charge, complexity, quadrant and attention score (attention.h
 * holds the formula). */
#include "agentdesk/attention.h"

#include <string.h>

static double clamp01(double v) { return v < 0 ? 0 : v > 1 ? 1 : v; }

bool attention_negative_emotion(const char *emotion)
{
    static const char *const negative[] = {"anger", "frustration", "anxiety", "sadness"};
    for (size_t i = 0; emotion && i < sizeof negative / sizeof *negative; i++)
        if (strcmp(emotion, negative[i]) == 0) return true;
    return false;
}

attention_out attention_of(const attention_in *in)
{
    attention_out o = {0};
    double neg = in->has_sentiment ? clamp01(-in->sentiment) : 0;
    o.charge = clamp01(0.55 * neg + 0.15 * (in->direction < 0) +
                       0.15 * attention_negative_emotion(in->emotion) + 0.15 * (in->worst_flag >= 3));
    double issues = in->issues > 1 ? clamp01((in->issues - 1) / 3.0) : 0;
    double over = in->queue_norm_ms > 0
                      ? clamp01((double)in->duration_ms / (double)in->queue_norm_ms - 1.0) : 0;
    o.complexity = clamp01(0.30 * issues + 0.30 * over + 0.20 * clamp01(in->transfers / 2.0) +
                           0.20 * in->bot_failed);
    o.charge_high = o.charge >= ATTENTION_HIGH_E;
    o.complexity_high = o.complexity >= ATTENTION_HIGH_C;
    o.quadrant = o.complexity_high ? (o.charge_high ? QUAD_HH : QUAD_HL)
                                   : (o.charge_high ? QUAD_LH : QUAD_LL);
    static const double bonus[] = {[QUAD_HH] = 15, [QUAD_LH] = 8, [QUAD_HL] = 4, [QUAD_LL] = 0};
    o.score = 40 * o.charge + 25 * o.complexity + bonus[o.quadrant];
    if (in->worst_flag >= 3) o.score += 100;
    if (in->hand_raised) o.score += 200;
    return o;
}

const char *attention_quadrant_name(attention_quadrant q)
{
    static const char *const names[] = {[QUAD_HH] = "HH", [QUAD_LH] = "LH", [QUAD_HL] = "HL",
                                        [QUAD_LL] = "LL"};
    return (unsigned)q <= QUAD_LL ? names[q] : "??";
}
